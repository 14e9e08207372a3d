"""The command catalogue and everything that repeats its grammar stay aligned.

A command added to the router but not to Discord's group, to help.j2 but not to the catalogue,
or renamed in one place only, fails here rather than in front of a user.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from discord import app_commands

from infointerview.adapters.discord.commands import build_group
from infointerview.core.cohorts import service
from infointerview.core.journey import router
from infointerview.core.journey.catalog.commands import (
    COHORT_COMMANDS,
    COHORT_SUBCOMMANDS,
    COMMANDS,
    DISCORD_COMMANDS,
    JOURNEY_COMMANDS,
    SLACK_HINT,
    aliases,
    usage_hint,
)

ROOT = Path(__file__).resolve().parents[2] / "infointerview"
HELP = (ROOT / "core" / "templates" / "pipeline" / "help.j2").read_text()
MANIFESTS = sorted((ROOT.parent / "deploy" / "slack").glob("manifest*.yaml"))


def test_names_and_aliases_are_unambiguous() -> None:
    for table in (COMMANDS, COHORT_SUBCOMMANDS):
        words = [w for spec in table.values() for w in (spec.name, *spec.aliases)]
        assert len(words) == len(set(words)), "a word names one command only"
        assert all(w == w.lower() and " " not in w for w in words)


def test_the_router_dispatches_exactly_the_journey_commands() -> None:
    assert list(router.COMMANDS) == [n for n in router.COMMANDS if n in JOURNEY_COMMANDS]
    assert set(router.COMMANDS) == set(JOURNEY_COMMANDS)
    assert aliases(COMMANDS) == router.ALIASES
    assert set(router.ALIASES.values()) <= set(JOURNEY_COMMANDS)
    # what may be typed during an interview without becoming a note
    assert set(JOURNEY_COMMANDS) | set(router.ALIASES) >= router.INTERVIEW_COMMANDS


def test_the_cohort_service_claims_exactly_the_cohort_commands() -> None:
    assert service.COMMANDS == COHORT_COMMANDS
    assert not COHORT_COMMANDS & set(router.COMMANDS)
    words = {w for spec in COHORT_SUBCOMMANDS.values() for w in (spec.name, *spec.aliases)}
    assert set(service.SUBCOMMANDS) == words
    for alias, name in aliases(COHORT_SUBCOMMANDS).items():
        assert service.SUBCOMMANDS[alias] is service.SUBCOMMANDS[name]


def _subcommands(group: app_commands.Group) -> dict[str, Any]:
    return {command.name: command for command in group.commands}


def test_discords_command_group_is_the_catalogue() -> None:
    top = _subcommands(build_group())
    assert set(top) == set(DISCORD_COMMANDS) | {"cohort"}
    assert len(top) <= 25, "Discord's limit of subcommands in a group"
    # left out only when full, and only a command its buttons reach (not listed in help)
    assert all(not COMMANDS[name].in_help for name in set(JOURNEY_COMMANDS) - set(top))
    cohort = top["cohort"]
    assert isinstance(cohort, app_commands.Group)
    inner = _subcommands(cohort)
    # Discord nests share / unshare in the cohort group; the engine takes them as commands
    assert set(inner) == set(COHORT_SUBCOMMANDS) | (COHORT_COMMANDS - {"cohort"})
    for name, command in top.items():
        assert command.description == COMMANDS[name].summary
    for name, command in inner.items():
        spec = COHORT_SUBCOMMANDS.get(name) or COMMANDS[name]
        assert command.description == spec.summary
    summaries = [s.summary for t in (COMMANDS, COHORT_SUBCOMMANDS) for s in t.values()]
    assert all(0 < len(s) <= 100 for s in summaries), "Discord's limit for a description"


def test_help_lists_the_catalogue() -> None:
    shown = re.findall(r"`([^`]+)`", HELP)
    for spec in COMMANDS.values():
        if spec.in_help:
            assert spec.usage in shown, f"help.j2 should show `{spec.usage}`"
        else:
            assert not any(s.split()[0] == spec.name for s in shown), spec.name
    known = set(COMMANDS) | set(COHORT_SUBCOMMANDS) | {"/infointerview"}
    for usage in shown:
        assert usage.split()[0] in known, f"help.j2 shows `{usage}`, which no command is"
    for spec in COHORT_SUBCOMMANDS.values():  # the subcommands it mentions, as the table says
        mentioned = [s for s in shown if s.split()[0] == spec.name]
        assert all(s == spec.usage for s in mentioned) or spec.name in COMMANDS


@pytest.mark.parametrize("manifest", MANIFESTS, ids=lambda p: p.name)
def test_slacks_usage_hint_is_the_catalogues(manifest: Path) -> None:
    command = yaml.safe_load(manifest.read_text())["features"]["slash_commands"][0]
    assert command["usage_hint"] == usage_hint()
    assert all(entry.split()[0] in COMMANDS for entry in SLACK_HINT)

