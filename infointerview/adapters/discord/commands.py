"""``/infointerview <subcommand>``: one ``app_commands.Group`` over the engine's commands.

Each subcommand only collects its arguments into the text the engine's command expects
(``note 2 text``, ``pause 2w``) and hands it over as ``CommandInvoked``; what a command does is
the core's business. Contact arguments take a number or the start of a name, as everywhere;
``settings`` offers IANA time-zone autocomplete, because Discord does not tell bots a user's zone.
"""

from __future__ import annotations

import asyncio
from functools import lru_cache
from typing import Any
from zoneinfo import available_timezones

import discord
from discord import app_commands

from infointerview.adapters.discord.interactions import actor_of, adapter_of
from infointerview.core import cohort_summary
from infointerview.core import command_summary as summary

GROUP = "infointerview"
AUTOCOMPLETE_BUDGET = 2.0  # Discord waits 3 s for suggestions
CONTACT_HINT = "Contact number or the start of their name (default: the one you are on)"

# Descriptions are the command catalogue's summaries (core/journey/catalog/commands.py), so
# Discord, help and the router cannot drift apart; tests/unit/test_catalog_commands.py checks
# the names.
# subcommands whose only argument is an optional contact (``referral`` is not one: the group is
# full at Discord's 25, and its button reaches it; see the catalogue's ``on_discord``)
CONTACT_COMMANDS = {name: summary(name) for name in (
    "show", "done", "interview", "end", "thanks", "linkedin", "times", "meeting")}
# /infointerview cohort <action>: a subgroup (Discord allows 25 subcommands per group)
COHORT_PLAIN = {action: cohort_summary(action)
                for action in ("join", "leave", "pause", "resume", "report", "coach", "shared")}
COHORT_TEXT = {"find": (cohort_summary("find"), "words", "An organisation, role or sector"),
               "create": (cohort_summary("create"), "name", "The cohort's name"),
               "shoutouts": (cohort_summary("shoutouts"), "choice", "on or off"),
               "digest": (cohort_summary("digest"), "when", "e.g. fri 16:00 Europe/Berlin"),
               "intro-period": (cohort_summary("intro-period"), "weeks", "e.g. 4")}
PLAIN_COMMANDS = {name: summary(name)
                  for name in ("list", "profile", "dashboard", "export", "forget-me", "help",
                               "who")}


@lru_cache(maxsize=1)
def _zones() -> tuple[str, ...]:
    return tuple(sorted(z for z in available_timezones() if "/" in z and not
                        z.startswith(("Etc/", "SystemV/", "US/", "posix/", "right/"))))


def timezone_choices(typed: str, limit: int = 25) -> list[app_commands.Choice[str]]:
    """IANA zones matching what was typed: prefix matches of the city first, then any match."""
    needle = typed.strip().lower().replace(" ", "_")
    zones = _zones()
    if not needle:
        picks = list(zones[:limit])
    else:
        city = [z for z in zones if z.lower().rsplit("/", 1)[-1].startswith(needle)]
        whole = [z for z in zones if z.lower().startswith(needle)]
        anywhere = [z for z in zones if needle in z.lower()]
        picks = list(dict.fromkeys(city + whole + anywhere))[:limit]
    return [app_commands.Choice(name=z, value=z) for z in picks]


async def timezone_autocomplete(interaction: discord.Interaction[Any],
                                current: str) -> list[app_commands.Choice[str]]:
    return timezone_choices(current)


def contact_choices(contacts: list[tuple[int, str]], typed: str,
                    limit: int = 25) -> list[app_commands.Choice[str]]:
    """The person's contacts matching what was typed (number or the start of a name word)."""
    needle = typed.strip().casefold()
    picks = [(no, name) for no, name in contacts
             if not needle or str(no) == needle
             or any(word.startswith(needle) for word in name.casefold().split())
             or name.casefold().startswith(needle)]
    return [app_commands.Choice(name=f"{no}. {name}"[:100], value=str(no))
            for no, name in picks[:limit]]


async def contact_autocomplete(interaction: discord.Interaction[Any],
                               current: str) -> list[app_commands.Choice[str]]:
    adapter = adapter_of(interaction)
    actor = actor_of(interaction.user)
    contacts = await asyncio.wait_for(
        asyncio.to_thread(adapter.engine.contact_names, actor), AUTOCOMPLETE_BUDGET)
    return contact_choices(contacts, current)


async def _run(interaction: discord.Interaction[Any], name: str, *parts: str | int | None) -> None:
    args = " ".join(str(p).strip() for p in parts if p is not None and str(p).strip())
    await adapter_of(interaction).command(interaction, name, args)


def _plain(name: str, description: str) -> app_commands.Command[Any, Any, None]:
    async def callback(interaction: discord.Interaction[Any]) -> None:
        await _run(interaction, name)

    return app_commands.Command(name=name, description=description, callback=callback)


def _contact(name: str, description: str) -> app_commands.Command[Any, Any, None]:
    @app_commands.describe(contact=CONTACT_HINT)
    @app_commands.autocomplete(contact=contact_autocomplete)
    async def callback(interaction: discord.Interaction[Any],
                       contact: app_commands.Range[str, 1, 100] | None = None) -> None:
        await _run(interaction, name, contact)

    return app_commands.Command(name=name, description=description, callback=callback)


def _cohort_plain(action: str, description: str) -> app_commands.Command[Any, Any, None]:
    async def callback(interaction: discord.Interaction[Any]) -> None:
        await _run(interaction, "cohort", action)

    return app_commands.Command(name=action, description=description, callback=callback)


def _cohort_text(action: str, description: str, param: str,
                 hint: str) -> app_commands.Command[Any, Any, None]:
    async def callback(interaction: discord.Interaction[Any],
                       text: app_commands.Range[str, 1, 200] | None = None) -> None:
        await _run(interaction, "cohort", action, text)

    described = app_commands.describe(text=hint)(callback)  # the argument hint
    return app_commands.Command(name=action, description=description, callback=described)


def build_cohort_group() -> app_commands.Group:
    cohort = app_commands.Group(name="cohort", description=summary("cohort"))
    for action, description in COHORT_PLAIN.items():
        cohort.add_command(_cohort_plain(action, description))
    for action, (description, _, hint) in COHORT_TEXT.items():
        cohort.add_command(_cohort_text(action, description, action, hint))

    @cohort.command(name="share", description=summary("share"))
    @app_commands.describe(contact=CONTACT_HINT)
    @app_commands.autocomplete(contact=contact_autocomplete)
    async def share(interaction: discord.Interaction[Any],
                    contact: app_commands.Range[str, 1, 100] | None = None) -> None:
        await _run(interaction, "share", contact)

    @cohort.command(name="unshare", description=summary("unshare"))
    @app_commands.describe(contact=CONTACT_HINT)
    @app_commands.autocomplete(contact=contact_autocomplete)
    async def unshare(interaction: discord.Interaction[Any],
                      contact: app_commands.Range[str, 1, 100]) -> None:
        await _run(interaction, "unshare", contact)

    return cohort


def build_group() -> app_commands.Group:
    group = app_commands.Group(
        name=GROUP, description="Your coach for informational interviews",
        allowed_contexts=app_commands.AppCommandContext(guild=True, dm_channel=True),
        allowed_installs=app_commands.AppInstallationType(guild=True))

    @group.command(name="start", description=summary("start"))
    @app_commands.describe(name="Their name (you can fill in the rest next)")
    async def start(interaction: discord.Interaction[Any],
                    name: app_commands.Range[str, 1, 200] | None = None) -> None:
        await _run(interaction, "start", name)

    @group.command(name="note", description=summary("note"))
    @app_commands.describe(text="The note; leave empty to get a form",
                           contact="Contact number (default: the interview or the one you are on)")
    async def note(interaction: discord.Interaction[Any], text: str | None = None,
                   contact: app_commands.Range[int, 1, 100_000] | None = None) -> None:
        await _run(interaction, "note", contact, text)

    @group.command(name="notes", description=summary("notes"))
    @app_commands.describe(contact="Contact number (default: the interview or the one you are on)",
                           change="edit 2 <new text> · delete 2 (leave empty to list them)")
    async def notes(interaction: discord.Interaction[Any],
                    contact: app_commands.Range[int, 1, 100_000] | None = None,
                    change: app_commands.Range[str, 1, 4000] | None = None) -> None:
        await _run(interaction, "notes", contact, change)

    @group.command(name="questions", description=summary("questions"))
    @app_commands.describe(contact="Contact number (default: the one you are on)",
                           change="add 3 5 · drop 2 · up 4 · down 1 · custom <text> · bank · reset")
    async def questions(interaction: discord.Interaction[Any],
                        contact: app_commands.Range[int, 1, 100_000] | None = None,
                        change: app_commands.Range[str, 1, 300] | None = None) -> None:
        await _run(interaction, "questions", contact, change)

    @group.command(name="star", description=summary("star"))
    @app_commands.describe(note="Note number (default: the latest)",
                           contact="Contact number (default: the interview or the one you are on)")
    async def star(interaction: discord.Interaction[Any],
                   note: app_commands.Range[int, 1, 10_000] | None = None,
                   contact: app_commands.Range[int, 1, 100_000] | None = None) -> None:
        # a contact alone means its latest note, never note <contact> of another contact
        await _run(interaction, "star", contact, "latest" if contact and not note else note)

    @group.command(name="applied", description=summary("applied"))
    @app_commands.describe(organisation="Where you applied")
    async def applied(interaction: discord.Interaction[Any],
                      organisation: app_commands.Range[str, 1, 150] | None = None) -> None:
        await _run(interaction, "applied", organisation)

    @group.command(name="intro", description=summary("intro"))
    @app_commands.describe(text="Type it here, or leave empty to get a form")
    async def intro(interaction: discord.Interaction[Any], text: str | None = None) -> None:
        await _run(interaction, "intro", text)

    @group.command(name="settings", description=summary("settings"))
    @app_commands.describe(timezone="Your time zone, e.g. Europe/Berlin (start typing a city)")
    @app_commands.autocomplete(timezone=timezone_autocomplete)
    async def settings(interaction: discord.Interaction[Any],
                       timezone: app_commands.Range[str, 1, 64] | None = None) -> None:
        await _run(interaction, "settings", timezone)

    @group.command(name="pause", description=summary("pause"))
    @app_commands.describe(until="How long (2w, 10d) or until when (2026-12-01); off resumes")
    async def pause(interaction: discord.Interaction[Any],
                    until: app_commands.Range[str, 1, 20]) -> None:
        await _run(interaction, "pause", until)

    group.add_command(build_cohort_group())
    for name, description in CONTACT_COMMANDS.items():
        group.add_command(_contact(name, description))
    for name, description in PLAIN_COMMANDS.items():
        group.add_command(_plain(name, description))
    return group
