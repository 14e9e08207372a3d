"""infointerview's platform-neutral core: the coaching journey, its storage and reminders.

Adapters import only what this module exports.
"""

from core.clock import SimulatedClock, SystemClock, parse_duration
from core.deadline import ANSWER_WITHIN_S
from core.dispatch import (
    ChannelGateway,
    DeliveryError,
    Dispatcher,
    Gateway,
    RateLimited,
    TickReport,
    Undeliverable,
)
from core.engine import Engine, Handled, handle_in_time
from core.events import Request, incoming
from core.forms import Choice, Field, FieldKind, Form, parse_clock_time, parse_iso_date
from core.intake import KEEP_WITHIN_S, Lines, Turn, keep_in_time
from core.journey.catalog.commands import cohort_summary
from core.journey.catalog.commands import summary as command_summary
from core.journey.context import JourneyConfig
from core.journey.questions import QuestionBank
from core.model import (
    ActionClicked,
    Actor,
    Attachment,
    Block,
    Button,
    ButtonStyle,
    Cancel,
    CommandInvoked,
    DividerBlock,
    DraftBlock,
    Effect,
    Event,
    FieldsBlock,
    FormSubmitted,
    Message,
    OpenForm,
    Place,
    PostToChannel,
    ReminderDue,
    Reply,
    Schedule,
    SendDM,
    TextBlock,
    TextReceived,
)
from core.observe import NullObserver, Observer
from core.richtext import RichText, Segment, clean_user_text
from core.store.db import Database
from core.store.inbox import InboxEntry
from core.templates import Templates
from core.timezones import zone_label

__all__ = [
    "ANSWER_WITHIN_S",
    "KEEP_WITHIN_S",
    "ActionClicked",
    "Actor",
    "Attachment",
    "Block",
    "Button",
    "ButtonStyle",
    "Cancel",
    "ChannelGateway",
    "Choice",
    "CommandInvoked",
    "Database",
    "DeliveryError",
    "Dispatcher",
    "DividerBlock",
    "DraftBlock",
    "Effect",
    "Engine",
    "Event",
    "Field",
    "FieldKind",
    "FieldsBlock",
    "Form",
    "FormSubmitted",
    "Gateway",
    "Handled",
    "InboxEntry",
    "JourneyConfig",
    "Lines",
    "Message",
    "NullObserver",
    "Observer",
    "OpenForm",
    "Place",
    "PostToChannel",
    "QuestionBank",
    "RateLimited",
    "ReminderDue",
    "Reply",
    "Request",
    "RichText",
    "Schedule",
    "Segment",
    "SendDM",
    "SimulatedClock",
    "SystemClock",
    "Templates",
    "TextBlock",
    "TextReceived",
    "TickReport",
    "Turn",
    "Undeliverable",
    "clean_user_text",
    "cohort_summary",
    "command_summary",
    "handle_in_time",
    "incoming",
    "keep_in_time",
    "parse_clock_time",
    "parse_duration",
    "parse_iso_date",
    "zone_label",
]
