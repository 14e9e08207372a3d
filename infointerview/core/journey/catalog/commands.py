"""The command grammar, declared once: every ``/infointerview`` command and cohort subcommand.

The router's dispatch, the cohort service's claim, Discord's command group (its descriptions),
``help.j2`` and Slack's usage hint all follow this table; ``tests/unit/test_catalog_commands.py``
fails when one of them has a command the table lacks, or lacks one it has. Handlers are not
here (this module stays pure data): the router and the cohort service map names to them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CommandSpec:
    name: str
    summary: str  # one line on what it does: Discord's description (at most 100 characters)
    arguments: str = ""  # as help.j2 shows them after the name, e.g. "[N]" or "<organisation>"
    aliases: tuple[str, ...] = ()  # other words typed for it (they never reach Discord)
    cohort: bool = False  # handled by core.cohorts (it spans people), not the journey
    in_help: bool = True  # help.j2 lists it (times, meeting, referral come as buttons)
    # Discord's command group holds at most 25 subcommands: False leaves one out there, for a
    # command its buttons (and, in an interview, typing it) already reach
    on_discord: bool = True

    @property
    def usage(self) -> str:
        """How help.j2 writes it: the name, then its arguments."""
        return f"{self.name} {self.arguments}".strip()


def _table(*specs: CommandSpec) -> dict[str, CommandSpec]:
    return {spec.name: spec for spec in specs}


C = CommandSpec

# Roughly in help.j2's order; those it does not list, and the cohort's, last.
COMMANDS: dict[str, CommandSpec] = _table(
    C("start", "Add a contact you want to talk to", "[name]", aliases=("new",)),
    C("list", "Your contacts by stage, and what is due", aliases=("ls",)),
    C("show", "Show a contact's card and what comes next", "N", aliases=("card",)),
    C("done", "Mark the next step for a contact as done", "N"),
    C("note", "Add a note (during an interview, or to a contact)", "[N] <text>"),
    C("notes", "Read, edit or delete a contact's notes", "[N]"),
    C("star", "Star the most useful note of an interview", "N M"),
    C("questions", "Pick the questions for an interview", "[N] …"),
    C("interview", "Start the interview now (then every note goes to it)", "N"),
    C("end", "End the running interview: thank-you and referrals next", "N"),
    C("thanks", "Your thank-you draft for a contact", "[N]", aliases=("thank-you", "thankyou")),
    C("linkedin", "Your LinkedIn connection note for a contact", "N"),
    C("applied", "You applied somewhere: second thank-yous", "<organisation>"),
    C("intro", "Your one- to two-minute self-introduction"),
    C("who", "Ideas for whom to ask for an informational interview"),
    C("profile", "About you: name, programme, interests, time zone"),
    C("settings", "Time zone, quiet hours and reminder settings"),
    C("pause", "Pause reminders (2w, a date, or off)", "<date or 2w>"),
    C("dashboard", "A one-time link to your pages in the browser (sent by direct message)"),
    C("export", "Download everything as JSON and CSV"),
    C("forget-me", "Delete all your data (asks first)", aliases=("forget", "forgetme")),
    C("help", "What I can do", aliases=("?",), in_help=False),  # help is the list itself
    C("times", "Propose time windows to a contact", "[N]", in_help=False),
    C("meeting", "Enter the agreed date and time of an interview", "[N]", in_help=False),
    C("referral", "Add someone a contact suggested you talk to", "[N]", in_help=False,
      on_discord=False),
    C("cohort", "Your cohort: share contacts, find who knows whom, warm intros", cohort=True),
    C("share", "Share a contact (you choose what others see)", "N", cohort=True),
    C("unshare", "Stop sharing a contact with any cohort", "N", cohort=True),
)

# ``cohort <subcommand>``; a word that is none of these shows the cohort's status.
COHORT_SUBCOMMANDS: dict[str, CommandSpec] = _table(
    C("join", "Join this channel's cohort", cohort=True),
    C("leave", "Leave this channel's cohort", cohort=True),
    C("pause", "Hide your shares and skip the digest for a while", cohort=True),
    C("resume", "Come back after a pause", cohort=True),
    C("report", "Coaches: everyone's progress, as a message and a CSV", cohort=True),
    C("coach", "Take the coach's role (when the cohort has none; managers always)",
      cohort=True),
    C("find", "Find who in your cohort knows someone", "<words>", aliases=("search",),
      cohort=True),
    C("create", "Make this channel a cohort (channel managers)", "<name>", cohort=True),
    C("shoutouts", "Be named in the weekly digest (on/off)", "on|off", aliases=("shoutout",),
      cohort=True),
    C("digest", "Coaches: when the weekly digest is posted", "<day time zone>", cohort=True),
    C("intro-period", "Coaches: weeks before one person may be asked for an intro again",
      "<weeks>", cohort=True),
    C("shared", "What you shared, and how often each was asked for", aliases=("mine",),
      cohort=True),
)

# The few commands Slack's usage hint shows (short: it is one line under the command's name).
SLACK_HINT = ("start", "list", "show N", "note N text", "done N", "dashboard", "help")

JOURNEY_COMMANDS = tuple(name for name, spec in COMMANDS.items() if not spec.cohort)
DISCORD_COMMANDS = tuple(name for name in JOURNEY_COMMANDS if COMMANDS[name].on_discord)
COHORT_COMMANDS = frozenset(name for name, spec in COMMANDS.items() if spec.cohort)


def aliases(table: dict[str, CommandSpec]) -> dict[str, str]:
    """Every alias in ``table``, to the name it stands for."""
    return {alias: spec.name for spec in table.values() for alias in spec.aliases}


def summary(name: str) -> str:
    return COMMANDS[name].summary


def cohort_summary(name: str) -> str:
    return COHORT_SUBCOMMANDS[name].summary


def usage_hint() -> str:
    """Slack's one-line usage hint under ``/infointerview`` (the manifest must say this)."""
    return " | ".join(SLACK_HINT)
