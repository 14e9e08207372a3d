"""One person at the terminal: turns typed input into neutral events and effects into outputs.

Independent of how lines are read or printed, so the text chat, the JSONL mode and the demo share
it.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from infointerview.adapters.console.gateway import PLATFORM, ConsoleGateway
from infointerview.core import (
    ActionClicked,
    Actor,
    Button,
    CommandInvoked,
    Dispatcher,
    Effect,
    Engine,
    Form,
    FormSubmitted,
    Message,
    OpenForm,
    Place,
    PostToChannel,
    Reply,
    Request,
    SendDM,
    SimulatedClock,
    TextReceived,
    clean_user_text,
    incoming,
    parse_duration,
    zone_label,
)

TENANT = "local"
COMMAND = "/infointerview"
RECENT_BUTTONS = 40  # a label typed later still finds a button shown a few messages back
TEXT_COMMANDS = ("note", "notes", "intro")  # their text may run over several lines
BARE_COMMANDS = ("help", "start")  # typed without the prefix (or as /help, /start) they still work
CONSOLE_HELP = (
    "In this console: help and start work without /infointerview. "
    "Type a button's number or its label to press it. "
    "/advance 2h moves the simulated clock (needs --start-at); "
    "/as NAME acts as someone else on this database; "
    "/cancel leaves a form; /quit (or Ctrl-D) leaves the console.")


@dataclass(frozen=True, slots=True)
class Output:
    message: Message | None = None
    form: Form | None = None
    notice: str = ""
    ephemeral: bool = False
    dm: bool = False
    to_user: str = ""
    saved: tuple[Path, ...] = ()  # where each attachment of the message was written, in order


def typed_newlines(text: str) -> str:
    """On one terminal line a person writes a line break as ``\\n``: keep it as a break."""
    return text.replace("\\n", "\n")


def save_attachment(folder: Path, filename: str, content: bytes) -> Path:
    """Write a file into ``folder`` under its own name, or ``name-2.ext``… when that is taken."""
    folder.mkdir(parents=True, exist_ok=True)
    name = Path(filename).name or "attachment"  # never a path of the bot's choosing
    stem, suffix = Path(name).stem, Path(name).suffix
    for n in range(1, 10_000):
        path = folder / (name if n == 1 else f"{stem}-{n}{suffix}")
        try:
            with path.open("xb") as handle:
                handle.write(content)
        except FileExistsError:
            continue
        return path.resolve()
    raise FileExistsError(f"no free name for {filename} in {folder}")


@dataclass
class ConsoleAdapter:
    engine: Engine
    user: str
    tz: str | None = None
    channel: str | None = None
    clock: SimulatedClock | None = None
    buttons: list[Button] = field(default_factory=list)
    recent_buttons: list[Button] = field(default_factory=list)
    pending_form: Form | None = None
    mailbox: dict[str, list[Output]] = field(default_factory=dict)  # DMs for the others
    channel_buttons: list[Button] = field(default_factory=list)  # everyone in it sees them
    files: Path | None = None  # attachments are written here (None: only announced)
    _gateway: ConsoleGateway = field(init=False, repr=False)
    _dispatcher: Dispatcher = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._gateway = ConsoleGateway()
        self._dispatcher = Dispatcher(self.engine, self._gateway)

    @property
    def actor(self) -> Actor:
        # at the terminal you run the place: you may make a channel a cohort. No display name:
        # a login name is not the person's name, so the profile asks for it with no default.
        return Actor(PLATFORM, TENANT, self.user, "", self.tz, manager=True)

    @property
    def place(self) -> Place:
        if self.channel:
            return Place(f"#{self.channel}", is_dm=False)
        return Place("dm", is_dm=True)

    # --- events ----------------------------------------------------------------------------------

    def _send(self, kind: type[Request], **fields: Any) -> list[Output]:
        event = incoming(kind, self.actor, self.place, received_at=self.engine.clock(), **fields)
        return self._deliver(self.engine.handle(event))

    def command(self, line: str) -> list[Output]:
        rest = line.strip()[len(COMMAND):].strip()
        name, _, args = rest.partition(" ")
        return self._send(CommandInvoked, name=name or "help", args=args.strip())

    def _typed_command(self, line: str) -> list[Output]:
        """A command typed in the text chat; its help also names the console's own commands."""
        name = line.strip()[len(COMMAND):].strip().partition(" ")[0].lower()
        if name in TEXT_COMMANDS:
            line = typed_newlines(line)
        outputs = self.command(line)
        if name in ("", "help", "?"):
            outputs.append(Output(notice=CONSOLE_HELP))
        return outputs

    def text(self, text: str) -> list[Output]:
        return self._send(TextReceived, text=text)

    def click(self, action: str, value: str = "") -> list[Output]:
        return self._send(ActionClicked, action=action, value=value)

    def submit(self, form_id: str, values: dict[str, str]) -> list[Output]:
        self.pending_form = None
        return self._send(FormSubmitted, form_id=form_id, values=dict(values))

    def find_button(self, choice: str) -> Button | None:
        """A button of the latest messages by its number or its label."""
        wanted = choice.strip()
        if wanted.isdigit() and 1 <= int(wanted) <= len(self.buttons):
            return self.buttons[int(wanted) - 1]
        for button in [*self.buttons, *reversed(self.recent_buttons),
                       *reversed(self.channel_buttons)]:
            if button.label.casefold() == wanted.casefold():
                return button
        return None

    def line(self, raw: str) -> list[Output]:
        """Route one typed line: a command, /advance, a button choice, or free text."""
        line = clean_user_text(raw).strip()
        if not line:
            return []
        if self.clock is None:  # real time: whatever fell due while the person was typing
            return self.deliver_due() + self._route(line)
        return self._route(line)

    def _route(self, line: str) -> list[Output]:
        first, _, rest = line.partition(" ")
        if first.lower() == COMMAND:
            return self._typed_command(line)
        if first.lower().removeprefix("/") in BARE_COMMANDS and (
                first.startswith("/") or self.find_button(line) is None):
            return self._typed_command(f"{COMMAND} {first.lower().removeprefix('/')} {rest}")
        if line.startswith("/advance"):
            return self.advance(line.removeprefix("/advance").strip())
        if line.split(" ", 1)[0] == "/as":
            return self.switch(line.removeprefix("/as").strip())
        if line.startswith("/") and not line.startswith("//"):
            return [Output(notice=f"Commands start with {COMMAND}, for example "
                                  f"{COMMAND} help. /advance works with --start-at.")]
        button = self.find_button(line)
        if button is not None:
            return self.click(button.action, button.value)
        if line.isdigit():
            return [Output(notice=self._no_such_choice(line))]
        return self.text(typed_newlines(line))

    def _no_such_choice(self, typed: str) -> str:
        if not self.buttons:
            return f"There is no choice numbered {typed}: no numbered choices are showing."
        return (f"There is no choice numbered {typed}; the choices showing are "
                f"1 to {len(self.buttons)}. To note a number, add a word (\"3 offices\").")

    def switch(self, name: str) -> list[Output]:
        """Act as another person on this database (``/as ben``): try a cohort alone."""
        name = " ".join(clean_user_text(name).split())[:64]
        if not name:
            return [Output(notice="Give a name, for example /as ben.")]
        self.user, self.pending_form = name, None
        waiting = self.mailbox.pop(name, [])
        self.buttons = [b for o in waiting if o.message for b in o.message.buttons]
        self.recent_buttons = list(self.buttons)
        outputs = [Output(notice=f"You are now {name}" + (
            f"; {len(waiting)} direct message(s) were waiting." if waiting else "."))]
        return outputs + waiting + (self.deliver_due() if self.clock is None else [])

    # --- time ------------------------------------------------------------------------------

    def advance(self, text: str) -> list[Output]:
        if self.clock is None:
            return [Output(notice="The clock is real. Start the console with --start-at "
                                  "2026-03-02T09:00 to use /advance.")]
        by = parse_duration(text)
        if by is None:
            return [Output(notice="Give a duration such as 30m, 2h, 3d, 1w or 1d6h.")]
        return self.advance_by(by)

    def advance_by(self, by: timedelta) -> list[Output]:
        assert self.clock is not None
        target = self.clock() + by
        outputs: list[Output] = []
        while (due := self.engine.next_reminder_due(PLATFORM, self.user)) is not None \
                and due <= target:
            self.clock.set(max(due, self.clock()))
            delivered = self.deliver_due()
            if delivered and self.clock() < target:  # say when it came, before the clock moves on
                outputs.append(Output(notice=f"{self._local_clock()}:"))
            outputs += delivered
            if self.engine.next_reminder_due(PLATFORM, self.user) == due:
                # nothing could be claimed at its own due time: say so rather than spin
                outputs.append(Output(notice=f"A reminder due at {due:%Y-%m-%d %H:%M} UTC "
                                             "could not be delivered; skipping ahead."))
                break
        self.clock.set(target)
        outputs += self.deliver_due()
        outputs.insert(0, Output(notice=f"The clock is now {self._local_clock()}."))
        return outputs

    def _local_clock(self) -> str:
        assert self.clock is not None
        local = self.clock().astimezone(ZoneInfo(self.tz) if self.tz else UTC)
        return f"{local:%a %d %b %Y %H:%M} {zone_label(local)}"

    def deliver_due(self) -> list[Output]:
        """The reminders due for the person at the terminal, delivered by the dispatcher every
        platform uses (claim, deliver, retry with backoff) through the console's gateway."""
        due = self.engine.next_reminder_due(PLATFORM, self.user)
        if due is None or due > self.engine.clock():
            return []  # most typed lines: no event loop, no claim, no checkpoint for nothing
        report = asyncio.run(self._dispatcher.tick(self.user))
        # delivered together: the terminal numbers their choices on and on, so they stay
        # choosable together (one at a time, each would replace the choices before it)
        outputs: list[Output] = self._deliver(list(self._gateway.take()))
        if report.retried:  # the console's gateway never fails: preparing it did
            outputs.append(Output(notice="A reminder could not be prepared; "
                                         "it will be tried again."))
        if report.failed:
            outputs.append(Output(notice="A reminder could not be prepared after several "
                                         "tries; it was set aside."))
        return outputs

    # --- effects ---------------------------------------------------------------------------

    def _message(self, message: Message, *, ephemeral: bool = False, dm: bool = False,
                 to_user: str = "") -> Output:
        saved: tuple[Path, ...] = ()
        if self.files is not None and message.attachments:
            saved = tuple(save_attachment(self.files, a.filename, a.content)
                          for a in message.attachments)
        return Output(message=message, ephemeral=ephemeral, dm=dm, to_user=to_user, saved=saved)

    def _deliver(self, effects: list[Effect]) -> list[Output]:
        outputs: list[Output] = []
        fresh_buttons: list[Button] = []
        for effect in effects:
            if isinstance(effect, Reply):
                outputs.append(self._message(effect.message,
                                             ephemeral=effect.ephemeral and not self.place.is_dm))
                fresh_buttons += effect.message.buttons
            elif isinstance(effect, SendDM) and effect.user_id != self.user:
                self.mailbox.setdefault(effect.user_id, []).append(
                    self._message(effect.message, dm=True, to_user=effect.user_id))
                outputs.append(Output(notice=f"A direct message for {effect.user_id} is "
                                             f"waiting (/as {effect.user_id} to read it)."))
            elif isinstance(effect, SendDM):
                outputs.append(self._message(effect.message, dm=True, to_user=effect.user_id))
                fresh_buttons += effect.message.buttons
            elif isinstance(effect, PostToChannel):
                outputs.append(self._message(effect.message))
                fresh_buttons += effect.message.buttons
                self.channel_buttons = (self.channel_buttons
                                        + list(effect.message.buttons))[-RECENT_BUTTONS:]
            elif isinstance(effect, OpenForm):
                self.pending_form = effect.form
                outputs.append(Output(form=effect.form))
        if fresh_buttons:
            self.buttons = fresh_buttons
            self.recent_buttons = (self.recent_buttons + fresh_buttons)[-RECENT_BUTTONS:]
        return outputs
