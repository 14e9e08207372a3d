"""How a student's own name appears in what they send and in what the coach says to them: a
social honorific they typed in their profile ("Sra.", "Mr", "Frau") is for others to use, so it
never signs their letters; a professional title ("Dr.", "Prof.") stays, as people sign with it."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from infointerview.core import Effect, Reply, SendDM
from infointerview.core.journey.names import own_name
from tests.helpers import PROFILE
from tests.unit.pure_journey import PureJourney


@pytest.mark.parametrize(("typed", "signed"), [
    ("Sra. María José Quispe Mamani", "María José Quispe Mamani"),
    ("Mr Tunde Bakare", "Tunde Bakare"),
    ("Ms. Nguyễn Thị Mai", "Nguyễn Thị Mai"),
    ("Frau Anna Müller", "Anna Müller"),
    ("Dr. Kwame Mensah", "Dr. Kwame Mensah"),
    ("Prof. Sato Kenji", "Prof. Sato Kenji"),
    ("Priya Raghunathan", "Priya Raghunathan"),
])
def test_a_student_signs_without_a_social_honorific(typed: str, signed: str) -> None:
    assert own_name(typed) == signed


def _said(effects: list[Effect]) -> str:
    return "\n".join(e.message.plain_text() for e in effects if isinstance(e, Reply | SendDM))


def test_drafts_are_signed_without_sra_and_the_coach_thanks_her_by_name() -> None:
    zone = "America/Lima"
    maria = PureJourney(now=datetime(2026, 4, 6, 9, 0, tzinfo=ZoneInfo(zone)), tz=zone)
    maria.command("start")
    saved = _said(maria.submit("profile", {**PROFILE, "name": "Sra. María José Quispe Mamani",
                                           "tz": zone}))
    assert "Thanks, María José Quispe Mamani!" in saved
    maria.add_contact()
    draft = _said(maria.click("draft", "1"))
    assert "\nMaría José Quispe Mamani" in draft
    assert "Sra." not in draft
