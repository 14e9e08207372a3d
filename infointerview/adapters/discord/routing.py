"""The custom ids that route Discord components back to the bot, in one place.

- ``ii:b:<owner>:<action>:<value>`` — a neutral :class:`core.Button`; a click becomes
  ``ActionClicked(action, value)`` for its owner.
- ``ii:f:<owner>:<token>`` — a button opening a form that waits in memory under ``token``.
- ``ii:form:<form id>`` — a modal; its submission becomes ``FormSubmitted(form id, values)``.

The owner is the Discord user id the buttons belong to, or :data:`EVERYONE` for buttons posted in
a channel (a cohort's Join). The ids survive restarts: nothing in memory is needed to route them.
"""

from __future__ import annotations

EVERYONE = 0  # the owner of buttons posted in a channel (a cohort's Join): anyone may click
CUSTOM_ID_MAX = 100  # Discord's limit on a component's custom_id

ACTION_TEMPLATE = r"ii:b:(?P<owner>[0-9]{1,20}):(?P<action>[a-z_]{1,40}):(?P<value>.*)"
FORM_TEMPLATE = r"ii:f:(?P<owner>[0-9]{1,20}):(?P<token>[0-9a-f]{6,32})"
MODAL_PREFIX = "ii:form:"


def action_id(owner: int, action: str, value: str) -> str:
    """The custom id of an action button (matched by :data:`ACTION_TEMPLATE`)."""
    return f"ii:b:{owner}:{action}:{value}"


def form_id(owner: int, token: str) -> str:
    """The custom id of a button opening a waiting form (matched by :data:`FORM_TEMPLATE`)."""
    return f"ii:f:{owner}:{token}"
