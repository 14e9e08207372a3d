"""An event's transaction racing its caller's deadline (``core.deadline``): a caller that gave
up has told the person "not saved", so the transaction never commits after that, and the same
event handled again later is saved once."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest
from sqlalchemy import func, select

from infointerview.core import Engine, handle_in_time
from infointerview.core.deadline import Attempt
from infointerview.core.model import FormSubmitted, Place
from infointerview.core.store import repo
from infointerview.core.store.repo import CONTACTS
from tests.helpers import CONTACT, User

NOT_SAVED = "couldn't save that just now"


def contacts(engine: Engine) -> int:
    with engine.database.begin() as conn:
        return int(conn.scalar(select(func.count()).select_from(CONTACTS)) or 0)


def add_contact_event(person: User, event_id: str) -> FormSubmitted:
    """The contact form, submitted: it makes a contact."""
    person.command("start")
    return FormSubmitted(event_id=event_id, actor=person.actor, place=Place("dm", True),
                         received_at=person.engine.clock(), form_id="contact:new",
                         values=CONTACT)


def test_an_event_whose_caller_gave_up_rolls_back_and_can_be_sent_again(
        engine: Engine) -> None:
    person = User(engine)
    person.onboard()
    before = contacts(engine)
    event = add_contact_event(person, "ev-late")
    attempt = Attempt()
    assert attempt.give_up()
    handled = engine.run(event, attempt)
    assert not handled.saved and NOT_SAVED in str(handled.effects)
    assert contacts(engine) == before
    assert engine.run(event).saved  # the event id was not spent: the retry is handled
    assert contacts(engine) == before + 1
    assert engine.handle(event) == []  # and only once


def test_a_commit_that_began_is_not_given_up() -> None:
    attempt = Attempt()
    attempt.begin_commit()
    assert attempt.give_up() is False


def test_a_slow_database_is_answered_in_time_and_the_late_work_is_not_kept(
        engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    person = User(engine)
    person.onboard()
    before = contacts(engine)
    finished = threading.Event()
    write_back = repo.write_back

    def slow_write_back(*args: Any, **kwargs: Any) -> None:
        time.sleep(0.6)  # the database hangs, then answers
        write_back(*args, **kwargs)
        finished.set()

    monkeypatch.setattr(repo, "write_back", slow_write_back)
    event = add_contact_event(person, "ev-slow")

    async def answer() -> tuple[Any, float]:
        started = time.perf_counter()
        handled = await handle_in_time(engine, event, within=0.2)
        return handled, time.perf_counter() - started

    handled, elapsed = asyncio.run(answer())  # asyncio.run then waits for the worker thread
    assert elapsed < 0.5, elapsed
    assert not handled.saved and NOT_SAVED in str(handled.effects)
    assert finished.wait(5)
    time.sleep(0.2)  # the worker thread reaches its commit, and rolls back instead
    assert contacts(engine) == before
    monkeypatch.undo()
    assert asyncio.run(handle_in_time(engine, event)).saved
    assert contacts(engine) == before + 1
