"""the inbox: requests acknowledged to a platform, kept until they are handled

Slack never retries a slash command, an interaction or an event it got HTTP 200 for, so a
process killed between the ack and the work lost the request. Each one is now written here
before the ack and marked done when handled; start-up handles the rows left pending.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inbox",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("event_id", sa.String(length=128), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=16), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox")),
    )
    op.create_index("ix_inbox_pending", "inbox", ["platform", "id"], unique=False,
                    postgresql_where=sa.text("done_at IS NULL"),
                    sqlite_where=sa.text("done_at IS NULL"))


def downgrade() -> None:
    op.drop_index("ix_inbox_pending", table_name="inbox",
                  postgresql_where=sa.text("done_at IS NULL"),
                  sqlite_where=sa.text("done_at IS NULL"))
    op.drop_table("inbox")
