"""Neutral messages as Discord messages: content, embeds, buttons and files, within the limits.

- Text and drafts go into the message content (2,000 characters); a field list becomes an embed
  (25 fields, 1,024 characters a value, 6,000 characters in all). Anything longer is split into
  more messages at line or word boundaries, never cut off: every character arrives somewhere.
- Bot wording keeps its ``*bold*``; user text (segments flagged ``user``, field values) is escaped
  with ``escape_markdown`` and ``escape_mentions`` and cannot start a heading or a quote, so it is
  shown as typed. The client's ``AllowedMentions.none()`` makes sure nothing pings regardless.
- A draft is a code block, copied as typed; a triple backtick inside it is broken with a zero-width
  space so it cannot close the block.
- Buttons (at most 25, five rows of five) and files (at most 10) go with the last part.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import discord

from infointerview.adapters.discord.buttons import form_view, view_for
from infointerview.core import (
    Attachment,
    Button,
    DividerBlock,
    DraftBlock,
    FieldsBlock,
    Message,
    RichText,
    TextBlock,
)

CONTENT_MAX = 2000
EMBED_TOTAL_MAX = 6000
EMBEDS_MAX = 10
FIELDS_MAX = 25
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
BUTTONS_MAX = 25
FILES_MAX = 10
FENCE = "```"
ZWSP = "\u200b"
DIVIDER = "\u2500" * 24
EMBED_COLOUR = discord.Colour.blurple()

_LINE_START = re.compile(r"^(\s*)(#|>|-#)", re.MULTILINE)
_ANGLE = re.compile(r"<(?=[@#/:]|a:)")  # <@user>, <@&role>, <#channel>, </command:id>, <:emoji:id>


def escape_user(text: str) -> str:
    """User text shown as typed: no markdown, no mentions, no headings or quotes."""
    escaped = discord.utils.escape_mentions(discord.utils.escape_markdown(text))
    escaped = _ANGLE.sub("<" + ZWSP, escaped)
    return _LINE_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", escaped)


def escape_fence(text: str) -> str:
    """Text for inside a code block: a triple backtick cannot close the block."""
    return text.replace(FENCE, f"`{ZWSP}`{ZWSP}`")


@dataclass
class Outgoing:
    """One Discord message to send."""

    content: str = ""
    embeds: list[discord.Embed] = field(default_factory=list)
    buttons: list[Button] = field(default_factory=list)
    files: list[Attachment] = field(default_factory=list)
    form_button: tuple[str, str] | None = None  # (token, label) of a waiting form

    def send_kwargs(self, owner_id: int) -> dict[str, Any]:
        """Keyword arguments for ``send``/``send_message``; buttons belong to ``owner_id``."""
        kwargs: dict[str, Any] = {"allowed_mentions": discord.AllowedMentions.none()}
        if self.content:
            kwargs["content"] = self.content
        if self.embeds:
            kwargs["embeds"] = list(self.embeds)
        if self.form_button is not None:
            kwargs["view"] = form_view(owner_id, *self.form_button)
        elif self.buttons:
            kwargs["view"] = view_for(self.buttons, owner_id)
        if self.files:
            kwargs["files"] = [discord.File(io.BytesIO(a.content), filename=a.filename)
                               for a in self.files]
        return kwargs


# --- pieces of content ---------------------------------------------------------------------------


def _fit(raw: str, budget: int, fmt: Callable[[str], str]) -> int:
    """The longest prefix of ``raw`` whose formatted length fits, preferring a space to cut at."""
    low, high = 1, len(raw)
    while low < high:  # binary search on the formatted length
        mid = (low + high + 1) // 2
        if len(fmt(raw[:mid])) <= budget:
            low = mid
        else:
            high = mid - 1
    space = raw.rfind(" ", 0, low)
    return space + 1 if low < len(raw) and space > low // 2 else low


def _pieces(raw: str, budget: int, fmt: Callable[[str], str]) -> Iterator[str]:
    """Formatted fragments of ``raw``, each within ``budget``; every line end is a cut point."""
    for line in raw.splitlines(keepends=True):
        text, newline = (line[:-1], "\n") if line.endswith("\n") else (line, "")
        while text and len(fmt(text)) > budget:
            cut = _fit(text, budget, fmt)
            yield fmt(text[:cut])
            text = text[cut:]
        yield fmt(text) + newline


def _bold(fmt: Callable[[str], str]) -> Callable[[str], str]:
    def wrap(text: str) -> str:
        core = text.strip()
        if not core:
            return fmt(text)
        lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]
        return f"{fmt(lead)}**{fmt(core)}**{fmt(trail)}"

    return wrap


def _text_fragments(text: RichText, budget: int) -> list[str]:
    """A text block as self-contained markdown fragments (each within ``budget``)."""
    groups: list[tuple[bool, list[tuple[str, bool]]]] = []
    for run in text.runs():
        if groups and groups[-1][0] == run.bold:
            groups[-1][1].append((run.text, run.user))
        else:
            groups.append((run.bold, [(run.text, run.user)]))
    fragments: list[str] = []
    for bold, runs in groups:
        whole = "".join(escape_user(t) if user else t for t, user in runs)
        if len(whole) + 4 <= budget and "\n" not in whole:
            fragments.append(_bold(lambda s: s)(whole) if bold else whole)
            continue
        for raw, user in runs:
            plain: Callable[[str], str] = escape_user if user else (lambda s: s)
            fragments += _pieces(raw, budget, _bold(plain) if bold else plain)
    return [f for f in fragments if f]


def _code_parts(head: str, body: str) -> list[str]:
    """A code block split into parts that each carry their own fences; ``head`` leads the first."""
    wrapper = 2 * len(FENCE) + 2  # "```\n" + lines + "\n```"
    width = CONTENT_MAX - wrapper - len(head)
    lines: list[str] = []
    for line in escape_fence(body).split("\n"):
        while len(line) > width:  # one endless line: cut hard, every character kept
            lines.append(line[:width])
            line = line[width:]
        lines.append(line)
    parts: list[str] = []
    chunk: list[str] = []
    size = len(head) + wrapper - 1
    for line in lines:
        if chunk and size + len(line) + 1 > CONTENT_MAX:
            parts.append(f"{head}{FENCE}\n" + "\n".join(chunk) + f"\n{FENCE}")
            head, chunk, size = "", [], wrapper - 1
        chunk.append(line)
        size += len(line) + 1
    parts.append(f"{head}{FENCE}\n" + "\n".join(chunk) + f"\n{FENCE}")
    return parts


def _draft_parts(block: DraftBlock) -> list[str]:
    if block.subject is None:
        return _code_parts(f"**{block.title}**\n", block.body)
    return (_code_parts(f"**{block.title}**\nSubject:\n", block.subject)
            + _code_parts("", block.body))


def _field_chunks(name: str, value: str) -> Iterator[tuple[str, str]]:
    label = name[:FIELD_NAME_MAX] or ZWSP
    pieces = list(_pieces(value, FIELD_VALUE_MAX - 1, escape_user)) or ["\u2014"]
    value_parts: list[str] = []
    for piece in pieces:  # pack lines back together up to the field limit
        if value_parts and len(value_parts[-1]) + len(piece) <= FIELD_VALUE_MAX:
            value_parts[-1] += piece
        else:
            value_parts.append(piece)
    for index, part in enumerate(value_parts):
        yield (label if index == 0 else ZWSP), (part.strip() or "\u2014")


# --- packing -------------------------------------------------------------------------------------


class _Packer:
    def __init__(self) -> None:
        self.out: list[Outgoing] = [Outgoing()]

    @property
    def current(self) -> Outgoing:
        return self.out[-1]

    def new(self) -> Outgoing:
        if self.current.content or self.current.embeds:
            self.out.append(Outgoing())
        return self.current

    def text(self, fragments: list[str], separator: str = "\n\n") -> None:
        """Add a block's fragments, starting a new message when the current one is full."""
        target = self.current if not self.current.embeds else self.new()
        first = True
        for fragment in fragments:
            glue = separator if first and target.content else ""
            if len(target.content) + len(glue) + len(fragment) > CONTENT_MAX:
                target = self.new()
                glue = ""
                fragment = fragment.lstrip("\n")
            target.content += glue + fragment
            first = False

    def fields(self, block: FieldsBlock) -> None:
        embed = self._embed()
        for name, value in block.fields:
            for label, part in _field_chunks(name, value):
                if len(embed.fields) >= FIELDS_MAX or \
                        self._embeds_size() + len(label) + len(part) > EMBED_TOTAL_MAX:
                    self.new()
                    embed = self._embed()
                embed.add_field(name=label, value=part, inline=False)

    def _embed(self) -> discord.Embed:
        if len(self.current.embeds) >= EMBEDS_MAX:
            self.out.append(Outgoing())
        embed = discord.Embed(colour=EMBED_COLOUR)
        self.current.embeds.append(embed)
        return embed

    def _embeds_size(self) -> int:
        return sum(len(e) for e in self.current.embeds)

    def finish(self, message: Message) -> list[Outgoing]:
        buttons = _unique(message.buttons)
        last = self.current
        last.buttons = buttons[:BUTTONS_MAX]
        for start in range(BUTTONS_MAX, len(buttons), BUTTONS_MAX):
            self.out.append(Outgoing(buttons=buttons[start:start + BUTTONS_MAX]))
        files = list(message.attachments)
        last.files = files[:FILES_MAX]
        for start in range(FILES_MAX, len(files), FILES_MAX):
            self.out.append(Outgoing(files=files[start:start + FILES_MAX]))
        return [o for o in self.out if o.content or o.embeds or o.buttons or o.files]


def _unique(buttons: tuple[Button, ...]) -> list[Button]:
    """Two buttons with the same action and value would share a custom_id; keep the first."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for button in buttons:
        if (button.action, button.value) not in seen:
            seen.add((button.action, button.value))
            kept.append(button)
    return kept


def render(message: Message) -> list[Outgoing]:
    """A neutral message as one or more Discord messages, each within Discord's limits."""
    packer = _Packer()
    for block in message.blocks:
        if isinstance(block, TextBlock):
            packer.text(_text_fragments(block.text, CONTENT_MAX - 1))
        elif isinstance(block, DraftBlock):
            for index, part in enumerate(_draft_parts(block)):
                packer.text([part], "\n" if index else "\n\n")
        elif isinstance(block, FieldsBlock):
            packer.fields(block)
        elif isinstance(block, DividerBlock):
            packer.text([DIVIDER], "\n")
    return packer.finish(message)
