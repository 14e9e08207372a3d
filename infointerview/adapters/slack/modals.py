"""Neutral forms as Slack modals, and modal submissions back as plain values."""

from __future__ import annotations

import json
from typing import Any

from infointerview.adapters.slack.render import Json, escape
from infointerview.core import Field, FieldKind, Form, Place, parse_clock_time, parse_iso_date

CALLBACK_ID = "ii_form"
TITLE_MAX = 24  # modal title and button labels
PLACEHOLDER_MAX = 150
INPUT_MAX = 3000  # plain_text_input max_length
OPTION_TEXT_MAX = 75
VALUE_ACTION = "value"


def _plain(text: str, limit: int) -> Json:
    if len(text) > limit:  # Slack refuses longer; shorten at a word boundary
        cut = text[: limit - 1]
        text = (cut[: cut.rfind(" ")] if " " in cut else cut).rstrip(" ,;:-") + "…"
    return {"type": "plain_text", "text": text, "emoji": True}


def _element(field: Field, value: str) -> Json:
    element: Json
    if field.kind is FieldKind.SELECT:
        options = [{"text": _plain(c.label, OPTION_TEXT_MAX), "value": c.value}
                   for c in field.options]
        element = {"type": "static_select", "options": options}
        chosen = [o for o in options if o["value"] == value]
        if chosen:
            element["initial_option"] = chosen[0]
    elif field.kind is FieldKind.DATE:
        element = {"type": "datepicker"}
        if parse_iso_date(value):
            element["initial_date"] = value
    elif field.kind is FieldKind.TIME:
        element = {"type": "timepicker"}
        moment = parse_clock_time(value) if value else None
        if moment is not None:
            element["initial_time"] = moment.strftime("%H:%M")
    else:
        element = {"type": "plain_text_input", "multiline": field.kind is FieldKind.LONG,
                   "max_length": min(field.max_length, INPUT_MAX)}
        if value:
            element["initial_value"] = value[:INPUT_MAX]
    if field.placeholder and field.kind is not FieldKind.TIME:
        element["placeholder"] = _plain(field.placeholder, PLACEHOLDER_MAX)
    element["action_id"] = VALUE_ACTION
    return element


def modal(form: Form, place: Place) -> Json:
    """The modal for a form; ``private_metadata`` remembers the form and where it was opened."""
    blocks: list[Json] = []
    if form.intro:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": escape(form.intro)}})
    for field in form.fields:
        block: Json = {"type": "input", "block_id": field.name, "optional": not field.required,
                       "label": _plain(field.label, 2000),
                       "element": _element(field, form.values.get(field.name, ""))}
        if field.hint:
            block["hint"] = _plain(field.hint, 2000)
        blocks.append(block)
    metadata = {"form": form.form_id, "channel": place.channel_id, "dm": place.is_dm}
    return {"type": "modal", "callback_id": CALLBACK_ID, "title": _plain(form.title, TITLE_MAX),
            "submit": _plain(form.submit_label, TITLE_MAX), "close": _plain("Cancel", TITLE_MAX),
            "private_metadata": json.dumps(metadata), "blocks": blocks}


def opened_from(view: Json) -> tuple[str, Place]:
    """The form id and the place a submitted modal was opened from."""
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        data = {}
    place = Place(str(data.get("channel") or "dm"), bool(data.get("dm", True)))
    return str(data.get("form", "")), place


def submitted_values(view: Json) -> dict[str, str]:
    values: dict[str, str] = {}
    for block_id, actions in (view.get("state", {}).get("values") or {}).items():
        state: dict[str, Any] = actions.get(VALUE_ACTION) or {}
        kind = state.get("type")
        if kind == "static_select":
            value = (state.get("selected_option") or {}).get("value")
        elif kind == "datepicker":
            value = state.get("selected_date")
        elif kind == "timepicker":
            value = state.get("selected_time")
        else:
            value = state.get("value")
        values[block_id] = str(value or "")
    return values


def errors_response(form: Form) -> Json:
    """``response_action: errors`` keeps the modal open with what was typed."""
    return {"response_action": "errors", "errors": dict(form.errors)}
