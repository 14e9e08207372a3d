"""Protecting the people members ask, in memory (tests/unit/fake_cohorts.py): consent before an
e-mail address is shared, at most one introduction request per external person per period
across a cohort (a kind refusal with alternatives otherwise), and counts that never name her.

The same rules on a real database, and as properties over any order of requests, are in
tests/integration/test_cohort_protect*.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from infointerview.core import Effect, OpenForm, PostToChannel, Reply, SendDM
from infointerview.core.cohorts import asking
from infointerview.core.cohorts.visibility import visible
from infointerview.core.journey.state import Contact, Sector
from tests.unit.fake_cohorts import FakeCohorts, Member, World, person

MONDAY = datetime(2026, 4, 13, 10, 0, tzinfo=UTC)
CHANNEL = "C-fellows"
NOT_ASKED = "not yet asked whether they're happy to be introduced"


def said(effects: list[Effect]) -> str:
    return "\n".join(e.message.plain_text() for e in effects
                     if isinstance(e, Reply | SendDM | PostToChannel))


def cohort() -> tuple[World, Member, Member, Member, Member, Member]:
    """Casey coaches #fellows; Amy and Carl have shared nobody yet; Bob and Dan ask."""
    world = World(now=MONDAY)
    casey = person(world, "U-casey", "Casey Coach", manager=True)
    casey.command("cohort", "create Fellows", channel=CHANNEL)
    members = [person(world, f"U-{n.lower()}", f"{n} Member", tz="America/New_York")
               for n in ("Amy", "Bob", "Carl", "Dan")]
    for member in members:
        member.command("cohort", "join", channel=CHANNEL)
    amy, bob, carl, dan = members
    return world, casey, amy, bob, carl, dan


def add(member: Member, no: int, name: str, organisation: str, *, email: str = "",
        url: str = "", sector: Sector = Sector.GOVERNMENT) -> None:
    member.person.state.contacts[no] = Contact(
        no=no, name=name, role="Policy Analyst", organisation=organisation, sector=sector,
        email=email, profile_url=url, created_at=member.world.now)


def share(member: Member, no: int, *, email: str = "no", consent: str = "yes",
          visibility: str = "intro") -> list[Effect]:
    [form] = [e.form for e in member.command("share", str(no)) if isinstance(e, OpenForm)]
    assert form.values["consent"] == "no"  # never assumed
    return member.submit(form.form_id, {"cohort": form.values["cohort"], "visibility": visibility,
                                        "consent": consent, "email": email})


def share_id(world: World, member: Member, no: int) -> int:
    return next(int(s["id"]) for s in world.shares if s["owner_pk"] == member.person.pk
                and s["contact_pk"] % 100_000 == no)


def ask(member: Member, share: int, reason: str = "I'd value 20 minutes.") -> list[Effect]:
    opened = member.click("ask_intro", str(share), channel=CHANNEL)
    forms = [e.form for e in opened if isinstance(e, OpenForm)]
    return member.submit(forms[0].form_id, {"reason": reason}) if forms else opened


# --- consent ----------------------------------------------------------------------------------


def test_an_email_without_consent_comes_back_with_everything_kept() -> None:
    world, _, amy, *_ = cohort()
    add(amy, 1, "Dana Diaz", "Financial Regulator", email="dana@example.org")
    [again] = [e.form for e in share(amy, 1, email="yes", consent="no", visibility="card")
               if isinstance(e, OpenForm)]
    assert "fine to pass on their details" in again.errors["email"]
    assert set(again.errors) == {"email"}
    assert (again.values["visibility"], again.values["email"], again.values["consent"]) == \
        ("card", "yes", "no")
    assert world.shares == []  # nothing shared until it is right

    share(amy, 1, email="yes", consent="yes", visibility="card")
    [row] = world.shares
    assert (row["share_email"], row["consent"]) == (True, True)


def test_without_consent_others_are_told_so_and_never_see_an_email() -> None:
    world, _, amy, bob, *_ = cohort()
    add(amy, 1, "Dana Diaz", "Financial Regulator", email="dana@example.org")
    confirmed = said(share(amy, 1, consent="no"))
    assert "haven't yet asked whether they're happy to be introduced" in confirmed
    found = said(bob.command("cohort", "find regulator", channel=CHANNEL))
    assert NOT_ASKED in found and "dana@example.org" not in found
    # a share from before consent was asked (migration 0011: consent false) keeps it hidden
    world.shares[0].update(share_email=True, visibility="card")
    assert "dana@example.org" not in said(bob.command("cohort", "find dana", channel=CHANNEL))
    [request] = [e for e in ask(bob, world.shares[0]["id"]) if isinstance(e, SendDM)]
    assert "check with them before you accept" in request.message.plain_text()

    share(amy, 1, consent="yes")
    assert NOT_ASKED not in said(bob.command("cohort", "find regulator", channel=CHANNEL))


# --- who is one person ------------------------------------------------------------------------


def test_one_person_is_matched_by_email_link_or_name_with_organisation() -> None:
    def row(share: int, name: str = "", organisation: str = "", email: str = "",
            url: str = "") -> dict[str, object]:
        return {"share_id": share, "name": name, "organisation": organisation, "email": email,
                "profile_url": url}

    dana = row(1, "Dana Diaz", "Regulator", "Dana@Example.org", "https://www.linkedin.com/in/dana/")
    assert asking.same_person(dana, row(2, email=" dana@example.ORG "))
    assert asking.same_person(dana, row(3, url="linkedin.com/in/dana?trk=profile"))
    assert asking.same_person(dana, row(4, url="HTTP://LinkedIn.com/in/dana#about"))
    assert asking.same_person(dana, row(5, "dana  DIAZ", "regulator"))
    assert not asking.same_person(dana, row(6, "Dana Diaz", "Other Bank"))  # a namesake
    assert not asking.same_person(dana, row(7, "Dana Diaz"))  # a name alone is too common
    assert not asking.same_person(row(8), row(9))  # nothing given matches nothing
    # pairwise for the cap; the digest's counting links shares transitively
    linked = [row(2, email="dana@example.org"), row(3, url="linkedin.com/in/dana"),
              row(10, email="dana@example.org", url="linkedin.com/in/dana")]
    assert not asking.same_person(linked[0], linked[1])
    assert set(asking.people(linked).values()) == {2}


# --- the cap ----------------------------------------------------------------------------------


def test_a_second_request_for_the_same_person_is_refused_kindly_with_alternatives() -> None:
    world, _, amy, bob, carl, dan = cohort()
    add(amy, 1, "Dana Diaz", "Financial Regulator", email="Dana@Example.org")
    add(carl, 1, "dana diaz", "financial regulator", url="https://example.org/dana")
    add(carl, 2, "Eli Engel", "Financial Regulator", email="eli@example.org")
    for owner, no in ((amy, 1), (carl, 1), (carl, 2)):
        share(owner, no)
    first = ask(bob, share_id(world, amy, 1), "Bob's own reason")
    assert [e.user_id for e in first if isinstance(e, SendDM)] == ["U-amy"]

    # Dan asks Carl about the same Dana: refused before typing a reason, nobody is asked
    refused = dan.click("ask_intro", str(share_id(world, carl, 1)), channel=CHANNEL)
    text = said(refused)
    assert "This person was asked for an introduction recently" in text
    assert "ask again after Mon 11 May 2026" in text  # 28 days on, in Dan's own time zone
    assert "(EDT)" in text
    for private in ("Bob", "Amy", "Bob's own reason", "Mon 13 Apr"):
        assert private not in text
    assert not [e for e in refused if isinstance(e, OpenForm | SendDM)]
    [alternative] = [b for e in refused if isinstance(e, Reply) for b in e.message.buttons]
    assert alternative.value == str(share_id(world, carl, 2))  # Eli, at the same organisation
    assert "add someone at financial regulator yourself" in text  # as Carl typed it
    assert len(world.intros) == 1

    # a form opened before the first request was made is refused at submission too
    late = dan.submit(f"warm_intro:{share_id(world, carl, 1)}", {"reason": "late"})
    assert "recently" in said(late) and len(world.intros) == 1
    # Bob, whose request is still waiting, is told so, not that someone asked recently
    assert "You already asked" in said(bob.click("ask_intro", str(share_id(world, amy, 1)),
                                                 channel=CHANNEL))


def test_a_declined_request_does_not_count_and_the_period_ends() -> None:
    world, _, amy, bob, carl, dan = cohort()
    add(amy, 1, "Dana Diaz", "Financial Regulator", email="dana@example.org")
    share(amy, 1)
    [request] = [e for e in ask(bob, share_id(world, amy, 1)) if isinstance(e, SendDM)]
    assert "recently" in said(ask(dan, share_id(world, amy, 1)))
    _, decline = request.message.buttons
    amy.click(decline.action, decline.value)  # Dana was never asked
    assert [e.user_id for e in ask(dan, share_id(world, amy, 1))
            if isinstance(e, SendDM)] == ["U-amy"]
    world.now += timedelta(days=27, hours=23)
    assert "recently" in said(ask(carl, share_id(world, amy, 1)))
    world.now += timedelta(hours=1)
    assert [e.user_id for e in ask(carl, share_id(world, amy, 1))
            if isinstance(e, SendDM)] == ["U-amy"]


def test_changing_how_a_contact_is_shared_keeps_its_requests_counted() -> None:
    world, _, amy, bob, _, dan = cohort()
    add(amy, 1, "Dana Diaz", "Financial Regulator", email="dana@example.org")
    share(amy, 1)
    ask(bob, share_id(world, amy, 1))
    share(amy, 1, visibility="card")
    assert len(world.intros) == 1
    assert "recently" in said(ask(dan, share_id(world, amy, 1)))


def test_a_coach_sets_the_period_in_weeks() -> None:
    world, casey, amy, bob, _, dan = cohort()
    assert "Only the cohort's coaches" in said(amy.command("cohort", "intro-period 1",
                                                            channel=CHANNEL))
    assert world.cohorts[0]["intro_period_days"] == 28
    assert "1 to 26" in said(casey.command("cohort", "intro-period 30", channel=CHANNEL))
    assert "once every 1 week" in said(casey.command("cohort", "intro-period 1",
                                                      channel=CHANNEL))
    assert world.cohorts[0]["intro_period_days"] == 7
    add(amy, 1, "Dana Diaz", "Financial Regulator", email="dana@example.org")
    share(amy, 1)
    ask(bob, share_id(world, amy, 1))
    world.now += timedelta(days=7)
    assert [e.user_id for e in ask(dan, share_id(world, amy, 1))
            if isinstance(e, SendDM)] == ["U-amy"]


# --- who sees the counts ----------------------------------------------------------------------


def test_the_owner_sees_how_often_each_contact_was_asked() -> None:
    world, _, amy, bob, _, dan = cohort()
    add(amy, 1, "Dana Diaz", "Financial Regulator", email="dana@example.org")
    add(amy, 2, "Eli Engel", "Central Bank")
    share(amy, 1)
    share(amy, 2, consent="no")
    [request] = [e for e in ask(bob, share_id(world, amy, 1)) if isinstance(e, SendDM)]
    amy.click(request.message.buttons[1].action, request.message.buttons[1].value)
    world.now += timedelta(days=2)
    ask(dan, share_id(world, amy, 1))
    mine = said(amy.command("cohort", "shared"))
    assert "1. Dana Diaz — Fellows" in mine
    assert "asked for an introduction 2 times (last on Wed 15 Apr 2026" in mine
    assert "2. Eli Engel" in mine and "not asked for an introduction yet" in mine
    assert NOT_ASKED in mine
    assert "Bob Member" not in mine and "Dan Member" not in mine
    assert said(amy.command("cohort", "mine")) == mine


def test_the_digest_and_the_coach_pages_count_requests_without_a_name() -> None:
    world, casey, amy, bob, carl, dan = cohort()
    add(amy, 1, "Dana Diaz", "Financial Regulator", email="dana@example.org")
    add(carl, 1, "Dana Diaz", "Financial Regulator")
    add(carl, 2, "Eli Engel", "Central Bank", email="eli@example.org")
    for owner, no in ((amy, 1), (carl, 1), (carl, 2)):
        share(owner, no)
    [request] = [e for e in ask(bob, share_id(world, amy, 1)) if isinstance(e, SendDM)]
    amy.click(request.message.buttons[1].action, request.message.buttons[1].value)
    ask(dan, share_id(world, carl, 1))  # Dana again, through Carl: asked twice in the period
    ask(bob, share_id(world, carl, 2))

    counts = _per_contact(world, casey, MONDAY - timedelta(days=1))
    assert {(r["share_id"], r["requests"], r["open_requests"]) for r in counts} == {
        (share_id(world, amy, 1), 1, 0), (share_id(world, carl, 1), 1, 1),
        (share_id(world, carl, 2), 1, 1)}
    assert len({r["person"] for r in counts}) == 2  # Dana's two shares are one person
    assert set(counts[0]) == {"share_id", "person", "requests", "open_requests",
                              "last_asked_at"}

    [digest] = world.pending("cohort_digest")
    world.now = digest["due_at"]
    [post] = [e for e in casey.reminder_due(digest) if isinstance(e, PostToChannel)]
    text = post.message.plain_text()
    assert "Introductions asked for: 3" in text
    assert "1 person asked more than once in 4 weeks" in text
    for name in ("Dana", "Eli", "example.org", "Regulator", "Central Bank"):
        assert name not in text


def _per_contact(world: World, member: Member, since: datetime) -> list[dict[str, object]]:
    return [dict(r) for r in FakeCohorts(world, member.person.pk)
            .intro_requests_per_contact(world.cohorts[0]["id"], since)]


def test_visible_never_shows_an_email_without_consent() -> None:
    row = {"role": "", "organisation": "", "sector": "", "visibility": "card", "name": "Dana",
           "profile_url": "", "owner_name": "Amy", "owner_display": "", "email": "d@e.org",
           "share_email": True, "consent": False}
    assert "email" not in visible(row)
    assert visible(row | {"consent": True})["email"] == "d@e.org"


ANSWERS = st.sampled_from(("yes", "no", "", "YES", "maybe", " yes "))


@settings(max_examples=150, deadline=None)
@given(visibility=st.sampled_from(("intro", "card", "", "public")), email=ANSWERS,
       consent=ANSWERS, has_email=st.booleans())
def test_no_share_has_an_email_without_consent_whatever_the_form_says(
        visibility: str, email: str, consent: str, has_email: bool) -> None:
    world, _, amy, *_ = cohort()
    add(amy, 1, "Dana Diaz", "Financial Regulator",
        email="dana@example.org" if has_email else "")
    [form] = [e.form for e in amy.command("share", "1") if isinstance(e, OpenForm)]
    effects = amy.submit(form.form_id, {"cohort": form.values["cohort"],
                                        "visibility": visibility, "email": email,
                                        "consent": consent})
    again = [e.form for e in effects if isinstance(e, OpenForm)]
    for share in world.shares:
        assert share["consent"] or not share["share_email"]
        assert share["share_email"] == (email.strip() == "yes" and has_email)
    if email.strip() == "yes" and consent.strip() != "yes" and not again[0].errors.keys() - {
            "email"}:
        assert "fine to pass on their details" in again[0].errors["email"]
    assert bool(world.shares) != bool(again)  # shared, or asked again; never both or neither
