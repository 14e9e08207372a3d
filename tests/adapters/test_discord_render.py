"""Rendering neutral messages for Discord: limits, splitting without loss, escaping."""

from __future__ import annotations

import re

import discord

from infointerview.adapters.discord.render import Outgoing, render
from infointerview.core import (
    Attachment,
    Button,
    DividerBlock,
    DraftBlock,
    FieldsBlock,
    Message,
    RichText,
    Segment,
    TextBlock,
)

PINGS = "@everyone @here <@&123456789012345678> <@123456789012345678> <@!123456789012345678>"
RAW_PING = re.compile(r"@(everyone|here)|<@[!&]?\d")


def assert_valid(out: Outgoing) -> None:
    """Discord's own limits, stated independently of the renderer's constants."""
    assert len(out.content) <= 2000
    assert len(out.embeds) <= 10
    total = len(out.content)
    for embed in out.embeds:
        assert len(embed.description or "") <= 4096
        assert len(embed.fields) <= 25
        for f in embed.fields:
            assert 0 < len(f.name or "") <= 256 and 0 < len(f.value or "") <= 1024
        total += len(embed)
    assert total <= 6000 + len(out.content)  # embeds: 6,000 characters in all
    assert len(out.buttons) <= 25
    assert len(out.files) <= 10
    assert out.content or out.embeds or out.buttons or out.files


def note_message(text: str) -> Message:
    return Message((TextBlock(RichText((Segment("Your note:\n", False), Segment(text, True)))),))


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text.replace("\u200b", ""))


def test_a_10000_character_note_is_split_into_valid_messages_and_nothing_is_lost() -> None:
    words = [f"word{i}" for i in range(1200)]
    lines = [" ".join(words[i:i + 12]) for i in range(0, len(words), 12)]
    note = ("*stars* and _under_ " + PINGS + "\n" + "\n".join(lines))[:10_000]
    note = note.ljust(10_000, "x")
    outs = render(note_message(note))
    assert len(outs) >= 5
    for out in outs:
        assert_valid(out)
        assert not RAW_PING.search(out.content)
    joined = "".join(unescape(o.content) for o in outs)
    assert joined.replace("\n", "") == ("Your note:\n" + note).replace("\n", "")


def test_one_endless_line_is_cut_hard_but_completely() -> None:
    note = "a" * 4500 + "_" * 3000
    outs = render(note_message(note))
    for out in outs:
        assert_valid(out)
    assert "".join(unescape(o.content) for o in outs).replace("\n", "") == "Your note:" + note


def test_bold_bot_wording_and_escaped_user_text() -> None:
    text = RichText.parse("*Noted for \ue000**Jo** <@1234567890123456789>\ue001* today")
    [out] = render(Message((TextBlock(text),)))
    assert out.content.startswith("**Noted for ")
    assert "\\*\\*Jo\\*\\*" in out.content
    assert not RAW_PING.search(out.content)


def test_user_text_cannot_start_a_heading_or_a_quote() -> None:
    text = RichText((Segment("Note:\n", False), Segment("# big\n> quoted\n-# small", True)))
    [out] = render(Message((TextBlock(text),)))
    for line in out.content.split("\n")[1:]:
        assert line.startswith("\\")


def test_drafts_are_code_blocks_that_user_backticks_cannot_close() -> None:
    body = "Dear Dr. Lee,\n```\n@everyone *not bold*\n```\nBest, Sam"
    [out] = render(Message((DraftBlock("Your outreach e-mail", body, "Hello ``` there"),)))
    assert out.content.count("```") % 2 == 0
    inside = re.findall(r"```\n(.*?)\n```", out.content, re.S)
    assert any("*not bold*" in part for part in inside)  # copied as typed, not escaped
    assert all("```" not in part for part in inside)
    assert "Hello" in inside[0]


def test_a_long_draft_keeps_every_part_inside_code_fences() -> None:
    body = "\n".join(f"line {i} " + "y" * 60 for i in range(120))
    outs = render(Message((DraftBlock("Long", body),)))
    assert len(outs) > 1
    for out in outs:
        assert_valid(out)
        assert out.content.count("```") % 2 == 0
    kept = "\n".join(p for o in outs for p in re.findall(r"```\n(.*?)\n```", o.content, re.S))
    assert kept == body


def test_fields_become_an_embed_with_escaped_values() -> None:
    message = Message((TextBlock(RichText.bot("Card")),
                       FieldsBlock((("Stage", "Outreach sent"), ("Why", "<@&123> *x*" * 150)))))
    outs = render(message)
    for out in outs:
        assert_valid(out)
    fields = [f for o in outs for e in o.embeds for f in e.fields]
    assert fields[0].name == "Stage"
    values = "".join(f.value or "" for f in fields[1:])
    assert not RAW_PING.search(values) and "\\*x\\*" in values


def test_text_after_fields_stays_after_them() -> None:
    message = Message((FieldsBlock((("A", "1"),)), DividerBlock(),
                       TextBlock(RichText.bot("after"))))
    outs = render(message)
    assert outs[0].embeds and "after" not in outs[0].content
    assert "after" in outs[-1].content


def test_buttons_go_with_the_last_part_and_never_more_than_25_per_message() -> None:
    buttons = tuple(Button("card", f"Contact {i}", str(i)) for i in range(30))
    outs = render(Message((TextBlock(RichText.bot("x" * 2500)),), buttons))
    for out in outs:
        assert_valid(out)
    assert not outs[0].buttons
    assert sum(len(o.buttons) for o in outs) == 30


def test_attachments_are_kept() -> None:
    files = (Attachment("a.ics", "text/calendar", b"BEGIN:VCALENDAR"),)
    [out] = render(Message((TextBlock(RichText.bot("Here")),), (), files))
    assert out.files == list(files)
    kwargs = out.send_kwargs(owner_id=42)
    assert isinstance(kwargs["files"][0], discord.File)
    assert kwargs["files"][0].filename == "a.ics"
    assert kwargs["allowed_mentions"].to_dict() == {"parse": []}
