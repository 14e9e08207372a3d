"""The engine's contract: one transaction per event, dedupe, persisted state, tenant scoping."""

from __future__ import annotations

from datetime import timedelta

from infointerview.core import CommandInvoked, Engine, Reply, SimulatedClock
from tests.helpers import PROFILE, User, forms, text_of


def test_start_asks_for_the_profile_once(engine: Engine) -> None:
    sam = User(engine)
    first = sam.command("start")
    assert [f.form_id for f in forms(first)] == ["profile"]
    after = sam.submit("profile", PROFILE)
    assert [f.form_id for f in forms(after)] == ["contact:new"]
    again = sam.command("start")
    assert [f.form_id for f in forms(again)] == ["contact:new"]


def test_duplicate_event_id_has_no_second_effect(engine: Engine) -> None:
    sam = User(engine)
    sam.onboard()
    event = CommandInvoked(event_id="slack-retry-1", actor=sam.actor, place=sam.place,
                           received_at=engine.clock(), name="list")
    assert engine.handle(event)
    assert engine.handle(event) == []


def test_state_survives_a_new_engine(engine: Engine, clock: SimulatedClock) -> None:
    sam = User(engine)
    sam.onboard()
    number = sam.add_contact()
    fresh = Engine(engine.database, clock=clock)
    listing = text_of(User(fresh).command("list"))
    assert "Dr. Jordan Lee" in listing
    assert "Outreach drafted" in listing
    assert number == 1


def test_tenants_never_see_each_other(engine: Engine) -> None:
    sam_a = User(engine, "sam", tenant="team-a")
    sam_a.onboard()
    sam_a.add_contact()
    sam_b = User(engine, "sam", tenant="team-b")
    listing = text_of(sam_b.command("list"))
    assert "Jordan" not in listing
    assert "no contacts yet" in listing


def test_unknown_subcommand_gets_help(engine: Engine) -> None:
    effects = User(engine).command("frobnicate", "now")
    assert isinstance(effects[0], Reply)
    text = text_of(effects)
    assert "frobnicate" in text and "`list`" in text


def test_reminder_is_created_with_the_change_and_cancelled_by_the_reply(
        engine: Engine, clock: SimulatedClock) -> None:
    sam = User(engine)
    sam.onboard()
    number = sam.add_contact()
    sam.click("mark_sent", str(number))
    due = engine.next_reminder_due("console", "sam")
    assert due is not None and due > clock()
    sam.click("replied", str(number))
    assert engine.next_reminder_due("console", "sam") is None
    clock.advance(timedelta(days=10))
    assert engine.claim_due_reminders("console") == []


def test_settings_with_a_zone_prefills_it_and_the_form_still_validates(engine: Engine) -> None:
    sam = User(engine)
    sam.onboard()
    [form] = forms(sam.command("settings", " Asia/Tokyo "))
    assert form.values["tz"] == "Asia/Tokyo"
    [form] = forms(sam.command("settings"))
    assert form.values["tz"] == "America/Chicago"
    [form] = forms(sam.command("settings", "Mars/Olympus"))
    again = forms(sam.submit("settings", dict(form.values)))
    assert again and "tz" in again[0].errors
