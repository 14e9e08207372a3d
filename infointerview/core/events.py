"""Building the event a person's request becomes, one way for every adapter.

Each adapter translates its platform's payload into the pieces (who, where, what kind, the
kind's own fields) and this assembles them, so the envelope every event carries (its id and the
moment it was received) is filled in the same way on Slack, Discord and the console.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, TypeVar

from infointerview.core.model import (
    ActionClicked,
    Actor,
    CommandInvoked,
    FormSubmitted,
    Place,
    TextReceived,
)

# what a person can do; a reminder falling due is built by the engine from its queue row
Request = TypeVar("Request", CommandInvoked, TextReceived, ActionClicked, FormSubmitted)


def incoming(kind: type[Request], actor: Actor, place: Place, *, received_at: datetime,
             event_id: str | None = None, **fields: Any) -> Request:
    """An event of ``kind`` from ``actor`` at ``place``. ``event_id`` is the platform's own id
    for the request, the same when the platform delivers it again, so the engine drops the
    repeat; a platform with no such id (the console) leaves it out and gets a fresh one."""
    return kind(event_id=event_id or uuid.uuid4().hex, actor=actor, place=place,
                received_at=received_at, **fields)
