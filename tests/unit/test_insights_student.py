"""A person's own page from their contacts (core/insights/student.py): the pipeline by stage,
what is due and what is overdue (as the weekly summary tells them apart), the referral network
and the timeline of dated steps."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from infointerview.core.insights import student
from infointerview.core.insights.views import (
    CohortLink,
    NetworkEdge,
    NetworkNode,
    StudentView,
    Viewer,
)
from infointerview.core.journey.state import Contact, Note, Stage

ZONE = "Europe/Berlin"
BERLIN = ZoneInfo(ZONE)
NOW = datetime(2026, 4, 13, 9, 0, tzinfo=BERLIN)  # a Monday morning
SECRET = "SECRET-NOTE she is leaving soon"
VIEWER = Viewer(user_pk=1, platform="console", tenant="local", user_id="ana", name="Ana",
                tz=ZONE, csrf="t")


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 4, day, hour, 0, tzinfo=BERLIN)


def contacts() -> list[Contact]:
    return [
        # interviewed Tuesday, thank-you due Thursday, never sent: overdue
        Contact(no=1, name="Dr. Jordan Lee", organisation="Northwind", stage=Stage.INTERVIEWED,
                created_at=at(1), outreach_sent_at=at(2), replied_at=at(3),
                meeting_at=at(7), interviewed_at=at(7, 11),
                notes=[Note(1, SECRET, at(7, 10), starred=True)]),
        # an interview on Wednesday: due this week
        Contact(no=2, name="Mx. Sam Okafor", stage=Stage.SCHEDULED, referred_by_no=1,
                created_at=at(7, 11), meeting_at=at(15, 15)),
        # an interview in twelve days: has a date, but not due this week
        Contact(no=3, name="Kim Park", organisation="City Hall", stage=Stage.SCHEDULED,
                referred_by_no=2, created_at=at(8), meeting_at=at(25)),
        # written to on Friday: follow up next Friday if no reply
        Contact(no=4, name="Lee Chen", stage=Stage.OUTREACH_SENT, referred_by_no=99,
                created_at=at(9), outreach_sent_at=at(10)),
        Contact(no=5, name="Ada Byron", created_at=at(11)),
    ]


def view() -> StudentView:
    coached = (CohortLink(3, "Fellows"),)
    return student.student_view(VIEWER, contacts(), NOW, ZONE, coached)


def test_pipeline_grouped_by_stage_in_the_journeys_order() -> None:
    groups = view().groups
    assert [(g.label, [i.no for i in g.items]) for g in groups] == [
        ("Identified", [5]), ("Outreach sent", [4]), ("Scheduled", [2, 3]),
        ("Interviewed", [1])]
    interviewed = groups[-1].items[0]
    assert interviewed.next_step == "send a thank-you within 48 hours"
    assert interviewed.organisation == "Northwind" and interviewed.stage == "Interviewed"
    assert interviewed.overdue and interviewed.due_at == at(9, 11)
    assert groups[0].items[0].due_at is None and not groups[0].items[0].overdue


def test_due_this_week_soonest_first_apart_from_what_is_overdue() -> None:
    page = view()
    assert [i.no for i in page.overdue] == [1]
    assert [(i.no, i.due_at) for i in page.due] == [(2, at(15, 15)), (4, at(17))]
    assert 3 not in [i.no for i in page.due + page.overdue]


def test_a_missed_interview_is_overdue_once_its_time_is_over() -> None:
    missed = Contact(no=1, name="Kim Park", stage=Stage.PREPARED, meeting_at=NOW - timedelta(
        minutes=31), duration_min=30)
    going_on = Contact(no=2, name="Lee Chen", stage=Stage.PREPARED,
                       meeting_at=NOW - timedelta(minutes=29), duration_min=30)
    page = student.student_view(VIEWER, [missed, going_on], NOW, ZONE, ())
    assert [i.no for i in page.overdue] == [1] and [i.no for i in page.due] == [2]


def test_referral_network_follows_who_referred_whom() -> None:
    page = view()
    assert page.nodes[0] == NetworkNode("me", "You", "")
    assert page.nodes[1] == NetworkNode("c1", "Dr. Jordan Lee (Northwind)", "Interviewed")
    assert page.nodes[2] == NetworkNode("c2", "Mx. Sam Okafor", "Scheduled")
    assert set(page.edges) == {
        NetworkEdge("me", "c1"), NetworkEdge("c1", "c2"), NetworkEdge("c2", "c3"),
        # referred by a contact since deleted: hangs from the person
        NetworkEdge("me", "c4"), NetworkEdge("me", "c5")}
    assert len(page.edges) == 5


def test_timeline_newest_first_one_entry_per_dated_step() -> None:
    timeline = view().timeline
    assert [(e.at, e.contact_no, e.text) for e in timeline[:3]] == [
        (at(11), 5, "Added Ada Byron"),
        (at(10), 4, "Outreach sent to Lee Chen"),
        (at(9), 4, "Added Lee Chen")]
    jordan = [e.text for e in timeline if e.contact_no == 1]
    assert jordan == ["Interview with Dr. Jordan Lee", "Dr. Jordan Lee replied",
                      "Outreach sent to Dr. Jordan Lee", "Added Dr. Jordan Lee"]
    assert [e.at for e in timeline] == sorted((e.at for e in timeline), reverse=True)


def test_every_later_step_has_its_own_words() -> None:
    done = Contact(no=7, name="Kim Park", organisation="City Hall",
                   stage=Stage.KEEPING_IN_TOUCH, follow_up_sent_at=at(1),
                   thanked_at=at(2), connected_at=at(3), applied_at=at(4),
                   applied_to="City Hall Planning", second_thanked_at=at(5))
    texts = [e.text for e in student.timeline([done])]
    assert texts == ["Second thank-you sent to Kim Park", "Applied to City Hall Planning",
                     "Connected with Kim Park on LinkedIn", "Thank-you sent to Kim Park",
                     "Follow-up sent to Kim Park"]


def test_the_page_never_shows_a_note_and_knows_the_viewers_cohorts() -> None:
    page = view()
    assert SECRET not in repr(page)
    assert page.viewer == VIEWER and page.coached == (CohortLink(3, "Fellows"),)
