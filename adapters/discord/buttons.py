"""Buttons that survive restarts: ``DynamicItem`` classes whose ``custom_id`` carries the route.

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
from typing import TYPE_CHECKING, Any

import discord

from core import Button, ButtonStyle

if TYPE_CHECKING:
    from adapters.discord.interactions import Responder

EVERYONE = 0  # the owner of buttons posted in a channel (a cohort's Join): anyone may click
CUSTOM_ID_MAX = 100
LABEL_MAX = 80
STYLES = {ButtonStyle.PRIMARY: discord.ButtonStyle.primary,
          ButtonStyle.DANGER: discord.ButtonStyle.danger,
          ButtonStyle.DEFAULT: discord.ButtonStyle.secondary}


def responder_of(interaction: discord.Interaction[Any]) -> Responder:
    responder: Responder = interaction.client.responder
    return responder


def _label(text: str) -> str:
    return text if len(text) <= LABEL_MAX else text[: LABEL_MAX - 1] + "\u2026"


class ActionButton(discord.ui.DynamicItem[discord.ui.Button[Any]],
                   template=r"ii:b:(?P<owner>[0-9]{1,20}):(?P<action>[a-z_]{1,40}):(?P<value>.*)"):
    def __init__(self, owner: int, action: str, value: str, *, label: str = "\u200b",
                 style: discord.ButtonStyle = discord.ButtonStyle.secondary) -> None:
        custom_id = f"ii:b:{owner}:{action}:{value}"
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
        await responder_of(interaction).click(interaction, self.owner, self.action, self.value)


class FormButton(discord.ui.DynamicItem[discord.ui.Button[Any]],
                 template=r"ii:f:(?P<owner>[0-9]{1,20}):(?P<token>[0-9a-f]{6,32})"):
    def __init__(self, owner: int, token: str, *, label: str = "\u200b") -> None:
        super().__init__(discord.ui.Button(label=_label(label),
                                           style=discord.ButtonStyle.primary,
                                           custom_id=f"ii:f:{owner}:{token}"))
        self.owner, self.token = owner, token

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction[Any],
                             item: discord.ui.Item[Any], match: re.Match[str], /,
                             ) -> FormButton:
        return cls(int(match["owner"]), match["token"],
                   label=getattr(item, "label", None) or "\u200b")

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await responder_of(interaction).open_pending(interaction, self.owner, self.token)


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
