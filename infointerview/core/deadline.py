"""Answering within a platform's deadline, honestly.

Slack and Discord wait 3 seconds for an answer. The engine runs an event in a worker thread, and
a thread blocked on a hung database cannot be stopped; so the caller stops *waiting* and answers
"not saved", and the event's transaction must then never commit, or the answer would be a lie
and a retry would make the same thing twice. :class:`Attempt` settles that race: the engine
claims the right to commit just before it commits, the caller claims the right to give up at
its deadline, and whichever comes first wins. A transaction whose caller gave up rolls back.
(The caller's side is ``core.engine.handle_in_time``.)
"""

from __future__ import annotations

import threading

ANSWER_WITHIN_S = 2.0  # of the platforms' 3 s, leaving time for the commit grace and the network
COMMIT_GRACE_S = 0.3  # a commit that has begun may finish within the rest


class TooLate(Exception):
    """The caller stopped waiting before the commit began: roll the event back."""


class Attempt:
    """One event's transaction racing its caller's deadline; exactly one of them wins."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state = "running"

    def begin_commit(self) -> None:
        """Called by the engine just before COMMIT; raises :class:`TooLate` if the caller
        already gave up (it has told the person nothing was saved)."""
        with self._lock:
            if self._state == "given_up":
                raise TooLate("the answer was already given: not saved")
            self._state = "committing"

    def give_up(self) -> bool:
        """Called by the caller at its deadline; False when the commit has already begun
        (its outcome is not known yet)."""
        with self._lock:
            if self._state == "committing":
                return False
            self._state = "given_up"
            return True
