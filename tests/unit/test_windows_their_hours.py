"""Windows proposed across zones: a window that falls outside the contact's working day is
pointed out before the student sends it (a counsellor would not send 4 AM to Berlin)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from infointerview.core import Reply, SendDM
from tests.unit.pure_journey import PureJourney


def _said(effects: list) -> str:  # type: ignore[type-arg]
    return "\n".join(e.message.plain_text() for e in effects if isinstance(e, Reply | SendDM))


def _replied_in_kathmandu() -> tuple[PureJourney, str]:
    zone = "Asia/Kathmandu"
    seun = PureJourney(now=datetime(2026, 10, 23, 10, 0, tzinfo=ZoneInfo(zone)), tz=zone)
    seun.onboard()
    number = seun.add_contact()
    seun.click("mark_sent", number)
    seun.click("replied", number)
    return seun, number


def test_a_window_at_dawn_for_them_is_pointed_out() -> None:
    seun, number = _replied_in_kathmandu()
    said = _said(seun.submit(f"windows:{number}", {
        "window1": "Wed 3-5pm", "window2": "thu 9-11am", "window3": "",
        "contact_tz": "Europe/Berlin"}))
    assert "Thu 29 Oct, 4:15–6:15 AM (CET)" in said
    warning = said[said.index("Heads-up"):]
    assert "Thu 29 Oct, 4:15–6:15 AM (CET)" in warning.splitlines()[0]
    assert "10:15 AM" not in warning.splitlines()[0]  # Wednesday's window is a working hour


def test_windows_inside_their_day_bring_no_warning() -> None:
    seun, number = _replied_in_kathmandu()
    said = _said(seun.submit(f"windows:{number}", {
        "window1": "Wed 3-5pm", "window2": "", "window3": "", "contact_tz": "Europe/Berlin"}))
    assert "Heads-up" not in said
