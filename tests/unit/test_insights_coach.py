"""The coach's view of a cohort from plain rows (core/insights/coach.py): the funnel, the weeks in
the cohort's own time zone, sectors, the members' table and the shared cards."""

from __future__ import annotations

import csv
import io
import itertools
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from infointerview.core.insights import coach
from infointerview.core.insights.views import SharedCard

NOW = datetime(2026, 3, 18, 12, 0, tzinfo=UTC)  # a Wednesday
H = timedelta(hours=1)
M = timedelta(minutes=1)
COHORT = {"id": 7, "name": "Fellows", "tz": "UTC"}

STEPS = ("outreach_sent", "follow_up_sent", "replied", "meeting_agreed", "connected", "applied",
         "second_thanked")


def contact(user_pk: int = 1, stage: str = "identified", sector: str = "technology", *,
            interviewed_at: datetime | None = None, thanked_at: datetime | None = None,
            **taken: bool) -> dict[str, Any]:
    """A member's contact as the store reads it: two dates, and whether each other step was
    taken."""
    assert set(taken) <= set(STEPS), taken
    return {"user_pk": user_pk, "stage": stage, "sector": sector,
            "interviewed_at": interviewed_at, "thanked_at": thanked_at,
            **dict.fromkeys(STEPS, False), **taken}


def member(user_pk: int, name: str, *, role: str = "member", paused: bool = False,
           updated_at: datetime | None = None) -> dict[str, Any]:
    return {"user_pk": user_pk, "name": name, "display_name": "", "user_id": f"U{user_pk}",
            "role": role, "paused": paused, "shoutouts": False, "updated_at": updated_at}


def share(name: str, visibility: str, *, share_email: bool = False,
          consent: bool = True) -> dict[str, Any]:
    return {"visibility": visibility, "share_email": share_email, "consent": consent,
            "name": name,
            "role": "Analyst", "organisation": "City Hall", "sector": "government",
            "profile_url": "https://example.org/p", "email": f"{name.split()[0]}@example.org",
            "owner_name": "Amy Adams", "owner_display": "amy", "shared_at": NOW - H}


T = NOW - 10 * 24 * H
FUNNEL_CONTACTS = [
    contact(),  # identified only
    contact(stage="no_reply", outreach_sent=True),
    contact(stage="replied", outreach_sent=True, replied=True),
    contact(stage="scheduled", outreach_sent=True, replied=True, meeting_agreed=True),
    # someone they already knew: interviewed without any outreach, thanked after 60 hours
    contact(stage="thanked", meeting_agreed=True, interviewed_at=T, thanked_at=T + 60 * H),
    contact(stage="connected", outreach_sent=True, replied=True, meeting_agreed=True,
            interviewed_at=T, thanked_at=T + 10 * H, connected=True),
    contact(stage="keeping_in_touch", outreach_sent=True, replied=True, meeting_agreed=True,
            interviewed_at=T, thanked_at=T + 47 * H, connected=True, applied=True,
            second_thanked=True),
]


def test_funnel_counts_each_step_reached_or_passed_with_rates_of_the_previous_step() -> None:
    steps = coach.funnel(FUNNEL_CONTACTS)
    assert [(s.key, s.count, s.rate) for s in steps] == [
        ("identified", 7, "—"), ("outreach_sent", 6, "86%"), ("replied", 5, "83%"),
        ("scheduled", 4, "80%"), ("interviewed", 3, "75%"), ("thanked_on_time", 2, "67%"),
        ("linkedin", 2, "100%"), ("applied", 1, "50%"), ("second_thank_you", 1, "100%")]
    assert [s.label for s in steps][:2] == ["Identified", "Outreach sent"]
    assert steps[5].label == "Thanked within 48 hours"


def test_a_step_after_nobody_has_no_rate() -> None:
    steps = coach.funnel([contact(), contact()])
    assert [(s.count, s.rate) for s in steps[:3]] == [(2, "—"), (0, "0%"), (0, "—")]
    assert [s.count for s in coach.funnel([])] == [0] * 9
    assert {s.rate for s in coach.funnel([])} == {"—"}


def test_scheduled_is_reached_by_a_meeting_time_or_the_stage() -> None:
    prepared = contact(stage="prepared", outreach_sent=True, replied=True)
    steps = coach.funnel([prepared])
    assert [s.count for s in steps[:5]] == [1, 1, 1, 1, 0]


def test_a_follow_up_is_outreach_sent() -> None:
    followed_up = contact(stage="follow_up_sent", follow_up_sent=True)
    assert [s.count for s in coach.funnel([followed_up])[:3]] == [1, 1, 0]


def _week(weeks: tuple[Any, ...], start: date) -> Any:
    return next(w for w in weeks if w.start == start)


def test_twelve_weeks_oldest_first_each_starting_monday_in_the_cohorts_zone() -> None:
    weeks = coach.weeks([], [], NOW, "UTC")
    assert len(weeks) == 12
    assert weeks[-1].start == date(2026, 3, 16)
    assert weeks[0].start == date(2025, 12, 29)
    assert all(w.start.weekday() == 0 for w in weeks)
    assert all(b.start - a.start == timedelta(days=7) for a, b in itertools.pairwise(weeks))


def test_a_week_begins_at_midnight_monday_east_of_utc() -> None:
    # Monday 16 March 00:30 in Kolkata is still Sunday evening in UTC
    sunday_utc = datetime(2026, 3, 15, 19, 0, tzinfo=UTC)
    rows = [contact(interviewed_at=sunday_utc, thanked_at=sunday_utc + 5 * H)]
    shares = [datetime(2026, 3, 15, 18, 29, tzinfo=UTC)]  # 23:59 Sunday in Kolkata
    kolkata = coach.weeks(rows, shares, NOW, "Asia/Kolkata")
    this_week, last_week = _week(kolkata, date(2026, 3, 16)), _week(kolkata, date(2026, 3, 9))
    assert (this_week.interviews, this_week.thanked_on_time, this_week.shared) == (1, 1, 0)
    assert (last_week.interviews, last_week.shared) == (0, 1)
    in_utc = coach.weeks(rows, shares, NOW, "UTC")
    assert _week(in_utc, date(2026, 3, 9)).interviews == 1
    assert _week(in_utc, date(2026, 3, 16)).interviews == 0


def test_weeks_west_of_utc_across_the_clock_change() -> None:
    # Los Angeles moved to PDT (UTC-7) on Sunday 8 March 2026
    monday_pdt = datetime(2026, 3, 9, 7, 30, tzinfo=UTC)  # Mon 00:30 PDT (Sun 23:30 in PST)
    sunday_pdt = datetime(2026, 3, 9, 6, 30, tzinfo=UTC)  # Sun 23:30 PDT: the week before
    monday_pst = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)  # Mon 2 March 00:30 PST
    rows = [contact(interviewed_at=moment, thanked_at=moment + 49 * H)
            for moment in (monday_pdt, sunday_pdt, monday_pst)]
    weeks = coach.weeks(rows, [], NOW, "America/Los_Angeles")
    assert weeks[-1].start == date(2026, 3, 16)
    assert _week(weeks, date(2026, 3, 9)).interviews == 1
    assert _week(weeks, date(2026, 3, 2)).interviews == 2  # the week with the clock change
    assert _week(weeks, date(2026, 2, 23)).interviews == 0
    assert sum(w.thanked_on_time for w in weeks) == 0  # 49 hours is late


def test_weeks_older_than_twelve_and_the_future_are_left_out() -> None:
    rows = [contact(interviewed_at=NOW - 12 * 7 * 24 * H), contact(interviewed_at=NOW)]
    weeks = coach.weeks(rows, [NOW + 8 * 24 * H], NOW, "UTC")
    assert sum(w.interviews for w in weeks) == 1
    assert sum(w.shared for w in weeks) == 0


def test_sectors_by_label_most_contacts_first() -> None:
    rows = [contact(sector="government"), contact(sector="government", interviewed_at=T),
            contact(sector="industry", interviewed_at=T), contact(sector="academia")]
    assert [(s.label, s.contacts, s.interviews) for s in coach.sectors(rows)] == [
        ("Government", 2, 1), ("Academia", 1, 0), ("Other industry", 1, 1)]


MEMBERS = [member(1, "Zoe Zhang", role="coach", updated_at=NOW - H),
           member(2, "amy Adams", paused=True), member(3, "Bob Brown")]
TABLE_CONTACTS = [
    contact(2, stage="thanked", interviewed_at=T, thanked_at=T + H),
    contact(2, stage="interviewed", interviewed_at=T),  # 48 hours passed: counted as late
    contact(2, stage="outreach_sent", outreach_sent=True),
    contact(3),
]


def test_members_table_sorted_by_name_with_paused_members_marked() -> None:
    table = coach.member_lines(MEMBERS, TABLE_CONTACTS, NOW)
    assert [line.name for line in table] == ["amy Adams", "Bob Brown", "Zoe Zhang"]
    amy, bob, zoe = table
    assert amy.paused and not bob.paused and zoe.role == "coach"
    assert amy.stages == (("Outreach sent", 1), ("Interviewed", 1), ("Thank-you sent", 1))
    assert (amy.contacts, amy.interviews, amy.thank_you_rate) == (3, 2, "50%")
    assert (bob.contacts, bob.interviews, bob.thank_you_rate) == (1, 0, "—")
    assert zoe.contacts == 0 and zoe.last_active == NOW - H


def test_members_csv_has_the_tables_rows_in_its_order() -> None:
    rows = list(csv.DictReader(io.StringIO(coach.members_csv(MEMBERS, TABLE_CONTACTS, NOW)
                                           .decode())))
    assert [r["member"] for r in rows] == ["amy Adams", "Bob Brown", "Zoe Zhang"]
    assert rows[0]["paused"] == "yes" and rows[0]["interviews"] == "2"
    assert rows[0]["outreach_sent"] == "1" and rows[0]["thank_you_within_48h"] == "50%"


def test_only_card_shares_become_cards_and_email_only_when_shared() -> None:
    rows = [share("Kim Park", "card", share_email=True), share("Lee Secret", "intro"),
            share("Max Mail", "card"),
            # ticked, but the contact's agreement was never given: no e-mail
            share("Ada Asked", "card", share_email=True, consent=False)]
    cards = coach.cards(rows)
    assert cards == (
        SharedCard("Kim Park", "Analyst", "City Hall", "Government", "Amy Adams",
                   email="Kim@example.org", profile_url="https://example.org/p"),
        SharedCard("Max Mail", "Analyst", "City Hall", "Government", "Amy Adams",
                   email="", profile_url="https://example.org/p"),
        SharedCard("Ada Asked", "Analyst", "City Hall", "Government", "Amy Adams",
                   email="", profile_url="https://example.org/p"))


def test_the_whole_view_names_no_intro_only_contact() -> None:
    rows = [share("Kim Park", "card"), share("Lee Secret", "intro")]
    view = coach.coach_view(COHORT, MEMBERS, TABLE_CONTACTS + FUNNEL_CONTACTS, rows,
                            [r["shared_at"] for r in rows], 3, NOW)
    assert "Lee Secret" not in repr(view) and "Kim Park" in repr(view)
    assert (view.cohort.id, view.cohort.name, view.tz) == (7, "Fellows", "UTC")
    assert view.members == 3 and view.intro_requests == 3
    assert view.funnel[0].count == len(TABLE_CONTACTS + FUNNEL_CONTACTS)
    assert view.weeks[-1].shared == 2


def test_the_first_week_begins_at_its_monday_midnight_in_the_cohorts_zone() -> None:
    kolkata = ZoneInfo("Asia/Kolkata")
    first_monday = datetime(2025, 12, 29, 0, 0, tzinfo=kolkata)  # twelve weeks back
    rows = [contact(interviewed_at=first_monday), contact(interviewed_at=first_monday - M)]
    shares = [first_monday.astimezone(UTC), (first_monday - M).astimezone(UTC)]
    weeks = coach.weeks(rows, shares, NOW, "Asia/Kolkata")
    assert weeks[0].start == date(2025, 12, 29)
    assert (weeks[0].interviews, weeks[0].shared) == (1, 1)
    assert sum(w.interviews for w in weeks) == 1 and sum(w.shared for w in weeks) == 1
