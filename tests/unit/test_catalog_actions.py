"""The action catalogue decides where an action leads, and only the router applies it.

Handlers never set a contact's stage: the router moves the contact as the action begins, from
the catalogue; the two actions whose move waits on an outcome (``moved_by_handler``) call
``enter`` themselves. These tests read the source so a hand-written move fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from infointerview.core.journey import router
from infointerview.core.journey.cards import CARD_BUTTONS
from infointerview.core.journey.catalog.actions import ACTIONS, STAGES, allowed
from infointerview.core.journey.state import Stage

ROOT = Path(__file__).resolve().parents[2] / "infointerview"
ACTIONS_MODULE = ROOT / "core" / "journey" / "catalog" / "actions.py"
ROUTER = "core/journey/router.py"
SOURCES = sorted(p for package in ("core", "adapters", "bot")
                 for p in (ROOT / package).rglob("*.py") if p != ACTIONS_MODULE)
# A form that goes on into another action runs that action's handler itself, so it applies the
# action's move too: the contact form, whose submission starts the first outreach draft.
CONTINUATIONS = {("core/journey/setup.py", "draft")}


def test_every_action_has_a_handler_and_every_handler_an_entry() -> None:
    assert set(router.CONTACT_ACTIONS) == set(ACTIONS)
    assert set(router.FORM_ACTIONS.values()) <= set(ACTIONS)


def test_each_stage_offers_what_it_allows() -> None:
    assert set(STAGES) == set(Stage)
    for stage, spec in STAGES.items():
        if spec.primary is not None:  # what `done N` performs must be allowed there
            assert allowed(spec.primary, stage), (stage, spec.primary)
    for stage, buttons in CARD_BUTTONS.items():
        assert all(allowed(a, stage) for a in buttons), stage


def test_only_moving_actions_are_moved_by_their_handler() -> None:
    for name, spec in ACTIONS.items():
        if spec.moved_by_handler:
            assert spec.moves_to is not None, name


def _moves(source: str, where: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source, where)):
        targets = node.targets if isinstance(node, ast.Assign) else \
            [node.target] if isinstance(node, ast.AugAssign | ast.AnnAssign) else []
        for target in targets:
            if isinstance(target, ast.Attribute) and target.attr == "stage":
                found.append(f"{where}:{node.lineno}: a stage set by hand")
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("enter", "moved") \
                and where != ROUTER:
            action = node.args[1] if len(node.args) > 1 else None
            name = action.value if isinstance(action, ast.Constant) else None
            spec = ACTIONS.get(name) if isinstance(name, str) else None
            if spec is None or not (spec.moved_by_handler or (where, name) in CONTINUATIONS):
                found.append(f"{where}:{node.lineno}: a move the router applies ({name})")
    return found


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_handler_moves_a_contact_by_hand(path: Path) -> None:
    assert _moves(path.read_text(), str(path.relative_to(ROOT))) == []


def test_the_scan_would_catch_a_hand_written_move() -> None:
    sample = ('def act_replied(ctx, contact, value):\n'
              '    contact.stage = moved(contact.stage, "replied")\n'
              '    enter(contact, "park")\n')
    assert len(_moves(sample, "core/journey/setup.py")) == 3
    assert _moves('enter(contact, "mark_sent")\nenter(contact, "draft")\n',
                  "core/journey/setup.py") == []
