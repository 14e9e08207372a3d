"""times stored with a UTC offset on SQLite are rewritten in the one stored form, naive UTC

Round 1's multi-row reminder upsert bound only its first row's due time through the column's
type; the other rows reached sqlite3 as they were and were stored as local text with an offset
('2026-04-08 13:00:00+02:00'). Text compares as text, so those reminders were claimed early
west of UTC and never east of it. This rewrites every such value, in every table, as the
instant it names. PostgreSQL stores ``timestamptz``, an instant whatever the offset it was
given: nothing to repair there.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

STORED_FORM = "%Y-%m-%d %H:%M:%S.%f"  # SQLAlchemy's SQLite DATETIME text
WITH_OFFSET = "*[+-][0-9][0-9]:[0-9][0-9]"  # a GLOB for text ending in an offset


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name != "sqlite":
        return
    inspector = sa.inspect(connection)
    for table in inspector.get_table_names():
        for column in inspector.get_columns(table):
            if isinstance(column["type"], sa.DateTime):
                _repair(connection, table, column["name"])


def _repair(connection: sa.Connection, table: str, column: str) -> None:
    quoted_table, quoted_column = f'"{table}"', f'"{column}"'
    rows = connection.execute(sa.text(
        f"SELECT rowid, {quoted_column} FROM {quoted_table} "
        f"WHERE {quoted_column} GLOB :offset"), {"offset": WITH_OFFSET}).all()
    for rowid, value in rows:
        instant = datetime.fromisoformat(value).astimezone(UTC).replace(tzinfo=None)
        connection.execute(sa.text(
            f"UPDATE {quoted_table} SET {quoted_column} = :value WHERE rowid = :rowid"),
            {"value": instant.strftime(STORED_FORM), "rowid": rowid})


def downgrade() -> None:
    pass  # the repaired values are the same instants in the form every other row has
