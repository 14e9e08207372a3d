"""cohorts: channels whose members share contacts with consent, and warm-intro requests

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('cohorts',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('tenant', sa.String(length=64), nullable=False),
    sa.Column('channel_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('digest_day', sa.Integer(), nullable=False),
    sa.Column('digest_time', sa.String(length=5), nullable=False),
    sa.Column('tz', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohorts')),
    sa.UniqueConstraint('platform', 'tenant', 'channel_id', name='uq_cohorts_channel')
    )
    op.create_table('cohort_members',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('cohort_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('user_pk', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('role', sa.String(length=8), nullable=False),
    sa.Column('paused', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('shoutouts', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_cohort_members_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_pk'], ['users.id'], name=op.f('fk_cohort_members_user_pk_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohort_members')),
    sa.UniqueConstraint('cohort_id', 'user_pk', name='uq_cohort_members_user')
    )
    with op.batch_alter_table('cohort_members', schema=None) as batch_op:
        batch_op.create_index('ix_cohort_members_user', ['user_pk'], unique=False)

    op.create_table('shares',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('cohort_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('owner_pk', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('contact_pk', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('visibility', sa.String(length=8), nullable=False),
    sa.Column('share_email', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_shares_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['contact_pk'], ['contacts.id'], name=op.f('fk_shares_contact_pk_contacts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_pk'], ['users.id'], name=op.f('fk_shares_owner_pk_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shares')),
    sa.UniqueConstraint('cohort_id', 'contact_pk', name='uq_shares_contact')
    )
    with op.batch_alter_table('shares', schema=None) as batch_op:
        batch_op.create_index('ix_shares_owner', ['owner_pk'], unique=False)

    op.create_table('intro_requests',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('share_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('requester_pk', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['requester_pk'], ['users.id'], name=op.f('fk_intro_requests_requester_pk_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['share_id'], ['shares.id'], name=op.f('fk_intro_requests_share_id_shares'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intro_requests'))
    )
    with op.batch_alter_table('intro_requests', schema=None) as batch_op:
        batch_op.create_index('ix_intro_requests_share', ['share_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('intro_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_intro_requests_share')

    op.drop_table('intro_requests')
    with op.batch_alter_table('shares', schema=None) as batch_op:
        batch_op.drop_index('ix_shares_owner')

    op.drop_table('shares')
    with op.batch_alter_table('cohort_members', schema=None) as batch_op:
        batch_op.drop_index('ix_cohort_members_user')

    op.drop_table('cohort_members')
    op.drop_table('cohorts')
