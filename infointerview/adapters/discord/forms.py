"""Neutral forms as Discord modals, and modal submissions back to neutral values.

- Each field is a ``ui.Label`` (label <= 45 characters, description <= 100: the field's error if
  there is one, else its hint) around a ``TextInput`` (short or paragraph, <= 4,000 characters)
  or, for a select field, a real ``ui.Select`` (Discord allows selects in modals since 2024;
  discord.py 2.6+). Date and time fields are text inputs with an example as placeholder; the core
  validates them.
- Values are pre-filled, so a form shown again after a validation error keeps everything typed.
- The modal's ``custom_id`` is ``ii:form:<form id>``. Submissions are routed by that id in the
  client's ``on_interaction``, not by discord.py's in-memory modal store, so a modal opened before
  a restart still submits. (The modal is therefore stopped before it is sent: the store must not
  handle the same submission a second time.)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import discord

from infointerview.adapters.discord.routing import MODAL_PREFIX
from infointerview.adapters.discord.wording import FORM_ERRORS_HEAD, FORM_NEXT
from infointerview.core import (
    Block,
    DraftBlock,
    Field,
    FieldKind,
    Form,
    Message,
    RichText,
    Segment,
    TextBlock,
)

TITLE_MAX = 45
LABEL_MAX = 45
DESCRIPTION_MAX = 100
PLACEHOLDER_MAX = 100
INPUT_MAX = 4000
OPTIONS_MAX = 25


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def fits_a_modal(form: Form) -> bool:
    """Every value fits its input (a value longer than 4,000 characters would be cut)."""
    return all(len(v) <= INPUT_MAX for v in form.values.values())


def _component(field: Field, value: str) -> discord.ui.Item[Any]:
    if field.kind is FieldKind.SELECT and 0 < len(field.options) <= OPTIONS_MAX:
        options = [discord.SelectOption(label=_cut(c.label, 100), value=c.value[:100],
                                        default=c.value == value) for c in field.options]
        return discord.ui.Select(custom_id=field.name, options=options,
                                 required=field.required, min_values=1 if field.required else 0,
                                 max_values=1,
                                 placeholder=_cut(field.placeholder, 150) or None)
    style = discord.TextStyle.paragraph if field.kind is FieldKind.LONG else discord.TextStyle.short
    placeholder = field.placeholder or (", ".join(c.label for c in field.options)
                                        if field.options else "")
    return discord.ui.TextInput(
        custom_id=field.name, style=style, default=value or None, required=field.required,
        # never shorter than what is already there: the core reports the length, nothing is cut
        max_length=min(INPUT_MAX, max(field.max_length, len(value), 1)),
        placeholder=_cut(placeholder, PLACEHOLDER_MAX) or None)


def modal_for(form: Form) -> discord.ui.Modal:
    modal = discord.ui.Modal(title=_cut(form.title, TITLE_MAX),
                             custom_id=f"{MODAL_PREFIX}{form.form_id}", timeout=None)
    for field in form.fields:
        error = form.errors.get(field.name)
        description = f"\u26a0 {error}" if error else field.hint
        modal.add_item(discord.ui.Label(
            text=_cut(field.label, LABEL_MAX),
            description=_cut(description, DESCRIPTION_MAX) or None,
            component=_component(field, form.values.get(field.name, ""))))
    modal.stop()  # routed by custom_id in on_interaction, not by the in-memory store
    return modal


def submitted_values(components: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """The values of a modal submission's components, by field name."""
    values: dict[str, str] = {}
    for component in components:
        kind = component.get("type")
        if kind == 1:  # an action row (older modals)
            values.update(submitted_values(component.get("components", [])))
        elif kind == 18:  # a label around one input
            values.update(submitted_values([component["component"]]))
        elif "custom_id" in component:
            if "values" in component:
                chosen = component.get("values") or [""]
                values[component["custom_id"]] = str(chosen[0])
            else:
                values[component["custom_id"]] = str(component.get("value") or "")
    return values


def form_prompt(form: Form) -> Message:
    """A message that leads to a form: its errors (if any) or its title; the caller adds the
    button that opens it."""
    segments: list[Segment] = []
    if form.errors:
        segments.append(Segment(FORM_ERRORS_HEAD.format(title=form.title)))
        for field in form.fields:
            if field.name in form.errors:
                segments += [Segment(f"\n\u2022 *{field.label}* \u2014 "),
                             Segment(form.errors[field.name], user=True)]
    else:
        segments.append(Segment(FORM_NEXT.format(title=form.title)))
        if form.intro:
            segments.append(Segment(f"\n{form.intro}"))
    blocks: list[Block] = [TextBlock(RichText(tuple(segments)))]
    for field in form.fields:  # a value too long for any input is shown here, not lost
        value = form.values.get(field.name, "")
        if len(value) > INPUT_MAX:
            blocks.append(DraftBlock(f"{field.label} (as you wrote it)", value))
    return Message(tuple(blocks))
