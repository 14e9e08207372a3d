"""The web window's read service (core.Insights) on a real database, seeded through the engine:
a coach's page exists only for a coach of that cohort in their own workspace, shows no note and
no contact's name beyond the cards shared; a person's page and export are their own."""

from __future__ import annotations

import csv
import io
from typing import Any, cast

from sqlalchemy import Table, func, select

from bench.web_page import coach_page
from infointerview.core import Engine, Insights, Viewer
from infointerview.core.store.models import ProcessedEvent, UserRow
from tests.helpers import CONTACT, SOURCE, User, messages
from tests.integration.test_cohorts import (
    KIM,
    KIM_SOURCE,
    cohort_of,
    dm,
    hold_interview,
    member,
    share,
)

USERS = cast(Table, UserRow.__table__)
SECRET = "SECRET-NOTE she is leaving soon"
UNSHARED = {"name": "Pat Private", "role": "Engineer", "organisation": "Quiet Corp",
            "sector": "technology", "channel": "email"}


def viewer(person: User) -> Viewer:
    actor = person.actor
    with person.engine.database.begin() as connection:
        row = connection.execute(select(USERS).where(
            USERS.c.platform == actor.platform, USERS.c.tenant == actor.tenant,
            USERS.c.user_id == actor.user_id)).mappings().one()
    return Viewer(user_pk=int(row["id"]), platform=actor.platform, tenant=actor.tenant,
                  user_id=actor.user_id, name=row["name"], tz=row["tz"], csrf="token")


def insights(engine: Engine) -> Insights:
    return Insights(engine.database, clock=engine.clock)


def cohort_id(coach: User) -> int:
    return int(cohort_of(coach))


def busy_cohort(engine: Engine) -> tuple[User, User, int]:
    """A coach's cohort where Olga has interviewed Jordan (shared for intros only), shared Kim
    as a card (with a private note) and keeps Pat to herself."""
    coach = member(engine, "coach", manager=True)
    cohort = cohort_id(coach)
    olga = member(engine, "olga")
    olga.command("cohort", "join")
    jordan = olga.add_contact(CONTACT, SOURCE)
    kim = olga.add_contact(KIM, KIM_SOURCE)
    olga.add_contact(UNSHARED, SOURCE)
    hold_interview(dm(olga), jordan)
    dm(olga).command("note", f"{kim} {SECRET}")
    dm(olga).command("note", f"{jordan} {SECRET}")
    share(olga, jordan, "intro")
    share(olga, kim, "card", email="yes")
    return coach, olga, cohort


def test_the_coach_sees_figures_and_cards_but_no_note_or_unshared_name(engine: Engine) -> None:
    coach, _, cohort = busy_cohort(engine)
    view = insights(engine).coach_view(viewer(coach), cohort)
    assert view is not None
    assert view.cohort.name == "Bootcamp Spring" and view.members == 2
    shown = repr(view)
    assert SECRET not in shown
    assert "Jordan" not in shown and "Pat Private" not in shown and "Quiet Corp" not in shown
    assert [(c.name, c.owner, c.email, c.sector) for c in view.cards] == [
        ("Kim Park", "Olga Example", "kim.park@example.org", "Government")]
    counts = {step.key: step.count for step in view.funnel}
    assert counts["identified"] == 3 and counts["interviewed"] == 1
    assert counts["thanked_on_time"] == 0
    assert sum(w.interviews for w in view.weeks) == 1 and view.weeks[-1].shared == 2
    assert [(line.name, line.contacts, line.interviews) for line in view.table] == [
        ("Coach Example", 0, 0), ("Olga Example", 3, 1)]
    assert {s.label: s.contacts for s in view.sectors} == {
        "Other industry": 1, "Government": 1, "Technology": 1}
    assert view.intro_requests == 0


def test_members_csv_is_the_tables_figures(engine: Engine) -> None:
    coach, _, cohort = busy_cohort(engine)
    data = insights(engine).members_csv(viewer(coach), cohort)
    assert data is not None
    rows = list(csv.DictReader(io.StringIO(data.decode())))
    assert [(r["member"], r["interviews"], r["identified"]) for r in rows] == [
        ("Coach Example", "0", "0"), ("Olga Example", "1", "0")]
    assert rows[1]["outreach_drafted"] == "2"
    assert SECRET not in data.decode() and "Kim" not in data.decode()


def test_a_coach_of_one_cohort_sees_nothing_of_another(engine: Engine) -> None:
    coach_a, _, cohort_a = busy_cohort(engine)
    coach_b = member(engine, "bea", channel="cohort-b", manager=True)
    cohort_b = cohort_id(coach_b)
    service = insights(engine)
    assert service.coach_view(viewer(coach_a), cohort_b) is None
    assert service.coach_view(viewer(coach_b), cohort_a) is None
    assert service.members_csv(viewer(coach_b), cohort_a) is None
    assert service.coach_view(viewer(coach_a), 10_000) is None
    assert [c.id for c in service.coached(viewer(coach_a))] == [cohort_a]
    assert [c.id for c in service.coached(viewer(coach_b))] == [cohort_b]


def test_a_member_who_is_not_its_coach_sees_nothing(engine: Engine) -> None:
    _, olga, cohort = busy_cohort(engine)
    service = insights(engine)
    assert service.coach_view(viewer(olga), cohort) is None
    assert service.members_csv(viewer(olga), cohort) is None
    assert service.coached(viewer(olga)) == ()
    assert service.student_view(viewer(olga)).coached == ()


def test_a_coach_in_another_workspace_sees_nothing(engine: Engine) -> None:
    coach, _, cohort = busy_cohort(engine)
    # the same channel name, a cohort coached by someone of another Slack team
    other = member(engine, "coach", tenant="T-other", manager=True)
    other_cohort = cohort_id(other)
    service = insights(engine)
    assert service.coach_view(viewer(other), cohort) is None
    assert service.coach_view(viewer(coach), other_cohort) is None
    # a session claiming another workspace for the coach's own row finds nothing either
    elsewhere = viewer(coach)
    spoofed = Viewer(elsewhere.user_pk, elsewhere.platform, "T-other", elsewhere.user_id,
                     elsewhere.name, elsewhere.tz, elsewhere.csrf)
    assert service.coach_view(spoofed, cohort) is None
    assert service.coached(spoofed) == ()


def test_a_persons_own_page(engine: Engine) -> None:
    coach, olga, cohort = busy_cohort(engine)
    page = insights(engine).student_view(viewer(olga))
    assert [(g.label, [i.name for i in g.items]) for g in page.groups] == [
        ("Outreach drafted", ["Kim Park", "Pat Private"]), ("Interviewed", ["Dr. Jordan Lee"])]
    assert [i.name for i in page.due] == ["Dr. Jordan Lee"]  # the thank-you, within 48 hours
    assert SECRET not in repr(page)
    assert [n.label for n in page.nodes][:2] == ["You", "Dr. Jordan Lee (Northwind Biologics)"]
    assert page.timeline[0].text == "Interview with Dr. Jordan Lee"
    assert [c.id for c in insights(engine).student_view(viewer(coach)).coached] == [cohort]


def _events(engine: Engine) -> int:
    table = cast(Table, ProcessedEvent.__table__)
    with engine.database.begin() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


def _json_attachment(effects: list[Any]) -> tuple[str, bytes]:
    [attachment] = [a for m in messages(effects) for a in m.attachments
                    if a.filename.endswith(".json")]
    return attachment.filename, attachment.content


def test_export_is_the_chats_export_and_writes_nothing(engine: Engine) -> None:
    _, olga, _ = busy_cohort(engine)
    page_export = insights(engine).export(viewer(olga))
    events = _events(engine)
    assert insights(engine).export(viewer(olga)) == page_export
    assert _events(engine) == events
    assert page_export == _json_attachment(dm(olga).command("export"))
    assert SECRET.encode() in page_export[1]  # the person's own notes are theirs to take


def test_a_paused_member_is_counted_and_marked_but_their_cards_are_not_shown(
        engine: Engine) -> None:
    coach, olga, cohort = busy_cohort(engine)
    olga.command("cohort", "pause")
    view = insights(engine).coach_view(viewer(coach), cohort)
    assert view is not None
    assert view.cards == ()  # as for the members who might find them
    assert [(line.name, line.paused) for line in view.table] == [
        ("Coach Example", False), ("Olga Example", True)]
    assert view.funnel[0].count == 3 and view.intro_requests == 0


def test_the_bench_renders_the_coach_page_as_the_web_adapter_does(engine: Engine) -> None:
    coach, _, cohort = busy_cohort(engine)
    html = coach_page(insights(engine), viewer(coach), cohort)
    assert html.startswith("<!doctype html>") and "Bootcamp Spring" in html
    assert "Kim Park" in html and SECRET not in html and "Pat Private" not in html


def test_the_coach_sees_how_often_each_shared_person_was_asked_without_their_name(
        engine: Engine) -> None:
    """Issue 17: the coach pages count warm-intro requests per contact, never naming anyone
    the owner did not share as a card."""
    from tests.integration.test_cohorts import forms, owner_and_asker

    owner, asker = owner_and_asker(engine)
    coach = member(engine, "coach", manager=True)
    share(owner, owner.add_contact(), "intro")
    ask = messages(asker.command("cohort", "find regulatory"))[0].buttons[0]
    form = forms(asker.click(ask.action, ask.value))[0]
    asker.submit(form.form_id, {"reason": "I am moving into regulatory science"})
    [cohort] = insights(engine).coached(viewer(coach))
    view = insights(engine).coach_view(viewer(coach), cohort.id)
    assert view is not None and view.intro_requests == 1
    [asked] = view.asked
    assert (asked.requests, asked.organisation, asked.sector) == (
        1, "Northwind Biologics", "Other industry")
    assert asked.role == "Regulatory affairs manager"
    assert asked.last_asked == engine.clock()
    assert "Jordan" not in repr(view.asked)
    page = coach_page(insights(engine), viewer(coach), cohort.id)
    assert "Warm-intro requests" in page and "Jordan" not in page
