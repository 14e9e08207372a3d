"""Who sent a Slack payload, from which workspace and channel, whatever its shape.

Slash commands, clicks, modal submissions and message events each put the person and the channel
in a different place. Every listener starts from the same three answers, and so does a request
replayed from the inbox at start-up (no Bolt context then), so they are read here from the body
alone, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Body = dict[str, Any]


def tenant_of(body: Body) -> str:
    """The workspace a payload belongs to: every row is scoped by it."""
    team = body.get("team_id") or (body.get("team") or {}).get("id") \
        or (body.get("user") or {}).get("team_id")
    return str(team or body.get("enterprise_id") or "unknown")


@dataclass(frozen=True, slots=True)
class Sender:
    tenant: str
    user_id: str
    name: str = ""  # Slack's user name, used until the profile gives the real one
    channel: str = ""  # "" for a click on App Home, which has no channel


def sender_of(body: Body) -> Sender:
    tenant = tenant_of(body)
    event = body.get("event")
    if isinstance(event, dict):  # Events API: a message, App Home opened
        return Sender(tenant, str(event["user"]), channel=str(event.get("channel") or ""))
    if "user_id" in body:  # a slash command
        return Sender(tenant, str(body["user_id"]), str(body.get("user_name") or ""),
                      str(body.get("channel_id") or ""))
    user = body["user"]  # a click or a modal submission
    channel = (body.get("channel") or {}).get("id") \
        or (body.get("container") or {}).get("channel_id") or ""
    return Sender(tenant, str(user["id"]), str(user.get("name") or ""), str(channel))


def typed_in_dm(event: Body) -> bool:
    """A person typing in the bot's DM (not an edit, a join, another bot or ourselves)."""
    return event.get("channel_type") == "im" and not event.get("subtype") \
        and not event.get("bot_id") and bool(event.get("user"))


def click_id(body: Body, action: Body) -> str:
    return f"action:{body.get('trigger_id') or action['action_ts']}"


def message_id(body: Body) -> str:
    return f"event:{body.get('event_id') or (body.get('event') or {}).get('ts')}"
