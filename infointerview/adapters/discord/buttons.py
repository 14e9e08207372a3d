"""Buttons that survive restarts: ``DynamicItem`` classes whose ``custom_id`` carries the route.

Their ids are made and matched in :mod:`adapters.discord.routing`.

- :class:`ActionButton` ``ii:b:<owner>:<action>:<value>`` — a neutral :class:`core.Button`;
  a click becomes ``ActionClicked(action, value)`` for its owner.
- :class:`FormButton` ``ii:f:<owner>:<token>`` — opens a form the engine asked for where a modal
  could not be the answer (after a modal submission, next to other messages). The form (with
  whatever was typed) waits in memory under ``token``; after a restart the click says so politely.

Both are registered with ``client.add_dynamic_items`` in ``setup_hook``, so a click on a message
sent by an earlier process still routes. A click by anyone but the owner is refused ephemerally.
"""

from __future__ import annotations

import re
from typing import Any, Protocol

import discord

from infointerview.adapters.discord.routing import (
    ACTION_TEMPLATE,
    CUSTOM_ID_MAX,
    FORM_TEMPLATE,
    action_id,
    form_id,
)
from infointerview.core import Button, ButtonStyle

LABEL_MAX = 80
STYLES = {ButtonStyle.PRIMARY: discord.ButtonStyle.primary,
          ButtonStyle.DANGER: discord.ButtonStyle.danger,
          ButtonStyle.DEFAULT: discord.ButtonStyle.secondary}


class Clicks(Protocol):
    """What a click is handed to: the client's ``adapter``."""

    async def click(self, interaction: discord.Interaction[Any], owner: int, action: str,
                    value: str) -> None: ...

    async def open_pending(self, interaction: discord.Interaction[Any], owner: int,
                           token: str) -> None: ...


def _clicks(interaction: discord.Interaction[Any]) -> Clicks:
    clicks: Clicks = interaction.client.adapter
    return clicks


def _label(text: str) -> str:
    return text if len(text) <= LABEL_MAX else text[: LABEL_MAX - 1] + "\u2026"


class ActionButton(discord.ui.DynamicItem[discord.ui.Button[Any]],
                   template=ACTION_TEMPLATE):
    def __init__(self, owner: int, action: str, value: str, *, label: str = "\u200b",
                 style: discord.ButtonStyle = discord.ButtonStyle.secondary) -> None:
        custom_id = action_id(owner, action, value)
        if len(custom_id) > CUSTOM_ID_MAX:
            raise ValueError(f"button {action!r} carries too much to route: {custom_id!r}")
        super().__init__(discord.ui.Button(label=_label(label), style=style,
                                           custom_id=custom_id))
        self.owner, self.action, self.value = owner, action, value

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction[Any],
                             item: discord.ui.Item[Any], match: re.Match[str], /,
                             ) -> ActionButton:
        label = getattr(item, "label", None) or "\u200b"
        style = getattr(item, "style", discord.ButtonStyle.secondary)
        return cls(int(match["owner"]), match["action"], match["value"], label=label,
                   style=style)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await _clicks(interaction).click(interaction, self.owner, self.action, self.value)


class FormButton(discord.ui.DynamicItem[discord.ui.Button[Any]],
                 template=FORM_TEMPLATE):
    def __init__(self, owner: int, token: str, *, label: str = "\u200b") -> None:
        super().__init__(discord.ui.Button(label=_label(label),
                                           style=discord.ButtonStyle.primary,
                                           custom_id=form_id(owner, token)))
        self.owner, self.token = owner, token

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction[Any],
                             item: discord.ui.Item[Any], match: re.Match[str], /,
                             ) -> FormButton:
        return cls(int(match["owner"]), match["token"],
                   label=getattr(item, "label", None) or "\u200b")

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await _clicks(interaction).open_pending(interaction, self.owner, self.token)


def view_for(buttons: list[Button], owner_id: int) -> discord.ui.View:
    """Neutral buttons as a view of at most five rows of five; they route by ``custom_id``."""
    view = discord.ui.View(timeout=None)
    for index, button in enumerate(buttons[:25]):
        item = ActionButton(owner_id, button.action, button.value, label=button.label,
                            style=STYLES.get(button.style, discord.ButtonStyle.secondary))
        item.row = index // 5
        view.add_item(item)
    return view


def form_view(owner_id: int, token: str, label: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(FormButton(owner_id, token, label=label))
    return view
