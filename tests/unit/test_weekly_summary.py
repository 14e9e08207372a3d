"""The Monday summary keeps what is overdue apart from what is coming up: a thank-you missed
last week is not "coming up in the next seven days"."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from infointerview.core import SendDM
from tests.helpers import CONTACT
from tests.unit.pure_journey import PureJourney

ZONE = "Europe/Berlin"


def test_overdue_and_coming_up_are_told_apart() -> None:
    ana = PureJourney(now=datetime(2026, 4, 6, 10, 0, tzinfo=ZoneInfo(ZONE)), tz=ZONE)  # Monday
    ana.onboard()
    ana.submit("settings", {"tz": ZONE, "quiet_start": "21:00", "quiet_end": "08:00",
                            "weekdays_only": "no", "weekly_summary": "on"})
    for number, name in ((1, "Dr. Jordan Lee"), (2, "Mx. Sam Okafor")):
        ana.add_contact({**CONTACT, "name": name})
        ana.click("mark_sent", str(number))
        ana.click("replied", str(number))
    ana.submit("meeting:1", {"date": "2026-04-07", "time": "10:00", "duration": "30",
                             "mode": "video", "detail": ""})
    ana.now = datetime(2026, 4, 7, 10, 0, tzinfo=ZoneInfo(ZONE))
    ana.click("start_interview", "1")
    ana.click("end_interview", "1")  # thank-you due Thu 9 Apr, never sent
    ana.submit("meeting:2", {"date": "2026-04-15", "time": "15:00", "duration": "30",
                             "mode": "phone", "detail": ""})
    ana.reminders = {k: r for k, r in ana.reminders.items() if r.kind == "weekly_summary"}
    ana.now = datetime(2026, 4, 13, 9, 0, tzinfo=ZoneInfo(ZONE)) + timedelta(minutes=1)
    [(_, effects)] = ana.deliver_due()
    [summary] = [e.message.plain_text() for e in effects if isinstance(e, SendDM)]
    overdue, _, coming = summary.partition("Coming up in the next seven days:")
    assert "Overdue:" in overdue and "Dr. Jordan Lee" in overdue
    assert "thank-you was due" in overdue
    assert "Mx. Sam Okafor" in coming and "Dr. Jordan Lee" not in coming
