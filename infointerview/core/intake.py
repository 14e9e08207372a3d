"""Intake: a request is kept in the inbox before the platform is told we have it.

A platform that got its acknowledgement never sends the request again, so acknowledging first
and working after loses the request when the process dies in between. Adapters call
:func:`keep_in_time` before the ack; it answers within ``KEEP_WITHIN_S`` with the inbox id, or
with None when the database did not take the row in time (the adapter then tells the person
honestly that it was not saved, and nothing of the request is committed later). Requests of one
person are then handled one after the other in the order they were kept (:class:`Lines`), and
at start-up the rows left pending are handled again (``Engine.inbox_pending``).
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from infointerview.core.deadline import COMMIT_GRACE_S, Attempt, TooLate
from infointerview.core.store.inbox import NOT_SAVED

if TYPE_CHECKING:
    from infointerview.core.engine import Engine

log = logging.getLogger(__name__)

# Of Slack's 3 s: the row must be in before the ack, and a refusal must leave time to say so
KEEP_WITHIN_S = 1.2
_SETTING_ASIDE: set[asyncio.Future[None]] = set()  # marks under way (kept from the collector)


async def keep_in_time(engine: Engine, *, platform: str, tenant: str, user_id: str, kind: str,
                       event_id: str, payload: dict[str, Any],
                       within: float = KEEP_WITHIN_S) -> int | None:
    """Write the request to the inbox; its id, or None if the database did not take it in
    ``within`` seconds (then it is not committed later either)."""
    attempt = Attempt()

    def keep() -> int:
        return engine.keep(platform=platform, tenant=tenant, user_id=user_id, kind=kind,
                           event_id=event_id, payload=payload, attempt=attempt)

    work = asyncio.ensure_future(asyncio.to_thread(keep))
    done, _ = await asyncio.wait({work}, timeout=within)
    if not done and not attempt.give_up():
        done, _ = await asyncio.wait({work}, timeout=COMMIT_GRACE_S)
    if not done:
        # its commit was under way past the grace: if it lands, the row is marked not saved
        # at once, as the person is being told, so no start-up replays it
        work.add_done_callback(functools.partial(_set_aside_if_kept, engine))
        log.warning("%s %s not kept: the database did not answer in time", platform, kind)
        return None
    try:
        return work.result()
    except TooLate:
        return None
    except Exception as exc:  # refused, cut off, pool exhausted: the person is told
        log.warning("%s %s not kept: %s", platform, kind, type(exc).__name__)
        return None


def _set_aside_if_kept(engine: Engine, work: asyncio.Future[int]) -> None:
    if work.cancelled() or work.exception() is not None:
        return
    log.warning("inbox row %s committed after its caller gave up: marked not saved",
                work.result())
    marking = asyncio.ensure_future(asyncio.to_thread(engine.inbox_done, work.result(),
                                                      NOT_SAVED))
    _SETTING_ASIDE.add(marking)
    marking.add_done_callback(_SETTING_ASIDE.discard)


class Lines:
    """One line per person: requests are handled one at a time in the order they joined.

    ``join`` is synchronous, so a request joins its line in the order the listener reached it
    (before its ack: the person's next request cannot arrive earlier); waiting for its turn is
    the ``async with``."""

    def __init__(self) -> None:
        self._last: dict[Hashable, asyncio.Future[None]] = {}

    def join(self, person: Hashable) -> Turn:
        before = self._last.get(person)
        mine: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._last[person] = mine
        return Turn(self, person, before, mine)

    def _leave(self, person: Hashable, mine: asyncio.Future[None]) -> None:
        mine.set_result(None)
        if self._last.get(person) is mine:
            del self._last[person]  # nobody behind: the line is gone

    def __len__(self) -> int:
        return len(self._last)


class Turn:
    def __init__(self, lines: Lines, person: Hashable, before: asyncio.Future[None] | None,
                 mine: asyncio.Future[None]) -> None:
        self._lines, self._person, self._before, self._mine = lines, person, before, mine

    @asynccontextmanager
    async def held(self, first: Callable[[], Awaitable[object]] | None = None,
                   ) -> AsyncIterator[None]:
        """Wait for this turn (after ``first``, e.g. the ack, which must not wait for the
        person's earlier requests); the turn passes on however the block ends, even when
        ``first`` fails, so a person's line never stalls."""
        try:
            if first is not None:
                await first()
            if self._before is not None:
                await asyncio.shield(self._before)
            yield
        finally:
            self._lines._leave(self._person, self._mine)
