"""infointerview's platform-neutral core: the coaching journey, its storage and reminders.

Adapters import only what this module exports.
"""

from infointerview.core.access import SIGNIN_PATH, Refused, SignedIn, WebAccess
from infointerview.core.clock import SimulatedClock, SystemClock, parse_duration
from infointerview.core.deadline import ANSWER_WITHIN_S
from infointerview.core.dispatch import (
    ChannelGateway,
    DeliveryError,
    Dispatcher,
    Gateway,
    RateLimited,
    TickReport,
    Undeliverable,
)
from infointerview.core.engine import Engine, Handled, handle_in_time
from infointerview.core.events import Request, incoming
from infointerview.core.forms import (
    Choice,
    Field,
    FieldKind,
    Form,
    parse_clock_time,
    parse_iso_date,
)
from infointerview.core.insights.service import Insights
from infointerview.core.insights.views import CoachView, StudentView, Viewer
from infointerview.core.intake import KEEP_WITHIN_S, Lines, Turn, keep_in_time
from infointerview.core.journey.catalog.commands import cohort_summary
from infointerview.core.journey.catalog.commands import summary as command_summary
from infointerview.core.journey.context import JourneyConfig
from infointerview.core.journey.questions import QuestionBank
from infointerview.core.model import (
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
from infointerview.core.observe import NullObserver, Observer
from infointerview.core.richtext import RichText, Segment, clean_user_text
from infointerview.core.store.db import Database
from infointerview.core.store.inbox import InboxEntry
from infointerview.core.templates import Templates
from infointerview.core.timezones import zone_label

__all__ = [
    "ANSWER_WITHIN_S",
    "KEEP_WITHIN_S",
    "SIGNIN_PATH",
    "ActionClicked",
    "Actor",
    "Attachment",
    "Block",
    "Button",
    "ButtonStyle",
    "Cancel",
    "ChannelGateway",
    "Choice",
    "CoachView",
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
    "Insights",
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
    "Refused",
    "ReminderDue",
    "Reply",
    "Request",
    "RichText",
    "Schedule",
    "Segment",
    "SendDM",
    "SignedIn",
    "SimulatedClock",
    "StudentView",
    "SystemClock",
    "Templates",
    "TextBlock",
    "TextReceived",
    "TickReport",
    "Turn",
    "Undeliverable",
    "Viewer",
    "WebAccess",
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
