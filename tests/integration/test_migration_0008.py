"""Migration 0008 adds the organisation typed with `applied` and who introduced a contact;
contacts stored before it keep their data and carry no introducer."""

from __future__ import annotations

from sqlalchemy import insert, text

from infointerview.core import Database
from infointerview.core.store.migrate import upgrade
from infointerview.core.store.repo import USERS
from tests.conftest import START


def test_0008_adds_the_columns_and_keeps_old_contacts(tmp_path: object) -> None:
    db = Database(f"sqlite:///{tmp_path}/old.db")
    try:
        upgrade(db.engine, "0007")
        with db.begin() as conn:
            conn.execute(insert(USERS).values(
                platform="console", tenant="local", user_id="sam", display_name="Sam",
                created_at=START, updated_at=START))
            conn.execute(text(
                "INSERT INTO contacts (user_pk, platform, tenant, no, name, sector, channel, "
                "how_found, found_detail, stage, draft_length, windows, agenda, notes, "
                "duration_min, role, organisation, email, profile_url, reason, contact_tz, "
                "mode_detail) VALUES (1, 'console', 'local', 1, 'Kim', 'other', 'email', "
                "'referral', 'Olga', 'identified', 'standard', '[]', '[]', '[]', 30, '', "
                "'', '', '', '', '', '')"))
        upgrade(db.engine)
        with db.begin() as conn:
            row = conn.execute(text("SELECT name, found_detail, applied_to, introduced_by_pk "
                                    "FROM contacts")).one()
        assert tuple(row) == ("Kim", "Olga", "", None)
    finally:
        db.engine.dispose()
