"""the organisation typed with `applied`, and who introduced a contact (for forget-me)

``applied_to`` keeps what a person typed when they said they applied somewhere, so the export
holds it. ``introduced_by_pk`` marks a contact created by an accepted warm introduction with the
member who made it: their name is in the contact's ``found_detail``, and forget-me replaces it.
Contacts introduced before this migration carry no mark (forget-me cannot tell them from a
referral the person typed themselves, so it leaves them).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("applied_to", sa.String(length=150), nullable=False,
                                      server_default=""))
        batch_op.add_column(sa.Column(
            "introduced_by_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True))
        batch_op.create_index("ix_contacts_introduced_by", ["introduced_by_pk"])


def downgrade() -> None:
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_index("ix_contacts_introduced_by")
        batch_op.drop_column("introduced_by_pk")
        batch_op.drop_column("applied_to")
