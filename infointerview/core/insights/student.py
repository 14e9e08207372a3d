"""What a person sees of their own journey on the web, from their contacts (pure: no storage).

What is due and what is overdue is the journey's own notion (``cards.due_and_overdue``, as the
weekly summary and ``list`` tell it), counted on the person's wall clock. Nothing here carries a
note's text: the page shows names, organisations, stages and dates only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from infointerview.core.insights.coach import zone_of
from infointerview.core.insights.views import (
    CohortLink,
    NetworkEdge,
    NetworkNode,
    PipelineItem,
    StageGroup,
    StudentView,
    TimelineEntry,
    Viewer,
)
from infointerview.core.journey.cards import Due, due_and_overdue, due_date
from infointerview.core.journey.catalog.actions import STAGES
from infointerview.core.journey.state import Contact

DUE_WITHIN = timedelta(days=7)
ME = "me"


def item(contact: Contact, due: Due | None, now: datetime) -> PipelineItem:
    spec = STAGES[contact.stage]
    return PipelineItem(no=contact.no, name=contact.name, organisation=contact.organisation,
                        stage=spec.label, next_step=spec.next_action,
                        due_at=due.at if due else None,
                        overdue=due.overdue(now) if due else False)


def pipeline(contacts: Sequence[Contact], now: datetime, tz: str) -> tuple[StageGroup, ...]:
    """The contacts by stage, in the journey's order (stages without contacts left out)."""
    zone = zone_of(tz)
    groups = []
    for stage, spec in STAGES.items():
        items = tuple(item(c, due_date(c, zone), now) for c in contacts if c.stage is stage)
        if items:
            groups.append(StageGroup(spec.label, items))
    return tuple(groups)


def agenda(contacts: Sequence[Contact], now: datetime,
           tz: str) -> tuple[tuple[PipelineItem, ...], tuple[PipelineItem, ...]]:
    """(due in the next seven days, overdue), each soonest first."""
    due, overdue = due_and_overdue(contacts, zone_of(tz), now, DUE_WITHIN)
    return (tuple(item(c, when, now) for c, when in sorted(due, key=lambda p: p[1].at)),
            tuple(item(c, when, now) for c, when in sorted(overdue, key=lambda p: p[1].at)))


def node_id(no: int) -> str:
    return f"c{no}"


def network(contacts: Sequence[Contact]) -> tuple[tuple[NetworkNode, ...],
                                                  tuple[NetworkEdge, ...]]:
    """The person and their contacts, each hanging from the contact who referred them (a
    referrer since deleted, or none: from the person)."""
    numbers = {c.no for c in contacts}
    nodes = [NetworkNode(ME, "You", "")]
    edges = []
    for contact in contacts:
        label = f"{contact.name} ({contact.organisation})" if contact.organisation \
            else contact.name
        nodes.append(NetworkNode(node_id(contact.no), label, STAGES[contact.stage].label))
        referrer = contact.referred_by_no
        source = node_id(referrer) if referrer is not None and referrer in numbers else ME
        edges.append(NetworkEdge(source, node_id(contact.no)))
    return tuple(nodes), tuple(edges)


def _steps(contact: Contact) -> tuple[tuple[datetime | None, str], ...]:
    """Each dated step of a contact and how the timeline says it, in the journey's order."""
    name = contact.name
    return (
        (contact.created_at, f"Added {name}"),
        (contact.outreach_sent_at, f"Outreach sent to {name}"),
        (contact.follow_up_sent_at, f"Follow-up sent to {name}"),
        (contact.replied_at, f"{name} replied"),
        (contact.interviewed_at, f"Interview with {name}"),
        (contact.thanked_at, f"Thank-you sent to {name}"),
        (contact.connected_at, f"Connected with {name} on LinkedIn"),
        (contact.applied_at,
         f"Applied to {contact.applied_to or contact.organisation or 'their organisation'}"),
        (contact.second_thanked_at, f"Second thank-you sent to {name}"),
    )


def timeline(contacts: Sequence[Contact]) -> tuple[TimelineEntry, ...]:
    """One entry per dated step of each contact, newest first (a contact's steps at the same
    moment: the later step first)."""
    entries = [(at, order, TimelineEntry(at, contact.no, text))
               for contact in contacts
               for order, (at, text) in enumerate(_steps(contact)) if at is not None]
    entries.sort(key=lambda entry: (entry[0], entry[1], -entry[2].contact_no), reverse=True)
    return tuple(entry for _, _, entry in entries)


def student_view(viewer: Viewer, contacts: Sequence[Contact], now: datetime, tz: str,
                 coached: tuple[CohortLink, ...]) -> StudentView:
    """The whole page; ``tz``: the person's own zone (their settings), as their reminders."""
    due, overdue = agenda(contacts, now, tz)
    nodes, edges = network(contacts)
    return StudentView(viewer=viewer, groups=pipeline(contacts, now, tz), due=due,
                       overdue=overdue, nodes=nodes, edges=edges, timeline=timeline(contacts),
                       coached=coached)
