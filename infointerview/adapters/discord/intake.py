"""Deferred Discord interactions kept before the deferral: what the inbox keeps of one, and the
event it stands for again (:mod:`adapters.discord.replay` answers them after a restart).

A deferral tells Discord we have the interaction, and Discord never sends it again: a process
killed after deferring and before the engine committed lost it. So when the engine runs past
its budget, the interaction is written to the inbox (the neutral event it stands for) before the
deferral, and marked done once the engine has answered.

Interactions answered within the budget are not kept: their answer comes after the commit, so
a kill before it shows the person "The application did not respond", never a false promise.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from infointerview.core import (
    ActionClicked,
    Actor,
    CommandInvoked,
    Event,
    FormSubmitted,
    InboxEntry,
    Place,
    incoming,
)

KIND = "interaction"
KEEP_BEFORE_DEFERRAL_S = 0.4  # between the engine's 2 s budget and Discord's 3 s

_KINDS: dict[str, type] = {"command": CommandInvoked, "click": ActionClicked,
                           "submit": FormSubmitted}
_FIELDS = {"command": ("name", "args"), "click": ("action", "value"),
           "submit": ("form_id", "values")}


def kept_payload(event: Event) -> dict[str, Any]:
    """What the inbox keeps of an interaction: the neutral event, enough to run it again."""
    kind = next(k for k, cls in _KINDS.items() if isinstance(event, cls))
    return {"kind": kind, "event_id": event.event_id, "user_id": event.actor.user_id,
            "display_name": event.actor.display_name, "manager": event.actor.manager,
            "channel": event.place.channel_id, "is_dm": event.place.is_dm,
            **{name: getattr(event, name) for name in _FIELDS[kind]}}


def event_of(entry: InboxEntry, now: datetime) -> Event:
    """The event an inbox row keeps (``ValueError``/``KeyError`` for one it cannot read)."""
    p = entry.payload
    kind = str(p["kind"])
    actor = Actor(entry.platform, entry.tenant, str(p["user_id"]), str(p["display_name"]),
                  manager=bool(p["manager"]))
    return incoming(_KINDS[kind], actor, Place(str(p["channel"]), bool(p["is_dm"])),
                    received_at=now, event_id=entry.event_id,
                    **{n: p[n] for n in _FIELDS[kind]})
