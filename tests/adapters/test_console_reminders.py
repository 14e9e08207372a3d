"""The console delivers reminders through the dispatcher every platform uses: a reminder whose
preparation fails is retried after the dispatcher's backoff and arrives once, and only the
reminders of whoever is at the terminal are claimed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from infointerview.adapters.console.adapter import ConsoleAdapter
from infointerview.core import Engine, Event, ReminderDue, SimulatedClock
from tests.helpers import User


def no_reply_nudge_due(engine: Engine, user_id: str = "sam") -> None:
    person = User(engine, user_id)
    person.onboard()
    person.click("mark_sent", str(person.add_contact()))


def test_a_reminder_that_fails_to_be_prepared_comes_back_after_the_backoff(
        engine: Engine, clock: SimulatedClock, monkeypatch: pytest.MonkeyPatch) -> None:
    no_reply_nudge_due(engine)
    session = ConsoleAdapter(engine, "sam", clock=clock)
    due = engine.next_reminder_due("console", "sam")
    assert due is not None
    clock.set(due)
    handle = engine.handle

    def fails_once(event: Event) -> list[object]:
        if isinstance(event, ReminderDue):
            monkeypatch.setattr(engine, "handle", handle)
            raise RuntimeError("the database went away")
        return list(handle(event))

    monkeypatch.setattr(engine, "handle", fails_once)
    outputs = session.deliver_due()
    assert [o.notice for o in outputs] == [
        "A reminder could not be prepared; it will be tried again."]
    assert engine.next_reminder_due("console", "sam") == due + timedelta(minutes=2)
    assert session.deliver_due() == []  # not before its backoff

    clock.set(due + timedelta(minutes=2))
    [nudge] = session.deliver_due()
    assert nudge.dm and nudge.message is not None
    assert nudge.message.plain_text().startswith("No reply from Dr. Jordan Lee")
    assert session.buttons == list(nudge.message.buttons)
    assert session.deliver_due() == []  # delivered once


def test_only_the_person_at_the_terminal_is_delivered_to(
        engine: Engine, clock: SimulatedClock) -> None:
    no_reply_nudge_due(engine, "sam")
    no_reply_nudge_due(engine, "ben")
    session = ConsoleAdapter(engine, "sam", clock=clock)
    due = engine.next_reminder_due("console", "ben")
    assert due is not None
    clock.set(due + timedelta(minutes=1))
    [nudge] = session.deliver_due()
    assert nudge.to_user == "sam"
    assert engine.next_reminder_due("console", "ben") == due  # ben's waits for /as ben


def test_reminders_delivered_together_keep_every_numbered_choice(
        engine: Engine, clock: SimulatedClock) -> None:
    """Two reminders arriving in one tick are shown numbered 1 to n on and on (as the terminal
    prints them): a number from the second one presses its button, not 'no such choice'."""
    no_reply_nudge_due(engine)
    session = ConsoleAdapter(engine, "sam", clock=clock)
    due = engine.next_reminder_due("console", "sam")
    assert due is not None
    clock.set(due + timedelta(days=5))  # the three-day nudge and the week's follow-up, at once
    first, second = session.deliver_due()
    assert first.message is not None and second.message is not None
    assert "It's been a week since you wrote" in second.message.plain_text()
    assert session.buttons == [*first.message.buttons, *second.message.buttons]
