"""Seeded, realistic data for the browser tests and the screenshots: a bioscience PhD cohort
coached by Dr Amara Okafor, a member (Nguyễn Thị Mai) with a referral chain, a second cohort
coached by someone else, and a cohort in another workspace."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from infointerview.core.insights.views import (
    AskedContact,
    CoachView,
    CohortLink,
    FunnelStep,
    MemberLine,
    NetworkEdge,
    NetworkNode,
    PipelineItem,
    SectorCount,
    SharedCard,
    StageGroup,
    StudentView,
    TimelineEntry,
    Viewer,
    Week,
)
from tests.browser.fakes import FakeAccess, FakeCohort, FakeInsights

XSS_NAME = "<script>alert(1)</script>"
XSS_ORGANISATION = '"><img src=x onerror=alert(1)>'
NOW = datetime.now(UTC).replace(microsecond=0)


def person(pk: int, name: str, tenant: str = "T-UNI", tz: str = "America/Chicago") -> Viewer:
    return Viewer(pk, "slack", tenant, f"U{pk:04d}", name, tz, csrf="")


COACH_A = person(1, "Dr Amara Okafor")
MEMBER = person(2, "Nguyễn Thị Mai", tz="Asia/Ho_Chi_Minh")
COACH_B = person(3, "Prof. Henrik Larsen", tz="Europe/Copenhagen")
OTHER_TENANT_COACH = person(4, "Aiko Tanaka", tenant="T-OTHER", tz="Asia/Tokyo")
TYPIST = person(5, 'Jonas "Jo" Weber')  # whose contacts carry markup, for the escaping tests

FUNNEL = (("identified", "Identified", 42), ("outreach_sent", "Outreach sent", 35),
          ("replied", "Replied", 24), ("scheduled", "Scheduled", 19),
          ("interviewed", "Interviewed", 16), ("thanked_on_time", "Thanked within 48 hours", 13),
          ("linkedin", "Connected on LinkedIn", 11), ("applied", "Applied", 5),
          ("second_thank_you", "Second thank-you", 3))
WEEKLY = ((1, 1, 0), (0, 0, 1), (2, 1, 2), (1, 1, 0), (3, 2, 1), (2, 2, 3), (1, 0, 0),
          (4, 3, 2), (2, 2, 1), (3, 3, 4), (5, 4, 2), (2, 2, 1))  # interviews, on time, shared


def funnel() -> tuple[FunnelStep, ...]:
    steps, before = [], 0
    for key, label, count in FUNNEL:
        rate = f"{round(100 * count / before)}%" if before else "—"
        steps.append(FunnelStep(key, label, count, rate))
        before = count
    return tuple(steps)


def weeks() -> tuple[Week, ...]:
    this_monday = NOW.date() - timedelta(days=NOW.weekday())
    first = this_monday - timedelta(weeks=len(WEEKLY) - 1)
    return tuple(Week(first + timedelta(weeks=n), *counts) for n, counts in enumerate(WEEKLY))


def member_line(name: str, interviews: int, rate: str, days_ago: int | None,
                role: str = "member", stages: tuple[tuple[str, int], ...] = ()) -> MemberLine:
    last = NOW - timedelta(days=days_ago) if days_ago is not None else None
    contacts = sum(count for _, count in stages)
    return MemberLine(name, role, False, stages, contacts, interviews, rate, last)


MEMBERS = (
    member_line("Nguyễn Thị Mai", 4, "75%", 1, stages=(("Outreach sent", 2), ("Interviewed", 3),
                                                       ("Thanked", 2))),
    member_line("Samuel Rivera", 6, "100%", 0, stages=(("Identified", 1), ("Thanked", 6))),
    member_line("Priya Raghunathan", 2, "50%", 6, stages=(("Scheduled", 2), ("Thanked", 2))),
    member_line("Jonas Weber", 0, "—", 21, stages=(("Identified", 4),)),
    member_line("Fatima Al-Sayed", 3, "67%", 3, stages=(("Replied", 1), ("Thanked", 3))),
    member_line("Chen Wei", 1, "100%", 12, stages=(("Interviewed", 1),)),
    member_line("Dr Amara Okafor", 0, "—", None, role="coach"),
)
SECTORS = (SectorCount("Biotechnology", 14, 6), SectorCount("Pharmaceuticals", 9, 4),
           SectorCount("Science policy", 6, 2), SectorCount("Consulting", 5, 2),
           SectorCount("Data science", 4, 1), SectorCount("Non-profit", 4, 1))
CARDS = (SharedCard("Dr Jordan Lee", "Regulatory affairs manager", "Genentech",
                    "Biotechnology", "Nguyễn Thị Mai", email="jordan.lee@example.org"),
         SharedCard("Maria Chen", "Medical science liaison", "Roche", "Pharmaceuticals",
                    "Samuel Rivera"),
         SharedCard("Kwame Mensah", "Director of science policy", "Wellcome Trust",
                    "Science policy", "Priya Raghunathan"))
TYPED_CARDS = (*CARDS, SharedCard(XSS_NAME, "Analyst", XSS_ORGANISATION, "Consulting",
                                  "Jonas Weber"))

COHORT_A = CohortLink(11, "Bioscience PhD 2026")
COHORT_B = CohortLink(12, "Data Science Bootcamp, spring")
COHORT_OTHER = CohortLink(13, "Tokyo alumni circle")

# the member's contacts: (no, name, organisation, stage, referred by contact no.)
CONTACTS = ((1, "Dr Jordan Lee", "Genentech", "Thanked", None),
            (2, "Maria Chen", "Roche", "Interviewed", 1),
            (3, "Kwame Mensah", "Novartis", "Outreach sent", 2),
            (4, "Sofia Álvarez", "Wellcome Trust", "Interviewed", None),
            (5, "Oluwaseun Adeyemi", "GSK", "Outreach sent", 4),
            (6, "Li Na", "BioNTech", "Thanked", 1))
TYPED_CONTACTS = ((1, XSS_NAME, XSS_ORGANISATION, "Outreach sent", None),
                  (2, "Ana O'Neil & Sons", "<b>Bold</b> Ltd", "Interviewed", 1))
CHAIN = [("me", "c1"), ("c1", "c2"), ("c2", "c3"), ("me", "c4"), ("c4", "c5"), ("c1", "c6")]


def student_view(viewer: Viewer = MEMBER,
                 contacts: tuple[tuple[int, str, str, str, int | None], ...] = CONTACTS,
                 ) -> StudentView:
    items = {no: PipelineItem(no, name, org, stage, "send your thank-you"
                              if stage == "Interviewed" else "wait for a reply",
                              NOW + timedelta(days=no - 3) if stage != "Thanked" else None,
                              overdue=stage != "Thanked" and no < 3)
             for no, name, org, stage, _ in contacts}
    order = ("Outreach sent", "Interviewed", "Thanked")
    groups = tuple(StageGroup(stage, tuple(i for i in items.values() if i.stage == stage))
                   for stage in order if any(i.stage == stage for i in items.values()))
    due = tuple(sorted((i for i in items.values() if i.due_at and not i.overdue),
                       key=lambda i: i.due_at or NOW))
    overdue = tuple(i for i in items.values() if i.overdue)
    nodes = (NetworkNode("me", "You", ""), *(
        NetworkNode(f"c{no}", f"{name} ({org})", stage) for no, name, org, stage, _ in contacts))
    edges = tuple(NetworkEdge(f"c{by}" if by else "me", f"c{no}")
                  for no, _, _, _, by in contacts)
    timeline = tuple(TimelineEntry(NOW - timedelta(days=2 * n), no, f"Interview with {name}")
                     for n, (no, name, _, _, _) in enumerate(contacts))
    return StudentView(viewer, groups, due, overdue, nodes, edges, timeline, ())


def coach_view(link: CohortLink, members: int = 7,
               cards: tuple[SharedCard, ...] = CARDS) -> CoachView:
    return CoachView(link, "America/Chicago", members, funnel(), weeks(), SECTORS, MEMBERS,
                     cards, intro_requests=4, asked=ASKED)


# warm-intro requests in the cohort's period, by role and organisation (never a name)
ASKED = (AskedContact("Director of science policy", "Wellcome Trust", "Science policy", 2,
                      NOW - timedelta(days=3)),
         AskedContact("Medical science liaison", "Roche", "Pharmaceuticals", 1,
                      NOW - timedelta(days=9)))


@dataclass
class Seeded:
    access: FakeAccess
    insights: FakeInsights


def seeded(public_url: str) -> Seeded:
    insights = FakeInsights(
        students={MEMBER.user_pk: student_view(),
                  TYPIST.user_pk: student_view(TYPIST, TYPED_CONTACTS)},
        cohorts={COHORT_A.id: FakeCohort(coach_view(COHORT_A), "T-UNI", {COACH_A.user_pk}),
                 COHORT_B.id: FakeCohort(coach_view(COHORT_B, 3, TYPED_CARDS), "T-UNI",
                                         {COACH_B.user_pk}),
                 COHORT_OTHER.id: FakeCohort(coach_view(COHORT_OTHER, 2), "T-OTHER",
                                             {OTHER_TENANT_COACH.user_pk})})
    access = FakeAccess([COACH_A, MEMBER, COACH_B, OTHER_TENANT_COACH, TYPIST], public_url)
    return Seeded(access, insights)
