"""The reminder catalogue is the one place a kind's rules live.

Each entry must be complete (a template that exists, stages, a Done that is allowed there,
snoozes that have buttons, a series of real kinds), and no module may spell a kind's key,
quiet-hours rule or stage list again: these tests read the source so a second copy fails here.
"""

from __future__ import annotations

import ast
from datetime import UTC, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from infointerview.core.journey.catalog import reminders as kinds
from infointerview.core.journey.catalog.actions import ACTIONS, allowed
from infointerview.core.journey.catalog.reminders import (
    CONTACT_KINDS,
    JOURNEY_KINDS,
    REMINDER_KINDS,
    Content,
    Deadline,
    Owner,
    ReminderKind,
    reminder_key,
)
from infointerview.core.journey.nudges import SNOOZE_LABELS
from infointerview.core.journey.timing import Availability

ROOT = Path(__file__).resolve().parents[2] / "infointerview"
TEMPLATES = ROOT / "core" / "templates"
CATALOG = ROOT / "core" / "journey" / "catalog"
SOURCES = sorted(p for package in ("core", "adapters", "bot")
                 for p in (ROOT / package).rglob("*.py") if CATALOG not in p.parents)
ALL = list(REMINDER_KINDS.values())


def test_every_kind_is_declared_under_its_own_name() -> None:
    assert all(name == spec.name for name, spec in REMINDER_KINDS.items())
    constants = [v for v in vars(kinds).values() if isinstance(v, ReminderKind)]
    assert sorted(k.name for k in constants) == sorted(REMINDER_KINDS)


@pytest.mark.parametrize("spec", ALL, ids=lambda s: s.name)
def test_each_kind_is_complete(spec: ReminderKind) -> None:
    assert (TEMPLATES / spec.template).is_file(), spec.template
    assert set(spec.snoozes) <= set(SNOOZE_LABELS)
    for later in spec.later_in_series:
        assert REMINDER_KINDS[later].owner is spec.owner
    if spec.owner is Owner.CONTACT:
        assert spec.relevant_in, "a contact reminder says in which stages it still matters"
        assert spec.snoozes
        if spec.done_action is not None:  # Done runs the action: it must be allowed there
            assert spec.done_action in ACTIONS
            assert all(allowed(spec.done_action, stage) for stage in spec.relevant_in)
    else:  # a person's summary or a cohort's digest: no stages, nothing for Done to run
        assert not spec.relevant_in and spec.done_action is None
        assert spec.content is Content.NONE and spec.deadline is Deadline.NONE
    if spec.needs_running_interview or spec.ends_when_interview_starts:
        assert spec.owner is Owner.CONTACT
    if spec.last_call:
        assert any(spec.name in k.later_in_series for k in ALL), "the last of a series"


def test_the_series_and_the_journey_kinds() -> None:
    assert kinds.THANK_YOU.series == ("thank_you", "thank_you_last")
    assert kinds.NO_REPLY_NUDGE.series == ("no_reply_nudge", "no_reply_follow_up",
                                           "no_reply_park")
    assert kinds.KEEP_IN_TOUCH.series == ("keep_in_touch",)
    assert kinds.COHORT_DIGEST.name not in JOURNEY_KINDS  # posted to a channel, no buttons
    assert kinds.WEEKLY_SUMMARY.name in JOURNEY_KINDS
    assert all(k.owner is Owner.CONTACT for k in CONTACT_KINDS)


def test_keys() -> None:
    assert reminder_key("thank_you", 3) == "thank_you:3"
    assert kinds.WEEKLY_SUMMARY.key(None) == "weekly_summary"
    assert kinds.COHORT_DIGEST.key(12) == "cohort_digest:12"


@pytest.mark.parametrize("spec", ALL, ids=lambda s: s.name)
def test_quiet_hours_follow_the_catalogue(spec: ReminderKind) -> None:
    night = Availability(ZoneInfo("UTC"), quiet_start=time(21, 0), quiet_end=time(8, 0))
    at_two = datetime(2026, 5, 13, 2, 0, tzinfo=UTC)
    sent = night.deliverable_at(at_two, spec.name)
    assert (sent == at_two) is spec.ignores_quiet_hours


# --- nobody repeats the catalogue ------------------------------------------------------------

KIND_NAMES = frozenset(REMINDER_KINDS)
SCHEDULERS = {"schedule": 1, "Schedule": 1, "cancel": None, "Cancel": None}


def _called(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _kind_literal(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value in KIND_NAMES


def _names_kind(node: ast.AST) -> bool:
    name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")
    return isinstance(name, str) and "kind" in name.lower()


def _repeats(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _called(node) in SCHEDULERS and node.args:
            if isinstance(node.args[0], ast.JoinedStr):
                found.append(f"line {node.lineno}: a key formatted by hand (use reminder_key)")
            kind_at = SCHEDULERS[_called(node)]
            if kind_at is not None and len(node.args) > kind_at \
                    and _kind_literal(node.args[kind_at]):
                found.append(f"line {node.lineno}: a kind spelt out (use the catalogue's)")
        elif isinstance(node, ast.JoinedStr) and node.values \
                and isinstance(node.values[0], ast.Constant) \
                and str(node.values[0].value).partition(":")[0] in KIND_NAMES \
                and ":" in str(node.values[0].value):
            found.append(f"line {node.lineno}: a kind's key formatted by hand")
        elif isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(_names_kind(s) for s in sides) and any(
                    _kind_literal(s) or (isinstance(s, ast.Tuple | ast.Set | ast.List)
                                         and any(_kind_literal(e) for e in s.elts))
                    for s in sides):
                found.append(f"line {node.lineno}: a rule tested on a kind's name")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in ("startswith", "endswith") \
                and _names_kind(node.func.value):
            found.append(f"line {node.lineno}: a rule tested on a kind's name")
        elif isinstance(node, ast.Tuple | ast.Set | ast.List) and len(node.elts) >= 2 \
                and all(_kind_literal(e) for e in node.elts):
            found.append(f"line {node.lineno}: a list of kinds (say it in the catalogue)")
    return found


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_repeats_a_kinds_rules(path: Path) -> None:
    assert _repeats(ast.parse(path.read_text(), str(path))) == []


def test_the_scan_would_catch_the_old_copies() -> None:
    old = '''
IGNORES_QUIET_HOURS = frozenset({"prep_hour", "interview_wrap"})
ctx.schedule(f"thank_you:{contact.no}", "thank_you", nudge, contact)
ctx.cancel(f"{kind}:{contact.no}")
if kind == "interview_wrap": pass
if kind.startswith("thank_you"): pass
key = f"linkedin:{contact.no}"
'''
    lines = {int(found.split(":")[0].removeprefix("line ")) for found in _repeats(ast.parse(old))}
    assert lines == {2, 3, 4, 5, 6, 7}  # every one of the old copies is caught
