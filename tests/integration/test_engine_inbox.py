"""The engine and the inbox: a request kept before its ack is marked done in the transaction
that handles it, a repeat is marked done without a second effect, and a request the person was
told was not saved is never handled later."""

from __future__ import annotations

import asyncio
import threading
import time

from sqlalchemy import text

from infointerview.core import CommandInvoked, Engine
from infointerview.core.deadline import Attempt
from infointerview.core.intake import Lines, Turn, keep_in_time
from tests.helpers import User, text_of


def _list(sam: User, engine: Engine, event_id: str) -> CommandInvoked:
    return CommandInvoked(event_id=event_id, actor=sam.actor, place=sam.place,
                          received_at=engine.clock(), name="list")


def _keep(engine: Engine, event_id: str) -> int:
    return engine.keep(platform="console", tenant="local", user_id="sam", kind="command",
                       event_id=event_id, payload={"name": "list"})


def _outcome(engine: Engine, inbox_id: int) -> str:
    with engine.database.begin() as connection:
        return str(connection.execute(text("SELECT outcome FROM inbox WHERE id = :id"),
                                      {"id": inbox_id}).scalar_one())


def test_a_kept_request_is_marked_done_when_its_event_is_handled(engine: Engine) -> None:
    sam = User(engine)
    sam.onboard()
    kept = _keep(engine, "cmd-1")
    assert [entry.id for entry in engine.inbox_pending("console")] == [kept]
    handled = engine.run(_list(sam, engine, "cmd-1"), inbox_id=kept)
    assert handled.saved and "contacts" in text_of(handled.effects).lower()
    assert engine.inbox_pending("console") == []
    assert _outcome(engine, kept) == "handled"


def test_a_replayed_request_already_handled_is_marked_done_without_effects(
        engine: Engine) -> None:
    sam = User(engine)
    sam.onboard()
    kept = _keep(engine, "cmd-2")
    assert engine.run(_list(sam, engine, "cmd-2")).effects  # handled, the mark was lost
    assert engine.run(_list(sam, engine, "cmd-2"), inbox_id=kept).effects == []
    assert engine.inbox_pending("console") == []
    assert _outcome(engine, kept) == "duplicate"


def test_a_request_whose_caller_gave_up_is_not_saved_and_never_replayed(
        engine: Engine) -> None:
    sam = User(engine)
    sam.onboard()
    kept = _keep(engine, "cmd-3")
    attempt = Attempt()
    assert attempt.give_up()
    handled = engine.run(_list(sam, engine, "cmd-3"), attempt, inbox_id=kept)
    assert not handled.saved
    assert engine.inbox_pending("console") == []
    assert _outcome(engine, kept) == "not_saved"


def test_keep_in_time_returns_the_inbox_id_or_none_when_the_database_is_too_slow(
        engine: Engine) -> None:
    kept = asyncio.run(keep_in_time(engine, platform="console", tenant="local",
                                    user_id="sam", kind="command", event_id="cmd-4",
                                    payload={}))
    assert kept is not None
    assert [entry.id for entry in engine.inbox_pending("console")] == [kept]
    if engine.database.is_postgres:
        return  # the writer lock that stands in for a slow database exists on SQLite only
    held = threading.Event()

    def another_writer() -> None:
        with engine.database._writer:
            held.set()
            time.sleep(1.0)

    writer = threading.Thread(target=another_writer)
    writer.start()
    held.wait()
    late = asyncio.run(keep_in_time(engine, platform="console", tenant="local",
                                    user_id="sam", kind="command", event_id="cmd-5",
                                    payload={}, within=0.2))
    writer.join()
    assert late is None  # the caller answers "not saved", and the row was rolled back
    assert [entry.event_id for entry in engine.inbox_pending("console")] == ["cmd-4"]


def test_a_persons_requests_take_turns_in_the_order_they_joined_and_others_do_not_wait(
        ) -> None:
    async def scenario() -> list[str]:
        lines, done = Lines(), []

        async def work(person: str, name: str, turn: Turn, delay: float) -> None:
            async with turn.held():
                await asyncio.sleep(delay)
                done.append(name)

        first = lines.join("sam")
        second = lines.join("sam")
        other = lines.join("kim")
        await asyncio.gather(work("sam", "sam-1", first, 0.1), work("sam", "sam-2", second, 0),
                             work("kim", "kim-1", other, 0))
        assert len(lines) == 0  # finished lines are forgotten
        return done

    assert asyncio.run(scenario()) == ["kim-1", "sam-1", "sam-2"]


def test_forget_me_removes_the_persons_handled_inbox_rows_with_what_they_typed(
        engine: Engine) -> None:
    sam, alex = User(engine, "sam"), User(engine, "alex")
    for person in (sam, alex):
        person.onboard()
        person.add_contact()
        kept = engine.keep(platform="console", tenant="local", user_id=person.actor.user_id,
                           kind="command", event_id=f"note-{person.actor.user_id}",
                           payload={"text": "note 1 private thought"})
        engine.run(CommandInvoked(event_id=f"note-{person.actor.user_id}", actor=person.actor,
                                  place=person.place, received_at=engine.clock(), name="note",
                                  args="1 private thought"), inbox_id=kept)
    sam.command("forget-me")
    sam.click("forget_confirm")
    with engine.database.begin() as connection:
        left = connection.execute(text("SELECT user_id, payload FROM inbox")).all()
    assert [user for user, _ in left] == ["alex"]


def test_a_turn_whose_ack_fails_still_lets_the_persons_next_request_through() -> None:
    async def scenario() -> list[str]:
        lines, done = Lines(), []
        failing, next_one = lines.join("sam"), lines.join("sam")

        async def ack_fails() -> None:
            raise ConnectionResetError("Slack went away")

        try:
            async with failing.held(first=ack_fails):
                done.append("never")
        except ConnectionResetError:
            pass
        async with next_one.held():
            done.append("next")
        return done

    assert asyncio.run(asyncio.wait_for(scenario(), 2)) == ["next"]
