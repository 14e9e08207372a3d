"""What a running process may want to count: the engine and the dispatcher report here, and the
composition root plugs in a metrics backend. The default counts nothing."""

from __future__ import annotations

from typing import Protocol


class Observer(Protocol):
    def event_handled(self, kind: str, outcome: str, seconds: float) -> None:
        """One event: its type, ``ok`` / ``duplicate`` / ``error``, and how long it took."""

    def reminder(self, outcome: str, late_seconds: float = 0.0) -> None:
        """A reminder ``claimed`` / ``delivered`` / ``silent`` / ``retried`` / ``failed``;
        for ``delivered``, how long after its due time it went out."""

    def platform_error(self, platform: str, kind: str) -> None:
        """A platform API refused or limited a call (``rate_limited``, an error code)."""


class NullObserver:
    def event_handled(self, kind: str, outcome: str, seconds: float) -> None:
        pass

    def reminder(self, outcome: str, late_seconds: float = 0.0) -> None:
        pass

    def platform_error(self, platform: str, kind: str) -> None:
        pass
