"""The neutral vocabulary shared by the engine and every adapter.

Adapters translate platform payloads into these events and render these messages; nothing here
knows Slack, Discord or a terminal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Literal

from infointerview.core.forms import Form
from infointerview.core.richtext import RichText

# --- who and where -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Actor:
    """A person on one platform, inside one tenant (a Slack team, a Discord guild, the console)."""

    platform: str
    tenant: str
    user_id: str
    display_name: str = ""
    tz: str | None = None
    manager: bool = False  # may make a channel a cohort (channel manager, admin, coach role)


@dataclass(frozen=True, slots=True)
class Place:
    channel_id: str = "dm"
    is_dm: bool = True


# --- events in -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CommandInvoked:
    event_id: str
    actor: Actor
    place: Place
    received_at: datetime
    name: str
    args: str = ""


@dataclass(frozen=True, slots=True)
class TextReceived:
    event_id: str
    actor: Actor
    place: Place
    received_at: datetime
    text: str


@dataclass(frozen=True, slots=True)
class ActionClicked:
    event_id: str
    actor: Actor
    place: Place
    received_at: datetime
    action: str
    value: str = ""


@dataclass(frozen=True, slots=True)
class FormSubmitted:
    event_id: str
    actor: Actor
    place: Place
    received_at: datetime
    form_id: str
    values: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ReminderDue:
    event_id: str
    actor: Actor
    place: Place
    received_at: datetime
    reminder_id: int
    kind: str
    contact_no: int | None
    due_at: datetime
    attempts: int = 1


Event = CommandInvoked | TextReceived | ActionClicked | FormSubmitted | ReminderDue


# --- messages ------------------------------------------------------------------------------------


class ButtonStyle(StrEnum):
    DEFAULT = "default"
    PRIMARY = "primary"
    DANGER = "danger"


@dataclass(frozen=True, slots=True)
class Button:
    action: str
    label: str
    value: str = ""
    style: ButtonStyle = ButtonStyle.DEFAULT


@dataclass(frozen=True, slots=True)
class TextBlock:
    text: RichText
    kind: Literal["text"] = "text"


@dataclass(frozen=True, slots=True)
class DraftBlock:
    """Text the user will copy and send themselves (an e-mail, a LinkedIn note)."""

    title: str
    body: str
    subject: str | None = None
    kind: Literal["draft"] = "draft"


@dataclass(frozen=True, slots=True)
class FieldsBlock:
    fields: tuple[tuple[str, str], ...]
    kind: Literal["fields"] = "fields"


@dataclass(frozen=True, slots=True)
class DividerBlock:
    kind: Literal["divider"] = "divider"


Block = TextBlock | DraftBlock | FieldsBlock | DividerBlock


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True, slots=True)
class Message:
    blocks: tuple[Block, ...] = ()
    buttons: tuple[Button, ...] = ()
    attachments: tuple[Attachment, ...] = ()

    def plain_text(self) -> str:
        """A text-only fallback (notifications, platforms without rich rendering)."""
        parts: list[str] = []
        for block in self.blocks:
            if isinstance(block, TextBlock):
                parts.append(block.text.plain())
            elif isinstance(block, DraftBlock):
                head = f"{block.title}\n"
                if block.subject:
                    head += f"Subject: {block.subject}\n"
                parts.append(head + block.body)
            elif isinstance(block, FieldsBlock):
                parts.append("\n".join(f"{k}: {v}" for k, v in block.fields))
            else:
                parts.append("---")
        return "\n\n".join(parts)


# --- effects out ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reply:
    message: Message
    ephemeral: bool = True
    # Only says "I've sent that to your DMs": an adapter that finds the DM refused says that
    # instead, so the person is never told both.
    points_to_dm: bool = False


@dataclass(frozen=True, slots=True)
class SendDM:
    user_id: str
    message: Message


@dataclass(frozen=True, slots=True)
class OpenForm:
    form: Form


@dataclass(frozen=True, slots=True)
class PostToChannel:
    channel_id: str
    message: Message


@dataclass(frozen=True, slots=True)
class Schedule:
    """Ask for a reminder; the engine writes it in the same transaction as the change."""

    key: str
    kind: str
    due_at: datetime
    contact_no: int | None = None


@dataclass(frozen=True, slots=True)
class Cancel:
    key: str


Effect = Reply | SendDM | OpenForm | PostToChannel | Schedule | Cancel
