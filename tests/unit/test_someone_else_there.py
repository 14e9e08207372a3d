"""No reply after the one follow-up: the coach suggests a second person at the same
organisation (with the organisation filled in), not a second follow-up (issue 17, part 2)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from infointerview.core import OpenForm, Reply, SendDM
from infointerview.core.journey.state import Contact, Sector, Stage
from tests.helpers import CONTACT
from tests.unit.fake_cohorts import FakeCohorts, Member, World, person
from tests.unit.pure_journey import PureJourney

START = datetime(2026, 4, 13, 10, 0, tzinfo=ZoneInfo("America/Chicago"))
CHANNEL = "C-fellows"


def _followed_up(contact: dict[str, str] | None = None, *,
                 sam: PureJourney | None = None) -> PureJourney:
    sam = sam or PureJourney(now=START, tz="America/Chicago")
    sam.onboard()
    sam.add_contact(contact)
    sam.click("mark_sent", "1")
    sam.now += timedelta(days=7)
    sam.click("follow_up_sent", "1")
    return sam


def _park_reminder(sam: PureJourney) -> SendDM:
    sam.now += timedelta(days=7)
    delivered = [effects for reminder, effects in sam.deliver_due()
                 if reminder.kind == "no_reply_park"]
    [effects] = delivered
    [dm] = [e for e in effects if isinstance(e, SendDM)]
    return dm


def test_a_week_after_the_follow_up_the_coach_suggests_someone_else_there() -> None:
    sam = _followed_up()
    dm = _park_reminder(sam)
    said = dm.message.plain_text()
    assert "Someone else at Northwind Biologics" in said
    assert "another follow-up" not in said.lower()
    [offer] = [b for b in dm.message.buttons if b.action == "someone_else"]
    assert offer.value == "1"
    [form] = [e.form for e in sam.click("someone_else", "1") if isinstance(e, OpenForm)]
    assert form.form_id == "contact:new"
    assert form.values["organisation"] == "Northwind Biologics"
    assert form.values["sector"] == CONTACT["sector"] and form.values.get("name", "") == ""
    # no more nudges about the first person: one follow-up each is plenty
    assert not [r for r in sam.reminders.values() if r.contact_no == 1]


def test_without_an_organisation_there_is_nobody_else_to_suggest() -> None:
    sam = _followed_up({**CONTACT, "organisation": ""})
    dm = _park_reminder(sam)
    assert "Someone else at" not in dm.message.plain_text()
    assert "someone_else" not in [b.action for b in dm.message.buttons]


def test_a_parked_contact_offers_someone_else_there_on_its_card() -> None:
    sam = _followed_up()
    effects = sam.click("park", "1")
    said = [e for e in effects if isinstance(e, Reply | SendDM)]
    assert "someone_else" in [b.action for m in said for b in m.message.buttons]


# --- from what cohort members shared, and alumni -------------------------------------------------


def _in_a_cohort() -> tuple[World, Member, PureJourney]:
    """Amy makes #fellows a cohort and Sam joins it; Sam's own journey runs on the same port."""
    world = World(now=START)
    amy = person(world, "U-amy", "Amy Adams", manager=True)
    amy.command("cohort", "create Fellows", channel=CHANNEL)
    member = person(world, "sam", "Sam Rivera")
    member.command("cohort", "join", channel=CHANNEL)
    sam = PureJourney(now=START, tz="America/Chicago", state=member.person.state,
                      actor=member.person.actor, cohorts=FakeCohorts(world, member.person.pk))
    return world, amy, sam


def _share(amy: Member, name: str, organisation: str, visibility: str = "intro") -> None:
    no = len(amy.person.state.contacts) + 1
    amy.person.state.contacts[no] = Contact(no=no, name=name, role=f"{name}'s role",
                                            organisation=organisation, sector=Sector.INDUSTRY,
                                            created_at=amy.world.now)
    [form] = [e.form for e in amy.command("share", str(no)) if isinstance(e, OpenForm)]
    amy.submit(form.form_id, {"cohort": form.values["cohort"], "visibility": visibility,
                              "email": "no", "consent": "yes"})


def test_the_suggestion_lists_up_to_three_people_shared_there_each_with_an_intro() -> None:
    world, amy, sam = _in_a_cohort()
    _share(amy, "Elsewhere Person", "Southwind Energy")
    for name, organisation in [("Ana Ames", "Northwind Biologics"),
                               ("Ben Bose", "northwind biologics "),
                               ("Cy Cole", "Northwind Biologics Ltd"),
                               ("Di Dunn", "Northwind Biologics")]:
        world.now += timedelta(minutes=1)
        _share(amy, name, organisation, visibility="card")
    dm = _park_reminder(_followed_up(sam=sam))
    said = dm.message.plain_text()
    assert "Shared in your cohort, at Northwind Biologics" in said
    # the three shared most recently, as the organisation is compared elsewhere
    assert [n for n in ("Ana Ames", "Ben Bose", "Cy Cole", "Di Dunn") if n in said] == \
        ["Ben Bose", "Cy Cole", "Di Dunn"]
    assert "Elsewhere Person" not in said and "Southwind" not in said
    intros = [b for b in dm.message.buttons if b.action == "ask_intro"]
    assert [b.label for b in intros] == [f"Intro to result {n}" for n in (1, 2, 3)]
    # the cohort's own warm-intro flow: the same button asks the member who knows them
    [form] = [e.form for e in sam.click("ask_intro", intros[0].value)
              if isinstance(e, OpenForm)]
    assert form.form_id == f"warm_intro:{intros[0].value}"
    assert "someone_else" in [b.action for b in dm.message.buttons]  # or add someone by hand


def test_outside_a_cohort_or_with_nothing_shared_there_no_shared_list() -> None:
    _, amy, sam = _in_a_cohort()
    _share(amy, "Elsewhere Person", "Southwind Energy")
    for dm in (_park_reminder(_followed_up(sam=sam)), _park_reminder(_followed_up())):
        assert "Shared in your cohort" not in dm.message.plain_text()
        assert "ask_intro" not in [b.action for b in dm.message.buttons]


def test_alumni_of_the_persons_institution_are_suggested_only_when_it_is_known() -> None:
    said = _park_reminder(_followed_up()).message.plain_text()
    assert "Alumni of Lakeside University at Northwind Biologics" in said
    sam = _followed_up()
    sam.state.profile.institution = ""  # the line is worded when the reminder is delivered
    assert "Alumni of" not in _park_reminder(sam).message.plain_text()


# --- the pipeline: the organisation is still being explored ------------------------------------


def _list(sam: PureJourney) -> list[str]:
    [listed] = [e for e in sam.command("list")
                if isinstance(e, Reply | SendDM) and "Your informational interviews" in
                e.message.plain_text()]
    return listed.message.plain_text().splitlines()


def _under(lines: list[str], group: str) -> list[str]:
    """The lines of one group of the list, its heading left out."""
    start = next(i for i, line in enumerate(lines) if line.startswith(group))
    rest = lines[start + 1:]
    end = next((i for i, line in enumerate(rest) if not line.strip() or " — next:" in line),
               len(rest))
    return rest[:end]


def test_a_parked_contacts_organisation_shows_as_still_being_explored() -> None:
    sam = _followed_up()
    sam.click("park", "1")
    assert "Northwind Biologics: still exploring — add someone else there " \
        "(`/infointerview show 1`)" in _under(_list(sam), "Parked")
    sam.add_contact({**CONTACT, "name": "Dr. Maya Chen", "organisation": "northwind biologics"})
    assert "Northwind Biologics: still exploring — Dr. Maya Chen (contact 2) is next" in \
        _under(_list(sam), "Parked")
    # someone there has talked to them: the organisation is explored, no line
    sam.state.contacts[2].stage = Stage.INTERVIEWED
    assert not [line for line in _list(sam) if "still exploring" in line]


def test_a_follow_up_a_week_unanswered_counts_as_exploring_too_not_before() -> None:
    sam = _followed_up()
    assert not [line for line in _list(sam) if "still exploring" in line]
    sam.now += timedelta(days=7)
    assert "Northwind Biologics: still exploring — add someone else there " \
        "(`/infointerview show 1`)" in _under(_list(sam), "Follow-up sent")
