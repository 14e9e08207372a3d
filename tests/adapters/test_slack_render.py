"""Block Kit rendering stays inside Slack's limits and never lets user text become markup."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from infointerview.adapters.slack.modals import modal, submitted_values
from infointerview.adapters.slack.render import escape, render
from infointerview.core import (
    Button,
    Choice,
    DraftBlock,
    Field,
    FieldKind,
    FieldsBlock,
    Form,
    Message,
    Place,
    RichText,
    Segment,
    TextBlock,
)


def _user(text: str) -> TextBlock:
    return TextBlock(RichText((Segment("Note: ", False), Segment(text, True))))


def _check_limits(parts: list) -> None:  # type: ignore[type-arg]
    for part in parts:
        assert len(part.blocks) <= 50
        for block in part.blocks:
            if block["type"] == "section" and "text" in block:
                assert len(block["text"]["text"]) <= 3000


def test_a_ten_thousand_character_note_is_split_not_cut() -> None:
    note = ("word " * 2000).strip()
    parts = render(Message((_user(note),)))
    _check_limits(parts)
    shown = "".join(b["text"]["text"] for p in parts for b in p.blocks)
    assert shown.replace(" ", "").count("word") == 2000


def test_many_blocks_become_several_messages_with_the_buttons_last() -> None:
    blocks = tuple(_user(f"line {i}") for i in range(120))
    parts = render(Message(blocks, (Button("list", "My pipeline"),)))
    assert len(parts) == 3
    _check_limits(parts)
    assert parts[-1].blocks[-1]["type"] == "actions"
    assert all(b["type"] != "actions" for p in parts[:-1] for b in p.blocks)


def test_drafts_are_copyable_code_blocks_and_fields_escaped() -> None:
    message = Message((DraftBlock("Outreach e-mail", "Hi <!here> ```x```", "Hello & <b>"),
                       FieldsBlock((("Organisation", "R&D <Labs>"),))))
    text = json.dumps([p.blocks for p in render(message)])
    assert "```" in text and "&lt;!here&gt;" in text and "<!here>" not in text
    assert "R&amp;D &lt;Labs&gt;" in text and "Hello &amp; &lt;b&gt;" in text


@given(st.text(max_size=300))
def test_user_text_never_contains_slack_control_sequences(typed: str) -> None:
    parts = render(Message((_user(typed), FieldsBlock((("Name", typed),)),
                            DraftBlock("Draft", typed, typed))))
    shown = json.dumps([p.blocks for p in parts] + [p.text for p in parts])
    payload = escape(typed)
    assert "<" not in payload and ">" not in payload
    for part in parts:
        for block in part.blocks:
            for text in _texts(block):
                assert "<" not in text and ">" not in text, shown


def _texts(block: dict) -> list[str]:  # type: ignore[type-arg]
    found = []
    if "text" in block and isinstance(block["text"], dict):
        found.append(block["text"]["text"])
    for item in block.get("fields", []) + block.get("elements", []):
        if isinstance(item, dict) and isinstance(item.get("text"), str):
            found.append(item["text"])
    return found


def test_modal_round_trip_of_every_field_kind() -> None:
    form = Form("meeting:1", "When and how you will meet", (
        Field("date", "Date", FieldKind.DATE), Field("time", "Time", FieldKind.TIME),
        Field("mode", "Mode", FieldKind.SELECT,
              options=(Choice("video", "Video"),)),
        Field("detail", "Detail", FieldKind.LONG, required=False, max_length=5000),
        Field("name", "Name")),
        values={"date": "2026-03-05", "time": "2:30pm", "mode": "video", "name": "Jo"})
    view = modal(form, Place("DU1", True))
    assert view["title"]["text"] == "When and how you will…" and len(view["title"]["text"]) <= 24
    elements = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert elements["date"]["initial_date"] == "2026-03-05"
    assert elements["time"]["initial_time"] == "14:30"
    assert elements["mode"]["initial_option"]["value"] == "video"
    assert elements["detail"]["max_length"] == 3000 and elements["detail"]["multiline"]
    state = {"values": {
        "date": {"value": {"type": "datepicker", "selected_date": "2026-03-06"}},
        "time": {"value": {"type": "timepicker", "selected_time": "09:15"}},
        "mode": {"value": {"type": "static_select", "selected_option": {"value": "video"}}},
        "detail": {"value": {"type": "plain_text_input", "value": None}},
        "name": {"value": {"type": "plain_text_input", "value": "Jo <3"}}}}
    assert submitted_values({**view, "state": state}) == {
        "date": "2026-03-06", "time": "09:15", "mode": "video", "detail": "", "name": "Jo <3"}
