"""No reply after the one follow-up: the coach suggests a second person at the same
organisation (with the organisation filled in), not a second follow-up (issue 17, part 2)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from infointerview.core import OpenForm, Reply, SendDM
from tests.helpers import CONTACT
from tests.unit.pure_journey import PureJourney


def _followed_up(contact: dict[str, str] | None = None) -> PureJourney:
    zone = "America/Chicago"
    sam = PureJourney(now=datetime(2026, 4, 13, 10, 0, tzinfo=ZoneInfo(zone)), tz=zone)
    sam.onboard()
    sam.add_contact(contact)
    sam.click("mark_sent", "1")
    sam.now += timedelta(days=7)
    sam.click("follow_up_sent", "1")
    return sam


def _park_reminder(sam: PureJourney) -> SendDM:
    sam.now += timedelta(days=7)
    delivered = [effects for reminder, effects in sam.deliver_due()
                 if reminder.kind == "no_reply_park"]
    [effects] = delivered
    [dm] = [e for e in effects if isinstance(e, SendDM)]
    return dm


def test_a_week_after_the_follow_up_the_coach_suggests_someone_else_there() -> None:
    sam = _followed_up()
    dm = _park_reminder(sam)
    said = dm.message.plain_text()
    assert "Someone else at Northwind Biologics" in said
    assert "another follow-up" not in said.lower()
    [offer] = [b for b in dm.message.buttons if b.action == "someone_else"]
    assert offer.value == "1"
    [form] = [e.form for e in sam.click("someone_else", "1") if isinstance(e, OpenForm)]
    assert form.form_id == "contact:new"
    assert form.values["organisation"] == "Northwind Biologics"
    assert form.values["sector"] == CONTACT["sector"] and form.values.get("name", "") == ""
    # no more nudges about the first person: one follow-up each is plenty
    assert not [r for r in sam.reminders.values() if r.contact_no == 1]


def test_without_an_organisation_there_is_nobody_else_to_suggest() -> None:
    sam = _followed_up({**CONTACT, "organisation": ""})
    dm = _park_reminder(sam)
    assert "Someone else at" not in dm.message.plain_text()
    assert "someone_else" not in [b.action for b in dm.message.buttons]


def test_a_parked_contact_offers_someone_else_there_on_its_card() -> None:
    sam = _followed_up()
    effects = sam.click("park", "1")
    said = [e for e in effects if isinstance(e, Reply | SendDM)]
    assert "someone_else" in [b.action for m in said for b in m.message.buttons]
