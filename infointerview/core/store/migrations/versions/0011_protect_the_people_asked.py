"""protecting the people members ask: consent on a share, and the cohort's intro period

``shares.consent`` records that the contact said it's fine to pass on their details; shares made
before this migration were never asked, so they are false: an e-mail address shared before is
kept on the row but shown to nobody until its owner shares it again saying the contact agreed
(core/cohorts/visibility.py).
``cohorts.intro_period_days`` is how long one external person is left in peace after a warm
introduction request (core/cohorts/asking.py); 28 days for every existing cohort.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("shares") as batch:
        batch.add_column(sa.Column("consent", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
    with op.batch_alter_table("cohorts") as batch:
        batch.add_column(sa.Column("intro_period_days", sa.Integer(), nullable=False,
                                   server_default="28"))


def downgrade() -> None:
    with op.batch_alter_table("cohorts") as batch:
        batch.drop_column("intro_period_days")
    with op.batch_alter_table("shares") as batch:
        batch.drop_column("consent")
