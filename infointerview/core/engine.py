"""The engine: one event in, one transaction, the effects out.

It is the imperative shell around the pure journey: dedupe the event, lock and load the person's
state, run the journey, save the state and the reminders it asked for, commit, return effects.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from infointerview.core.access import WebAccess
from infointerview.core.cohorts import export as cohort_export
from infointerview.core.cohorts import service as cohorts
from infointerview.core.deadline import ANSWER_WITHIN_S, COMMIT_GRACE_S, Attempt, TooLate
from infointerview.core.journey.context import Ctx, JourneyConfig
from infointerview.core.journey.pipeline import overview
from infointerview.core.journey.questions import QuestionBank
from infointerview.core.journey.router import step
from infointerview.core.journey.state import UserState
from infointerview.core.model import (
    Actor,
    Cancel,
    Effect,
    Event,
    Message,
    Place,
    ReminderDue,
    Reply,
    Schedule,
    TextBlock,
)
from infointerview.core.observe import NullObserver, Observer
from infointerview.core.richtext import RichText
from infointerview.core.store import inbox, queue, repo
from infointerview.core.store.cohort_port import StoredCohorts
from infointerview.core.store.db import Database
from infointerview.core.templates import Templates

log = logging.getLogger(__name__)
INBOX_KEPT_FOR = timedelta(days=7)  # handled requests stay a week, to look at, then go
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class Engine:
    def __init__(
        self,
        database: Database,
        *,
        templates: Templates | None = None,
        bank: QuestionBank | None = None,
        config: JourneyConfig | None = None,
        clock: Clock = utc_now,
        observer: Observer | None = None,
        web_access: WebAccess | None = None,
    ) -> None:
        self.observer: Observer = observer or NullObserver()
        # makes the sign-in links /infointerview dashboard sends; None: no web pages
        self.web_access = web_access
        self.database = database
        self.templates = templates or Templates()
        self.bank = bank or QuestionBank.load()
        self.config = config or JourneyConfig()
        self.clock = clock

    def handle(self, event: Event) -> list[Effect]:
        """Handle one event in one transaction; a repeated ``event_id`` yields no effects."""
        return self.run(event).effects

    def run(self, event: Event, attempt: Attempt | None = None, *,
            inbox_id: int | None = None) -> Handled:
        """``handle``, saying whether the event was saved; with an ``attempt``, the commit
        happens only if its caller has not given up waiting (see ``core.deadline``). With an
        ``inbox_id`` (the request as kept before its ack) that row is marked done with the
        event's writes, or as not saved when the person is told so."""
        started = time.perf_counter()
        outcome = "error"
        try:
            effects, outcome = self._handle(event, attempt, inbox_id)
            return Handled(effects, saved=outcome in SAVED)
        finally:
            self.observer.event_handled(type(event).__name__, outcome,
                                        time.perf_counter() - started)

    def not_saved(self) -> Handled:
        """The honest answer when the database could not take the event in time."""
        return Handled([Reply(self._wording("common/not_saved.j2", FALLBACK_NOT_SAVED))],
                       saved=False)

    def _handle(self, event: Event, attempt: Attempt | None,
                inbox_id: int | None) -> tuple[list[Effect], str]:
        now = self.clock()
        try:
            # the event, its dedupe row, its effects' rows and its inbox mark commit together
            with self.database.begin() as connection:
                result = self._in_transaction(connection, event, now)
                if inbox_id is not None:
                    inbox.mark_done(connection, inbox_id, now, inbox.DUPLICATE
                                    if result[1] == "duplicate" else inbox.HANDLED)
                if attempt is not None:
                    attempt.begin_commit()
            return result
        except Exception as exc:
            if isinstance(event, ReminderDue):
                raise  # the dispatcher retries it later; an apology would mark it delivered
            if inbox_id is not None:
                # the person is told it was not saved: handling it at the next start-up
                # would contradict that (and double it when they try again)
                self.inbox_done(inbox_id, inbox.NOT_SAVED)
            if _database_unavailable(exc):
                log.warning("event %s not saved: the database did not answer (%s)",
                            type(event).__name__, type(exc).__name__)
                return self.not_saved().effects, "unavailable"
            # A bug must not take the bot down or lose the person's input silently.
            log.exception("event %s failed", type(event).__name__)
            return [Reply(self._apology())], "error"

    def _in_transaction(self, connection: Connection, event: Event,
                        now: datetime) -> tuple[list[Effect], str]:
        if isinstance(event, ReminderDue):
            # the reminder row's status, not an event id, keeps a nudge from doubling
            found = repo.find_user(connection, event.actor)
            if found is None:
                return [], "ok"  # the person asked to be forgotten meanwhile
            user = found
        elif not repo.record_event(connection, event.actor, event.event_id, now):
            return [], "duplicate"
        else:
            user = repo.lock_user(connection, event.actor, now)
        rows, state = repo.load_state(connection, user)
        if event.actor.display_name and not state.display_name:
            state.display_name = event.actor.display_name
        if event.actor.tz and state.settings.tz == "UTC" and not state.profile.name:
            state.settings.tz = event.actor.tz  # the platform knows it; asked otherwise
        stored_cohorts = StoredCohorts(connection, user)
        ctx = Ctx(state=state, now=now, user_id=event.actor.user_id, place=event.place,
                  templates=self.templates, bank=self.bank, config=self.config,
                  cohort_data=partial(cohort_export.personal_data, stored_cohorts),
                  actor=event.actor, cohorts=stored_cohorts,
                  # the link's row commits with the event, or not at all
                  web_link=None if self.web_access is None else
                  partial(self.web_access.new_link, connection, user["id"]))
        step(ctx, event)
        if state.forgotten:
            # cohorts first: their digests and coach roles outlive this person's rows
            cohorts.forget_person(ctx)
            repo.forget_user(connection, user)
            inbox.forget_person(connection, event.actor.platform, event.actor.tenant,
                                event.actor.user_id)
        else:
            repo.write_back(connection, user, state, rows,
                            [e for e in ctx.effects if isinstance(e, Schedule | Cancel)], now)
        return [e for e in ctx.effects if not isinstance(e, Schedule | Cancel)], "ok"

    # --- the inbox: requests kept before their ack --------------------------------------------

    def keep(self, *, platform: str, tenant: str, user_id: str, kind: str, event_id: str,
             payload: dict[str, Any], attempt: Attempt | None = None) -> int:
        """Keep a request in the inbox before acknowledging it (one small INSERT); with an
        ``attempt``, it commits only if its caller is still waiting."""
        with self.database.begin() as connection:
            kept = inbox.record(connection, platform=platform, tenant=tenant,
                                user_id=user_id, kind=kind, event_id=event_id,
                                payload=payload, received_at=self.clock())
            if attempt is not None:
                attempt.begin_commit()
        return kept

    def inbox_pending(self, platform: str) -> list[inbox.InboxEntry]:
        """Requests kept and not handled (a process died after their ack), oldest first."""
        with self.database.begin() as connection:
            return inbox.pending(connection, platform)

    def inbox_done(self, inbox_id: int, outcome: str) -> None:
        """Mark a kept request done outside an event's transaction; a database that fails
        here leaves it pending (logged), to be handled at the next start-up."""
        try:
            with self.database.begin() as connection:
                inbox.mark_done(connection, inbox_id, self.clock(), outcome)
        except Exception:
            log.warning("inbox row %s not marked %s", inbox_id, outcome, exc_info=True)

    def prune_inbox(self, keep_for: timedelta = INBOX_KEPT_FOR) -> int:
        """Forget requests handled longer ago than ``keep_for``."""
        with self.database.begin() as connection:
            return inbox.prune(connection, self.clock() - keep_for)

    def overview(self, actor: Actor) -> Message:
        """A read-only summary for a home screen (Slack's App Home); writes nothing."""
        with self.database.begin() as connection:
            user = repo.find_user(connection, actor)
            state = repo.load_state(connection, user)[1] if user is not None else UserState()
        ctx = Ctx(state=state, now=self.clock(), user_id=actor.user_id, place=Place(),
                  templates=self.templates, bank=self.bank, config=self.config)
        return overview(ctx)

    def contact_names(self, actor: Actor) -> list[tuple[int, str]]:
        """A person's contacts as (number, name), for a platform's autocomplete; read-only."""
        with self.database.begin() as connection:
            user = repo.find_user(connection, actor)
            if user is None:
                return []
            return [(no, str(row["name"]))
                    for no, row in repo.load_contacts(connection, user["id"]).items()]

    # --- reminders -------------------------------------------------------------------------------

    def next_reminder_due(self, platform: str, user_id: str | None = None) -> datetime | None:
        with self.database.begin() as connection:
            return queue.next_due(connection, platform, self.clock(), user_id)

    def claim_due_reminders(self, platform: str, limit: int = 50, user_id: str | None = None,
                            lease: timedelta = queue.DEFAULT_LEASE) -> list[ReminderDue]:
        """Claim due reminders for ``lease``; one not marked by then is handed out again."""
        now = self.clock()
        with self.database.begin() as connection:
            claimed = queue.claim_due(connection, platform, now, limit, lease, user_id=user_id)
        return [
            ReminderDue(
                event_id=f"reminder:{r.id}:{r.attempts}",
                actor=Actor(r.platform, r.tenant, r.user_id),
                place=Place("dm", True), received_at=now, reminder_id=r.id, kind=r.kind,
                contact_no=r.contact_no, due_at=r.due_at, attempts=r.attempts,
            )
            for r in claimed
        ]

    def renew_reminder_leases(self, reminder_ids: list[int], held_until: datetime,
                              lease: timedelta) -> tuple[list[int], datetime]:
        """The dispatcher's heartbeat: extend the lease of claimed reminders it is still
        working on to ``lease`` from now. Returns the ids still held and their new lease end;
        an id missing was taken over by another process after this claim's lease ran out."""
        now = self.clock()
        with self.database.begin() as connection:
            renewed = queue.renew(connection, reminder_ids, held_until, now + lease, now)
        return renewed, now + lease

    def release_reminders(self, reminder_ids: list[int]) -> None:
        """Give back claimed reminders this process will not send (it is shutting down, or
        their lease is running out)."""
        if reminder_ids:
            with self.database.begin() as connection:
                queue.release(connection, reminder_ids, self.clock())

    def ping(self) -> None:
        """Raise if the database cannot be reached (readiness checks)."""
        with self.database.begin() as connection:
            connection.execute(text("SELECT 1"))

    def reminder_delivered(self, reminder_id: int, ref: str = "") -> None:
        with self.database.begin() as connection:
            if queue.mark_delivered(connection, reminder_id, self.clock(), ref):
                queue.clear_undelivered(connection, reminder_id)

    def reminders_needed_no_dm(self, reminder_ids: list[int]) -> None:
        """Mark reminders that turned out to need no DM (cancelled meanwhile, nothing left to
        say) as done, a batch in one statement. Safe to do after the batch: no DM went out for
        them, so a crash before this repeats nothing. A warning that earlier DMs were refused
        stays: nothing here shows that DMs get through again."""
        with self.database.begin() as connection:
            queue.mark_delivered_many(connection, reminder_ids, self.clock())

    def reminder_retry(self, reminder_id: int, error: str, retry_at: datetime) -> None:
        """A passing failure (rate limit, network): try again at ``retry_at``."""
        with self.database.begin() as connection:
            queue.mark_failed(connection, reminder_id, self.clock(), error, retry_at)

    def reminder_undeliverable(self, reminder_id: int, error: str,
                               retry_at: datetime | None) -> None:
        """The platform refused the DM; recorded on the person so `list` can say so. With no
        ``retry_at`` the reminder is given up."""
        with self.database.begin() as connection:
            queue.mark_failed(connection, reminder_id, self.clock(), error, retry_at)
            if retry_at is None:
                queue.note_undelivered(connection, reminder_id, error)

    def _apology(self) -> Message:
        return self._wording("common/error.j2", FALLBACK_APOLOGY)

    def _wording(self, template: str, fallback: str) -> Message:
        try:
            return Message(tuple(self.templates.blocks(template, {})))
        except Exception:  # an overridden template may itself be broken
            return Message((TextBlock(RichText.bot(fallback)),))


@dataclass(frozen=True, slots=True)
class Handled:
    effects: list[Effect]
    saved: bool  # False: nothing of the event was kept, and the effects say so


async def handle_in_time(engine: Engine, event: Event, within: float = ANSWER_WITHIN_S, *,
                         inbox_id: int | None = None) -> Handled:
    """``engine.run(event)`` in a worker thread, answered within ``within`` seconds: past it,
    the event is not saved and the effects are the engine's "couldn't save that just now".
    ``inbox_id``: the request as kept before its ack, marked done with the event."""
    attempt = Attempt()
    work = asyncio.ensure_future(asyncio.to_thread(
        partial(engine.run, event, attempt, inbox_id=inbox_id)))
    done, _ = await asyncio.wait({work}, timeout=within)
    if not done and not attempt.give_up():
        # the commit is under way: it will be saved or not within moments
        done, _ = await asyncio.wait({work}, timeout=COMMIT_GRACE_S)
    if done:
        return work.result()
    engine.observer.event_handled(type(event).__name__, "too_late", within)
    # Still committing past the grace: the outcome is unknown, so the person is asked to try
    # again; the event id makes a retry of something that did commit a no-op, not a second one.
    return engine.not_saved()


SAVED = frozenset({"ok", "duplicate"})  # a duplicate was saved the first time


def _database_unavailable(exc: Exception) -> bool:
    """The database did not take the event: refused, hung past a timeout, cut off, or the
    caller gave up waiting. Nothing was committed; trying again later is the remedy."""
    if isinstance(exc, TooLate | OperationalError | PoolTimeout):
        return True
    return isinstance(exc, DBAPIError) and exc.connection_invalidated


FALLBACK_NOT_SAVED = "I couldn't save that just now \u2014 please try again in a moment."
FALLBACK_APOLOGY = ("Sorry, something went wrong on my side and that step was not saved. "
                    "Please try again in a moment.")
