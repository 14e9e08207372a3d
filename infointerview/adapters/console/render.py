"""Neutral messages and forms as terminal text and as JSONL objects."""

from __future__ import annotations

import base64
from typing import Any

from infointerview.core import (
    Attachment,
    DividerBlock,
    DraftBlock,
    FieldsBlock,
    Form,
    Message,
    RichText,
    TextBlock,
    clean_user_text,
)

_TEXT_TYPES = ("text/", "application/json")


def _rich(text: RichText, bold: bool) -> str:
    """Bold stays bold on a terminal; `code` in bot wording loses its backticks (and is
    underlined on a terminal). Only bot wording toggles a style, never user text."""
    out = []
    code = False
    for run in text.runs():
        # user text: control characters (terminal escapes) stripped, never markup
        pieces = [(clean_user_text(run.text), code)] if run.user else []
        if not run.user:
            for i, part in enumerate(run.text.split("`")):
                if i:
                    code = not code
                pieces.append((part, code))
        for piece, in_code in pieces:
            if not piece:
                continue
            if bold and (run.bold or in_code):
                style = ("1;" if run.bold else "") + ("4" if in_code else "")
                out.append(f"\033[{style.rstrip(';')}m{piece}\033[0m")
            else:
                out.append(piece)
    return "".join(out)


def message_text(message: Message, *, bold: bool = False) -> str:
    parts: list[str] = []
    for block in message.blocks:
        if isinstance(block, TextBlock):
            parts.append(_rich(block.text, bold))
        elif isinstance(block, DraftBlock):
            lines = [f"┌─ {block.title} (copy from here)"]
            if block.subject:
                lines += [f"│ Subject: {clean_user_text(block.subject)}", "│"]
            lines += [f"│ {line}" if line else "│" for line in
                      clean_user_text(block.body).split("\n")]
            lines.append("└─")
            parts.append("\n".join(lines))
        elif isinstance(block, FieldsBlock):
            parts.append("\n".join(f"  {k}: {clean_user_text(v)}" for k, v in block.fields))
        elif isinstance(block, DividerBlock):
            parts.append("─" * 40)
    return "\n".join(parts)


def buttons_text(message: Message, first_number: int = 1) -> str:
    return "  ".join(f"[{i}] {b.label}" for i, b in enumerate(message.buttons, first_number))


def attachment_json(attachment: Attachment) -> dict[str, Any]:
    record: dict[str, Any] = {"filename": attachment.filename,
                              "content_type": attachment.content_type}
    if attachment.content_type.startswith(_TEXT_TYPES):
        record["content"] = attachment.content.decode("utf-8")
    else:
        record["content_base64"] = base64.b64encode(attachment.content).decode("ascii")
    return record


def _block_json(block: Any) -> dict[str, Any]:
    if isinstance(block, TextBlock):
        return {"type": "text", "text": block.text.plain(),
                "segments": [{"text": s.text, "user": s.user} for s in block.text.segments]}
    if isinstance(block, DraftBlock):
        return {"type": "draft", "title": block.title, "subject": block.subject,
                "body": block.body}
    if isinstance(block, FieldsBlock):
        return {"type": "fields", "fields": [list(f) for f in block.fields]}
    return {"type": "divider"}


def message_json(message: Message, *, ephemeral: bool, dm: bool) -> dict[str, Any]:
    return {
        "type": "message",
        "text": message.plain_text(),
        "blocks": [_block_json(b) for b in message.blocks],
        "buttons": [{"action": b.action, "value": b.value, "label": b.label, "style": b.style}
                    for b in message.buttons],
        "attachments": [attachment_json(a) for a in message.attachments],
        "ephemeral": ephemeral,
        "dm": dm,
    }


def form_json(form: Form) -> dict[str, Any]:
    return {
        "type": "form",
        "form": form.form_id,
        "title": form.title,
        "intro": form.intro,
        "fields": [
            {"name": f.name, "label": f.label, "kind": f.kind.value, "required": f.required,
             "max_length": f.max_length, "hint": f.hint, "placeholder": f.placeholder,
             "options": [{"value": c.value, "label": c.label} for c in f.options],
             "value": form.values.get(f.name, ""), "error": form.errors.get(f.name)}
            for f in form.fields
        ],
    }
