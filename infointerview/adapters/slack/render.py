"""Neutral messages as Block Kit, within Slack's limits.

Every piece of user text goes through :func:`escape` (the three characters Slack's mrkdwn treats
as markup), so a typed ``<!channel>`` or ``<@U123>`` is shown, never acted on. Bot wording carries
only the neutral ``*bold*`` markup, which Slack's mrkdwn understands as is.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from infointerview.core import (
    Block,
    Button,
    ButtonStyle,
    DraftBlock,
    FieldsBlock,
    Message,
    RichText,
    TextBlock,
)

SECTION_MAX = 3000  # section text
FIELD_MAX = 2000  # one field of a section
FIELDS_PER_SECTION = 10
BLOCKS_MAX = 50  # per message (and per modal or home view: 100, we stay at 50)
BUTTONS_PER_ACTIONS = 25
BUTTON_TEXT_MAX = 75
BUTTON_VALUE_MAX = 2000
FALLBACK_MAX = 300  # notification text; the blocks carry everything
ACTION_PREFIX = "ii:"  # action_id = "ii:<action>:<index>", unique inside one message

Json = dict[str, Any]


def escape(text: str) -> str:
    """Slack's mrkdwn control characters as entities: user text can never be markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """Slack sends typed ``<``, ``>`` and ``&`` as entities; we keep what the person typed."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def mrkdwn(text: RichText) -> str:
    out: list[str] = []
    for run in text.runs():
        piece = escape(run.text) if run.user else run.text
        if run.bold and piece.strip():
            # Slack only sees *bold* when the asterisks touch non-space characters
            lead = piece[: len(piece) - len(piece.lstrip())]
            trail = piece[len(piece.rstrip()):]
            piece = f"{lead}*{piece.strip()}*{trail}"
        out.append(piece)
    return "".join(out)


def split_text(text: str, limit: int) -> list[str]:
    """Cut long text into pieces of at most ``limit`` characters, at line breaks where possible,
    never inside an ``&amp;``-style entity."""
    pieces: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        if cut <= limit // 2:
            cut = text.rfind(" ", 0, limit)
        if cut <= limit // 2:
            cut = limit
            amp = text.rfind("&", cut - 5, cut)
            if amp >= 0 and ";" not in text[amp:cut]:
                cut = amp
        pieces.append(text[:cut])
        text = text[cut:].lstrip("\n")
    pieces.append(text)
    return [p for p in pieces if p.strip()] or [""]


def _section(text: str) -> Json:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _code(body: str) -> str:
    return body.replace("```", "`\u200b`\u200b`")  # a typed fence must not close our block


def block_kit(block: Block) -> list[Json]:
    if isinstance(block, TextBlock):
        return [_section(piece) for piece in split_text(mrkdwn(block.text), SECTION_MAX)]
    if isinstance(block, DraftBlock):
        body = _code(escape(block.body))
        if block.subject:
            body = f"Subject: {_code(escape(block.subject))}\n\n{body}"
        head = {"type": "context", "elements": [
            {"type": "mrkdwn", "text": f"*{escape(block.title)}* — copy from the box below"}]}
        return [head, *(_section(f"```{piece}```")
                        for piece in split_text(body, SECTION_MAX - 6))]
    if isinstance(block, FieldsBlock):
        fields = [{"type": "mrkdwn",
                   "text": f"*{escape(label)}*\n{escape(value)}"[:FIELD_MAX]}
                  for label, value in block.fields]
        return [{"type": "section", "fields": fields[i:i + FIELDS_PER_SECTION]}
                for i in range(0, len(fields), FIELDS_PER_SECTION)]
    return [{"type": "divider"}]


def button_element(button: Button, index: int) -> Json:
    label = button.label if len(button.label) <= BUTTON_TEXT_MAX \
        else button.label[: BUTTON_TEXT_MAX - 1] + "…"
    element: Json = {"type": "button", "action_id": f"{ACTION_PREFIX}{button.action}:{index}",
                     "text": {"type": "plain_text", "text": label, "emoji": True}}
    if button.value:
        element["value"] = button.value[:BUTTON_VALUE_MAX]
    if button.style is not ButtonStyle.DEFAULT:
        element["style"] = button.style.value
    return element


def action_of(action_id: str) -> str:
    """``ii:mark_sent:3`` → ``mark_sent``."""
    return action_id.removeprefix(ACTION_PREFIX).rpartition(":")[0]


def buttons_blocks(buttons: tuple[Button, ...]) -> list[Json]:
    elements = [button_element(b, i) for i, b in enumerate(buttons)]
    return [{"type": "actions", "elements": elements[i:i + BUTTONS_PER_ACTIONS]}
            for i in range(0, len(elements), BUTTONS_PER_ACTIONS)]


@dataclass(frozen=True, slots=True)
class SlackMessage:
    text: str  # the notification fallback
    blocks: list[Json]


def _chunks(blocks: list[Json], size: int) -> Iterator[list[Json]]:
    for i in range(0, len(blocks), size):
        yield blocks[i:i + size]


def fallback(message: Message) -> str:
    plain = " ".join(message.plain_text().split())
    return escape(plain if len(plain) <= FALLBACK_MAX else plain[: FALLBACK_MAX - 1] + "…")


def render(message: Message) -> list[SlackMessage]:
    """One neutral message as one or more Slack messages of at most 50 blocks each; the buttons
    come with the last one."""
    body = [b for block in message.blocks for b in block_kit(block)]
    tail = buttons_blocks(message.buttons)
    room = BLOCKS_MAX - len(tail)
    chunks = list(_chunks(body, BLOCKS_MAX)) or [[]]
    if len(chunks[-1]) > room:
        last = chunks.pop()
        chunks += [last[:room], last[room:]]
    chunks[-1] = chunks[-1] + tail
    text = fallback(message)
    return [SlackMessage(text if i == 0 else "(continued)", chunk)
            for i, chunk in enumerate(chunks) if chunk]


def home_view(message: Message) -> Json:
    blocks = [b for block in message.blocks for b in block_kit(block)]
    blocks += buttons_blocks(message.buttons)
    return {"type": "home", "blocks": blocks[:100]}
