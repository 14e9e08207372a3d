"""one index for a person's reminder keys: (user_pk, dedupe_key) replaces the dedupe key's own
unique index and the index on user_pk

A dedupe key starts with its person's platform, tenant and user id, so it is unique within its
person exactly when it is unique at all; and owner lookups (forget-me, the foreign key's cascade)
use the new index's first column. Every reminder written maintained both; now it maintains one.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reminders", schema=None) as batch_op:
        batch_op.create_unique_constraint("uq_reminders_user_pk", ["user_pk", "dedupe_key"])
        batch_op.drop_constraint("uq_reminders_dedupe_key", type_="unique")
        batch_op.drop_index("ix_reminders_user")


def downgrade() -> None:
    with op.batch_alter_table("reminders", schema=None) as batch_op:
        batch_op.create_index("ix_reminders_user", ["user_pk"], unique=False)
        batch_op.create_unique_constraint("uq_reminders_dedupe_key", ["dedupe_key"])
        batch_op.drop_constraint("uq_reminders_user_pk", type_="unique")
