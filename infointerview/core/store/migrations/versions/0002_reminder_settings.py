"""reminder settings and delivery failures on the person's row

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("weekdays_only", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column("paused_until", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("weekly_summary", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column("undelivered_reminders", sa.Integer(), nullable=False,
                                      server_default="0"))
        batch_op.add_column(sa.Column("delivery_error", sa.String(length=400), nullable=False,
                                      server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        for column in ("delivery_error", "undelivered_reminders", "weekly_summary",
                       "paused_until", "weekdays_only"):
            batch_op.drop_column(column)
