"""infointerview's platform-neutral core: the coaching journey, its storage and reminders.

Adapters import only what this module exports.
"""

from core.clock import SimulatedClock, SystemClock, parse_duration
from core.engine import Engine
from core.forms import Choice, Field, FieldKind, Form
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
from core.richtext import RichText, Segment, clean_user_text
from core.store.db import Database
from core.templates import Templates

__all__ = [
    "ActionClicked", "Actor", "Attachment", "Block", "Button", "ButtonStyle", "Cancel", "Choice",
    "CommandInvoked", "Database", "DividerBlock", "DraftBlock", "Effect", "Engine", "Event",
    "Field", "FieldKind", "FieldsBlock", "Form", "FormSubmitted", "JourneyConfig", "Message",
    "OpenForm", "Place", "PostToChannel", "QuestionBank", "ReminderDue", "Reply", "RichText",
    "Schedule", "Segment", "SendDM", "SimulatedClock", "SystemClock", "Templates", "TextBlock",
    "TextReceived", "clean_user_text", "parse_duration",
]
