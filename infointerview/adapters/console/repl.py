"""The terminal chat (readable text) and the JSONL machine mode."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

from infointerview.adapters.console.adapter import COMMAND, ConsoleAdapter, Output, typed_newlines
from infointerview.adapters.console.render import (
    buttons_text,
    form_json,
    message_json,
    message_text,
)
from infointerview.core import FieldKind, Form, clean_user_text

CANCEL = "/cancel"
# what typed into a form is a console command, never an answer ("/advance 6d" is no start time)
NOT_ANSWERS = (COMMAND, "/advance")
QUIT = ("/quit", "/exit")
PARAGRAPHS = 1000  # a long field allowing this many characters (a draft, a note) takes lines


class TextChat:
    """Messages as text, buttons as numbered choices, forms as one prompt per field."""

    def __init__(self, console: ConsoleAdapter, lines: Iterator[str], out: TextIO, *,
                 interactive: bool, echo: bool) -> None:
        self.console = console
        self.lines = lines
        self.out = out
        self.interactive = interactive
        self.echo = echo
        self.quitting = False

    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def read(self, prompt: str) -> str | None:
        if self.interactive:
            self.out.write(prompt)
            self.out.flush()
        try:
            line = next(self.lines)
        except StopIteration:
            return None
        line = line.rstrip("\n")
        if self.echo:
            self.say(f"{prompt}{line}")
        return line

    def read_long(self, prompt: str, current: str) -> str | None:
        """Several lines, ended by a line holding only ``.`` (Enter first keeps the value in
        brackets); ``/edit`` opens $EDITOR on the current text when one is set."""
        how = "several lines; a line with only . ends"
        if self.interactive and os.environ.get("EDITOR"):
            how += "; /edit opens your editor"
        first = self.read(f"{prompt} ({how}): ")
        if first is None or first.strip() == CANCEL or (not first.strip() and current):
            return first
        if first.strip() == "/edit" and self.interactive and os.environ.get("EDITOR"):
            edited = self.edit(current)
            if edited is not None:
                return edited
            first = self.read(f"{prompt} ({how}): ")
            if first is None or first.strip() == CANCEL or (not first.strip() and current):
                return first
        if first.strip() == ".":
            return ""
        lines = [first]
        while (line := self.read("   … ")) is not None and line.strip() != ".":
            if line.strip() == CANCEL:
                return CANCEL
            lines.append(line)
        return "\n".join(lines).strip("\n")

    def edit(self, current: str) -> str | None:
        """The text as the person left it in $EDITOR; None (after saying why) if it failed."""
        editor = os.environ["EDITOR"]
        with tempfile.NamedTemporaryFile("w+", suffix=".txt", delete=False,
                                         encoding="utf-8") as handle:
            handle.write(current)
            path = Path(handle.name)
        try:
            done = subprocess.run([*shlex.split(editor), str(path)], check=False)
            if done.returncode != 0:
                raise OSError(f"it stopped with exit status {done.returncode}")
            text = path.read_text(encoding="utf-8")
        except (OSError, ValueError) as exc:
            self.say(f"   ⚠ Your editor ({editor}) did not work ({exc}); type the text here.")
            return None
        finally:
            path.unlink(missing_ok=True)
        self.say(f"   (from your editor: {len(text.strip()):,} characters)")
        return text.strip("\n")

    def run(self) -> None:
        self.say("infointerview console — type help (Ctrl-D or /quit to leave).")
        self.show(self.console.deliver_due())
        while (line := self.read("> ")) is not None:
            if line.strip() in QUIT:
                break
            self.show(self.console.line(line))
            if self.quitting:  # /quit typed into a form: the form closed, and so does the chat
                break

    def show(self, outputs: list[Output]) -> None:
        number = 1
        for output in outputs:
            if output.notice:
                self.say(f"· {output.notice}")
            if output.message is not None:
                prefix = "(direct message) " if output.dm and self.console.channel else ""
                if output.ephemeral:
                    prefix += "(only you can see this) "
                self.say()
                self.say(prefix + message_text(output.message, bold=self.interactive))
                for i, attachment in enumerate(output.message.attachments):
                    size = f"{len(attachment.content):,} bytes"
                    if i < len(output.saved):
                        self.say(f"📎 {attachment.filename} ({size}) saved as {output.saved[i]}")
                    else:
                        self.say(f"📎 {attachment.filename} ({size})")
                if output.message.buttons:
                    self.say(buttons_text(output.message, number))
                    number += len(output.message.buttons)
        forms = [o.form for o in outputs if o.form is not None]
        if forms:
            self.fill(forms[-1])

    def fill(self, form: Form) -> None:
        """Ask each field in turn, re-asking until the value passes the core's check."""
        values = dict(form.values)
        self.say()
        self.say(f"📝 {form.title}" + (f" — {form.intro}" if form.intro else ""))
        self.say(f"   (Enter keeps the value in brackets; {CANCEL} stops without saving.)")
        ask = [f for f in form.fields if f.name in form.errors] or list(form.fields)
        for field in ask:
            if field.name in form.errors:
                self.say(f"   ⚠ {form.errors[field.name]}")
            while True:
                current = values.get(field.name, "")
                label = field.label + ("" if field.required else " (optional)")
                if field.kind is FieldKind.SELECT:
                    self.say(f"   {label}: " + ", ".join(
                        f"{i}) {c.label}" for i, c in enumerate(field.options, 1)))
                    label = "   choose"
                if field.kind is FieldKind.SELECT:
                    current_shown = _label(field.options, current)
                else:
                    current_shown = current
                shown = f" [{_one_line(clean_user_text(current_shown))}]" if current else ""
                if field.kind is FieldKind.LONG and field.max_length >= PARAGRAPHS:
                    line = self.read_long(f"   {label}{shown}", current)
                else:
                    line = self.read(f"   {label}{shown}: ")
                if line is None or line.strip() in (CANCEL, *QUIT):
                    self.say("· Form closed; nothing was saved. Your earlier steps are kept.")
                    self.quitting = line is not None and line.strip() in QUIT
                    return
                if line.strip().lower().startswith(NOT_ANSWERS):
                    self.say(f"   ⚠ That is a command, not an answer. Finish this form first, "
                             f"or type {CANCEL} to leave it.")
                    continue
                value = line.strip() or current
                if field.kind is FieldKind.LONG:
                    value = typed_newlines(value)
                if field.kind is FieldKind.SELECT:
                    value = _choice(field.options, value)
                error = field.check(value)
                if error:
                    self.say(f"   ⚠ {error}")
                    continue
                values[field.name] = value
                break
        self.show(self.console.submit(form.form_id, values))


def _one_line(text: str, limit: int = 60) -> str:
    flat = " ⏎ ".join(line for line in text.split("\n") if line.strip())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _label(options: Any, value: str) -> str:
    """What a select's value is called on screen."""
    return next((o.label for o in options if str(o.value) == value), value)


def _choice(options: Any, typed: str) -> str:
    typed = typed.strip()
    if typed.isdigit() and 1 <= int(typed) <= len(options):
        return str(options[int(typed) - 1].value)
    for option in options:
        if typed.casefold() in (option.label.casefold(), str(option.value).casefold()):
            return str(option.value)
    return typed


class JsonLines:
    """One JSON object per line in, one per line out (see docs/jsonl.md)."""

    def __init__(self, console: ConsoleAdapter, lines: Iterator[str],
                 write: Callable[[dict[str, Any]], None]) -> None:
        self.console = console
        self.lines = lines
        self.write = write

    def run(self) -> None:
        self.emit(self.console.deliver_due())
        for raw in self.lines:
            if raw.strip():
                self.emit(self.handle(raw))

    def handle(self, raw: str) -> list[Output]:
        try:
            item = json.loads(raw)
            if not isinstance(item, dict):
                raise ValueError("each line must be a JSON object")
            return self.dispatch(item)
        except (ValueError, TypeError, KeyError) as exc:
            self.write({"type": "error", "text": _explain(exc)})
            return []

    def dispatch(self, item: dict[str, Any]) -> list[Output]:
        kind = item.get("type")
        if kind == "command":
            text = _text(item, "text")
            if not text.strip().lower().startswith("/infointerview"):
                text = f"/infointerview {text.strip()}"
            return self.console.command(text)
        if kind == "text":
            return self.console.text(_text(item, "text"))
        if kind == "click":
            if "action" in item:
                return self.console.click(_text(item, "action"), str(item.get("value", "")))
            button = self.console.find_button(_text(item, "label"))
            if button is None:
                raise ValueError(f"no button labelled {item.get('label')!r} in the last messages")
            return self.console.click(button.action, button.value)
        if kind == "submit":
            values = item.get("values", {})
            if not isinstance(values, dict):
                raise ValueError("'values' must be an object of field names to text")
            return self.console.submit(_text(item, "form"),
                                       {str(k): "" if v is None else str(v)
                                        for k, v in values.items()})
        if kind == "advance":
            return self.console.advance(_text(item, "by"))
        if kind == "as":
            return self.console.switch(_text(item, "user"))
        raise ValueError("'type' must be command, text, click, submit, advance or as")

    def emit(self, outputs: list[Output]) -> None:
        for output in outputs:
            if output.notice:
                self.write({"type": "notice", "text": output.notice})
            if output.message is not None:
                item = message_json(output.message, ephemeral=output.ephemeral, dm=output.dm)
                for record, path in zip(item["attachments"], output.saved, strict=False):
                    record["path"] = str(path)
                self.write(item)
            if output.form is not None:
                self.write(form_json(output.form))


def _text(item: dict[str, Any], key: str) -> str:
    value = item.get(key)
    if not isinstance(value, str):
        raise ValueError(f"'{key}' must be a string")
    return value


def _explain(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"That line is not valid JSON ({exc.msg}); the console goes on."
    return f"{exc}; the console goes on."
