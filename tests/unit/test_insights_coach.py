"""The coach's view of a cohort from what the store counts (core/insights/coach.py): the funnel,
the weeks in the cohort's own time zone, sectors, the members' table and the shared cards."""

from __future__ import annotations

import csv
import io
import itertools
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from infointerview.core.cohorts import progress
from infointerview.core.insights import coach
from infointerview.core.insights.views import SharedCard

NOW = datetime(2026, 3, 18, 12, 0, tzinfo=UTC)  # a Wednesday
H = timedelta(hours=1)
M = timedelta(minutes=1)
COHORT = {"id": 7, "name": "Fellows", "tz": "UTC", "intro_period_days": 28}


def contact(user_pk: int = 1, stage: str = "identified", sector: str = "technology", *,
            interviewed_at: datetime | None = None,
            thanked_at: datetime | None = None) -> dict[str, Any]:
    """A member's contact as the chat's report reads it (``progress.tally`` counts them)."""
    return {"user_pk": user_pk, "stage": stage, "sector": sector,
            "interviewed_at": interviewed_at, "thanked_at": thanked_at}


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
# contacts by the furthest funnel step each reached (the store counts them; the rule of each
# step is tested on the databases, tests/integration/test_insights_counts.py)
FURTHEST = {
    0: 1,  # identified only
    1: 1,  # no reply to the outreach
    2: 1,  # replied
    3: 1,  # scheduled
    4: 1,  # someone they already knew: interviewed without any outreach, thanked after 60 hours
    6: 1,  # thanked after 10 hours, connected on LinkedIn
    8: 1,  # thanked after 47 hours, connected, applied, thanked again
}


def test_funnel_counts_each_step_reached_or_passed_with_rates_of_the_previous_step() -> None:
    steps = coach.funnel(FURTHEST)
    assert [(s.key, s.count, s.rate) for s in steps] == [
        ("identified", 7, "—"), ("outreach_sent", 6, "86%"), ("replied", 5, "83%"),
        ("scheduled", 4, "80%"), ("interviewed", 3, "75%"), ("thanked_on_time", 2, "67%"),
        ("linkedin", 2, "100%"), ("applied", 1, "50%"), ("second_thank_you", 1, "100%")]
    assert [s.label for s in steps][:2] == ["Identified", "Outreach sent"]
    assert steps[5].label == "Thanked within 48 hours"


def test_a_step_after_nobody_has_no_rate() -> None:
    steps = coach.funnel({0: 2})
    assert [(s.count, s.rate) for s in steps[:3]] == [(2, "—"), (0, "0%"), (0, "—")]
    assert [s.count for s in coach.funnel({})] == [0] * 9
    assert {s.rate for s in coach.funnel({})} == {"—"}


def test_a_contact_counts_at_every_step_up_to_its_furthest() -> None:
    assert [s.count for s in coach.funnel({3: 1})[:5]] == [1, 1, 1, 1, 0]
    assert [s.count for s in coach.funnel({1: 1})[:3]] == [1, 1, 0]


def _week(weeks: tuple[Any, ...], start: date) -> Any:
    return next(w for w in weeks if w.start == start)


def test_twelve_weeks_oldest_first_each_starting_monday_in_the_cohorts_zone() -> None:
    weeks = coach.weeks([], [], NOW, "UTC")
    assert coach.first_week(NOW, "UTC") == datetime(2025, 12, 29, tzinfo=ZoneInfo("UTC"))
    assert len(weeks) == 12
    assert weeks[-1].start == date(2026, 3, 16)
    assert weeks[0].start == date(2025, 12, 29)
    assert all(w.start.weekday() == 0 for w in weeks)
    assert all(b.start - a.start == timedelta(days=7) for a, b in itertools.pairwise(weeks))


def test_a_week_begins_at_midnight_monday_east_of_utc() -> None:
    # Monday 16 March 00:30 in Kolkata is still Sunday evening in UTC
    sunday_utc = datetime(2026, 3, 15, 19, 0, tzinfo=UTC)
    rows = [(sunday_utc, True)]  # thanked on time
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
    rows = [(moment, False) for moment in (monday_pdt, sunday_pdt, monday_pst)]  # thanked late
    weeks = coach.weeks(rows, [], NOW, "America/Los_Angeles")
    assert weeks[-1].start == date(2026, 3, 16)
    assert _week(weeks, date(2026, 3, 9)).interviews == 1
    assert _week(weeks, date(2026, 3, 2)).interviews == 2  # the week with the clock change
    assert _week(weeks, date(2026, 2, 23)).interviews == 0
    assert sum(w.thanked_on_time for w in weeks) == 0


def test_weeks_older_than_twelve_and_the_future_are_left_out() -> None:
    rows = [(NOW - 12 * 7 * 24 * H, True), (NOW, True), (NOW + 8 * 24 * H, True)]
    weeks = coach.weeks(rows, [NOW + 8 * 24 * H], NOW, "UTC")
    assert sum(w.interviews for w in weeks) == 1 and weeks[-1].thanked_on_time == 1
    assert sum(w.shared for w in weeks) == 0


def test_sectors_by_label_most_contacts_first() -> None:
    rows = [{"sector": "academia", "contacts": 1, "interviews": 0},
            {"sector": "industry", "contacts": 1, "interviews": 1},
            {"sector": "government", "contacts": 2, "interviews": 1}]
    assert [(s.label, s.contacts, s.interviews) for s in coach.sectors(rows)] == [
        ("Government", 2, 1), ("Academia", 1, 0), ("Other industry", 1, 1)]


MEMBERS = [member(1, "Zoe Zhang", role="coach", updated_at=NOW - H),
           member(2, "amy Adams", paused=True), member(3, "Bob Brown")]
TABLE_CONTACTS = [
    contact(2, stage="thanked", interviewed_at=T, thanked_at=T + H),
    contact(2, stage="interviewed", interviewed_at=T),  # 48 hours passed: counted as late
    contact(2, stage="outreach_sent"),
    contact(3),
]


def test_members_table_sorted_by_name_with_paused_members_marked() -> None:
    table = coach.member_lines(MEMBERS, progress.tally(TABLE_CONTACTS, NOW))
    assert [line.name for line in table] == ["amy Adams", "Bob Brown", "Zoe Zhang"]
    amy, bob, zoe = table
    assert amy.paused and not bob.paused and zoe.role == "coach"
    assert amy.stages == (("Outreach sent", 1), ("Interviewed", 1), ("Thank-you sent", 1))
    assert (amy.contacts, amy.interviews, amy.thank_you_rate) == (3, 2, "50%")
    assert (bob.contacts, bob.interviews, bob.thank_you_rate) == (1, 0, "—")
    assert zoe.contacts == 0 and zoe.last_active == NOW - H


def test_members_csv_has_the_tables_rows_in_its_order() -> None:
    exported = coach.members_csv(MEMBERS, progress.tally(TABLE_CONTACTS, NOW))
    rows = list(csv.DictReader(io.StringIO(exported.decode())))
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
    counted = coach.Counted(furthest=FURTHEST, interviews=[(T, True)],
                            sectors=[{"sector": "technology", "contacts": 7, "interviews": 1}],
                            tallies=progress.tally(TABLE_CONTACTS, NOW))
    view = coach.coach_view(COHORT, MEMBERS, counted, rows, [r["shared_at"] for r in rows], 3,
                            NOW)
    assert "Lee Secret" not in repr(view) and "Kim Park" in repr(view)
    assert (view.cohort.id, view.cohort.name, view.tz) == (7, "Fellows", "UTC")
    assert view.members == 3 and view.intro_requests == 3
    assert view.funnel[0].count == 7 and view.sectors[0].contacts == 7
    assert view.weeks[-1].shared == 2 and sum(w.interviews for w in view.weeks) == 1
    assert [line.name for line in view.table] == ["amy Adams", "Bob Brown", "Zoe Zhang"]


def test_the_first_week_begins_at_its_monday_midnight_in_the_cohorts_zone() -> None:
    kolkata = ZoneInfo("Asia/Kolkata")
    first_monday = datetime(2025, 12, 29, 0, 0, tzinfo=kolkata)  # twelve weeks back
    rows = [(first_monday, False), (first_monday - M, False)]
    shares = [first_monday.astimezone(UTC), (first_monday - M).astimezone(UTC)]
    weeks = coach.weeks(rows, shares, NOW, "Asia/Kolkata")
    assert weeks[0].start == date(2025, 12, 29)
    assert (weeks[0].interviews, weeks[0].shared) == (1, 1)
    assert sum(w.interviews for w in weeks) == 1 and sum(w.shared for w in weeks) == 1


def test_requests_are_counted_per_person_and_labelled_without_a_name() -> None:
    """Two shares of one person (their ``person`` is the same) count together; each person is
    labelled by role, organisation and sector only, the most asked first."""
    shares = [
        {"share_id": 1, "name": "Dana Diaz", "role": "Analyst", "organisation": "Acme",
         "sector": "finance"},
        {"share_id": 2, "name": "Dana Díaz", "role": "Senior analyst", "organisation": "Acme",
         "sector": "finance"},
        {"share_id": 3, "name": "Lee Wong", "role": "Engineer", "organisation": "Beta",
         "sector": "technology"},
    ]
    day = datetime(2026, 4, 1, tzinfo=UTC)
    per_share = [
        {"share_id": 1, "person": 1, "requests": 1, "last_asked_at": day},
        {"share_id": 2, "person": 1, "requests": 1, "last_asked_at": day + timedelta(days=2)},
        {"share_id": 3, "person": 3, "requests": 1, "last_asked_at": day + timedelta(days=1)},
    ]
    dana, lee = coach.asked(per_share, shares)
    assert (dana.role, dana.organisation, dana.sector, dana.requests, dana.last_asked) == (
        "Analyst", "Acme", "Finance", 2, day + timedelta(days=2))
    assert (lee.organisation, lee.requests) == ("Beta", 1)
    assert "Dana" not in repr((dana, lee)) and "Lee Wong" not in repr((dana, lee))
