"""What a cohort member may see of someone else's contacts — and what nobody ever sees."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infointerview.core import Engine, SendDM
from infointerview.core.store import cohorts as store
from tests.helpers import SOURCE, User, forms, messages, text_of
from tests.integration.test_cohorts import cohort_of, dm, member, share

SECRET_NOTE = "confidential: salary band 95k"


def _owner_with_contact(engine: Engine, tenant: str = "local", channel: str = "cohort-a",
                        user_id: str = "olga") -> tuple[User, int]:
    owner = member(engine, user_id, tenant=tenant, channel=channel)
    owner.command("cohort", "join")
    number = owner.add_contact(source=SOURCE)
    owner.command("note", f"{number} {SECRET_NOTE}")
    return owner, number


def test_other_cohorts_and_other_workspaces_never_see_a_share(engine: Engine) -> None:
    cohort_of(member(engine, "coach", manager=True))
    cohort_of(member(engine, "coach2", channel="cohort-b", manager=True))
    cohort_of(member(engine, "coach3", tenant="other", manager=True))
    owner, number = _owner_with_contact(engine)
    share(owner, number, "card", email="yes")
    insider = member(engine, "ines")
    insider.command("cohort", "join")
    outsider = member(engine, "otto", channel="cohort-b")
    outsider.command("cohort", "join")
    stranger = member(engine, "stan", tenant="other")
    stranger.command("cohort", "join")
    assert "Dr. Jordan Lee" in text_of(insider.command("cohort", "find regulatory"))
    for person in (outsider, stranger, dm(outsider), dm(stranger)):
        seen = text_of(person.command("cohort", "find regulatory"))
        assert "Jordan" not in seen and "Northwind" not in seen


def test_intro_on_request_reveals_nothing_before_acceptance(engine: Engine) -> None:
    cohort_of(member(engine, "coach", manager=True))
    owner, number = _owner_with_contact(engine)
    share(owner, number, "intro", email="yes")
    asker = member(engine, "ari")
    asker.command("cohort", "join")
    shown = []
    effects = asker.command("cohort", "find Northwind regulatory")
    shown += effects
    ask = messages(effects)[0].buttons[0]
    effects = asker.click(ask.action, ask.value)
    shown += effects
    form = forms(effects)[0]
    effects = asker.submit(form.form_id, {"reason": "interested"})
    shown += [e for e in effects if not (isinstance(e, SendDM) and e.user_id == "olga")]
    everything = repr(shown)
    for secret in ("Jordan", "jordan.lee@example.org", SECRET_NOTE, "Olga"):
        assert secret not in everything, secret


def test_unshare_leave_and_forget_me_withdraw_everything(engine: Engine) -> None:
    cohort_of(member(engine, "coach", manager=True))
    asker = member(engine, "ari")
    asker.command("cohort", "join")
    owner, number = _owner_with_contact(engine)

    def visible() -> str:
        return text_of(asker.command("cohort", "find regulatory"))

    share(owner, number, "card")
    stale = messages(asker.command("cohort", "find regulatory"))[0].buttons[0]
    assert "Jordan" in visible()
    dm(owner).command("unshare", str(number))
    assert "Jordan" not in visible()
    assert "no longer shared" in text_of(asker.click(stale.action, stale.value))
    share(owner, number, "card")
    owner.command("cohort", "leave")
    assert "Jordan" not in visible()
    owner.command("cohort", "join")
    share(owner, number, "card")
    owner.command("cohort", "pause")
    assert "Jordan" not in visible()
    owner.command("cohort", "resume")
    assert "Jordan" in visible()
    dm(owner).command("forget-me")
    dm(owner).click("forget_confirm")
    assert "Jordan" not in visible()
    with engine.database.engine.connect() as c:
        assert c.execute(store.SHARES.select()).first() is None


OPS = st.lists(st.tuples(
    st.sampled_from(["join", "leave", "pause", "resume", "share_card", "share_intro",
                     "share_email", "unshare", "forget", "add"]),
    st.sampled_from([0, 0, 1, 1, 2, 3]),  # who: mostly the two who share a cohort
), min_size=1, max_size=12)

PEOPLE = [("p0", "local", "cohort-a"), ("p1", "local", "cohort-a"),
          ("p2", "local", "cohort-b"), ("p3", "other", "cohort-a")]


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_visibility_rules_hold_for_any_sequence(engine: Engine, ops: list[tuple[str, int]]) \
        -> None:
    """After any sequence, each person finds exactly the shares the rules allow."""
    run = f"r{abs(hash(tuple(ops))) % 10**8}"  # hypothesis reuses the engine: fresh tenants
    coaches = {}
    for channel, tenant in (("cohort-a", "local"), ("cohort-b", "local"),
                            ("cohort-a", "other")):
        coach = User(engine, f"{run}-coach-{channel}-{tenant}", channel=channel,
                     tenant=f"{run}{tenant}", manager=True)
        coach.command("cohort", "create")
        coaches[(channel, tenant)] = coach
    people = [User(engine, f"{run}-{name}", channel=channel, tenant=f"{run}{tenant}")
              for name, tenant, channel in PEOPLE]
    # the model: who is in, who paused, what is shared how
    joined: set[int] = set(range(4))
    paused: set[int] = set()
    contacts: dict[int, list[int]] = {i: [] for i in range(4)}
    shared: dict[tuple[int, int], tuple[str, bool]] = {}
    for who, person in enumerate(people):  # everyone starts in, one contact shared
        person.onboard()
        person.command("cohort", "join")
        number = person.add_contact(
            {"name": f"Secret Name {who}0", "role": "Data lead", "organisation": "Acme",
             "sector": "industry", "channel": "email"},
            SOURCE | {"email": f"hidden{who}0@example.org"})
        contacts[who].append(number)
        visibility, email = ("intro", True) if who == 1 else ("card", who == 0)
        form = forms(person.command("share", str(number)))[0]
        person.submit(form.form_id, {"cohort": form.values["cohort"], "visibility": visibility,
                                     "email": "yes" if email else "no",
                                     "consent": "yes" if email else "no"})
        shared[(who, number)] = (visibility, email)
    gone: set[int] = set()
    for op, who in ops:
        person = people[who]
        if who in gone:
            continue
        if op == "add":
            contacts[who].append(person.add_contact(
                {"name": f"Secret Name {who}{len(contacts[who])}", "role": "Data lead",
                 "organisation": "Acme", "sector": "industry", "channel": "email"},
                SOURCE | {"email": f"hidden{who}{len(contacts[who])}@example.org"}))
        elif op == "join":
            person.command("cohort", "join")
            joined.add(who)
            paused.discard(who)
        elif op == "leave":
            person.command("cohort", "leave")
            if who in joined:
                for key in [k for k in shared if k[0] == who]:
                    del shared[key]
            joined.discard(who)
            paused.discard(who)
        elif op in ("pause", "resume"):
            person.command("cohort", op)
            if who in joined:
                (paused.add if op == "pause" else paused.discard)(who)
        elif op.startswith("share") and contacts[who]:
            number = contacts[who][-1]
            form = forms(person.command("share", str(number)))
            if form and who in joined and who not in paused:
                visibility = "card" if op != "share_intro" else "intro"
                person.submit(form[0].form_id, {"cohort": form[0].values["cohort"],
                                                "visibility": visibility,
                                                "email": "yes" if op == "share_email" else "no",
                                                "consent": "yes" if op == "share_email" else "no"})
                shared[(who, number)] = (visibility, op == "share_email")
        elif op == "unshare" and contacts[who]:
            User(engine, person.actor.user_id, tenant=person.actor.tenant).command(
                "unshare", str(contacts[who][-1]))
            shared.pop((who, contacts[who][-1]), None)
        elif op == "forget":
            forgetter = User(engine, person.actor.user_id, tenant=person.actor.tenant)
            forgetter.command("forget-me")
            forgetter.click("forget_confirm")
            gone.add(who)
            joined.discard(who)
            for key in [k for k in shared if k[0] == who]:
                del shared[key]
    for i, person in enumerate(people):
        if i in gone:
            continue
        seen = text_of(person.command("cohort", "find Acme data"))
        for (owner, number), (visibility, email) in shared.items():
            same_cohort = PEOPLE[owner][1:] == PEOPLE[i][1:]
            allowed = (i in joined and owner in joined and owner not in paused and owner != i
                       and same_cohort)
            index = contacts[owner].index(number)
            name = f"Secret Name {owner}{index}"
            assert (name in seen) == (allowed and visibility == "card"), (ops, i, owner)
            assert (f"hidden{owner}{index}@example.org" in seen) == (
                allowed and visibility == "card" and email), (ops, i, owner)
        for owner in range(4):
            if not any(k[0] == owner for k in shared):
                assert f"Secret Name {owner}" not in seen
                assert f"hidden{owner}" not in seen
        assert "Data lead" not in seen or i in joined
