"""Migration 0011 adds consent to shares and the intro period to cohorts: shares made before it
stay shared, were never asked about consent (false), and every cohort gets four weeks."""

from __future__ import annotations

from sqlalchemy import bindparam, insert, text

from infointerview.core import Database
from infointerview.core.store.cohorts import SHARES
from infointerview.core.store.migrate import upgrade
from infointerview.core.store.repo import USERS
from tests.conftest import START

AT = bindparam("at", type_=SHARES.c.created_at.type)  # stored in UTC, as the store does


def test_0011_keeps_old_shares_without_consent_and_gives_cohorts_four_weeks(
        tmp_path: object) -> None:
    db = Database(f"sqlite:///{tmp_path}/old.db")
    try:
        upgrade(db.engine, "0010")
        with db.begin() as conn:
            conn.execute(insert(USERS).values(
                platform="console", tenant="local", user_id="sam", display_name="Sam",
                created_at=START, updated_at=START))
            conn.execute(text(
                "INSERT INTO contacts (user_pk, platform, tenant, no, name, sector, channel, "
                "how_found, found_detail, stage, draft_length, windows, agenda, notes, "
                "duration_min, role, organisation, email, profile_url, reason, contact_tz, "
                "mode_detail, applied_to) VALUES (1, 'console', 'local', 1, 'Kim', 'other', "
                "'email', 'referral', 'Olga', 'identified', 'standard', '[]', '[]', '[]', 30, "
                "'', '', 'kim@example.org', '', '', '', '', '')"))
            conn.execute(text(
                "INSERT INTO cohorts (platform, tenant, channel_id, name, digest_day, "
                "digest_time, tz, created_at) VALUES ('console', 'local', 'c1', 'Spring', 4, "
                "'16:00', 'UTC', :at)").bindparams(AT), {"at": START})
            conn.execute(text(
                "INSERT INTO shares (cohort_id, owner_pk, contact_pk, visibility, share_email, "
                "created_at) VALUES (1, 1, 1, 'card', 1, :at)").bindparams(AT), {"at": START})
        upgrade(db.engine)
        with db.begin() as conn:
            share = conn.execute(text(
                "SELECT visibility, share_email, consent FROM shares")).one()
            period = conn.execute(text("SELECT intro_period_days FROM cohorts")).scalar_one()
        assert tuple(share) == ("card", 1, 0)
        assert period == 28
    finally:
        db.engine.dispose()
