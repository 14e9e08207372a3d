"""The over-asking cap as a property across a cohort, on the in-memory port and on the real
store (SQLite and PostgreSQL): whatever the order of requests, members, answers and waits, no
external person gets two requests that are pending or accepted within one period, and a request
is refused only when such a request exists (or the asker already has one waiting for that share).

Who is "one person" is decided here by construction, not by the code under test: each share
says which of two people it is and spells her e-mail, profile link, or name and organisation
its own way; two shares are one person when they are the same person and both give one of the
same three details. The rule is pairwise (core/cohorts/asking.py), and so is this oracle.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infointerview.core import Actor, Database
from infointerview.core.cohorts.ports import CohortRepository
from infointerview.core.journey.state import Contact, Sector
from infointerview.core.store import cohorts as store
from infointerview.core.store import repo
from infointerview.core.store.cohort_port import StoredCohorts
from tests.conftest import START
from tests.unit.fake_cohorts import FakeCohorts, World, person

MEMBERS = 4
KINDS = ("email", "url", "name")
EMAILS = ("{}@example.org", " {}@Example.ORG ", "{}@EXAMPLE.org")
URLS = ("https://www.example.org/in/{}/", "http://example.org/in/{}?utm=x", "EXAMPLE.org/in/{}",
        "example.org/in/{}#about")
NAMES = ("Person {}", "person  {}", "PERSON {}")
ORGANISATIONS = ("Org A", " org a ", "ORG A")  # both people work there: a name decides


@dataclass(frozen=True)
class ShareSpec:
    owner: int
    who: int  # which of two external people this contact is
    kinds: frozenset[str]  # which details this owner has for her
    spelling: int

    def contact(self, no: int, now: datetime) -> Contact:
        """The owner's contact, spelled their way; a detail they lack is left out or, for the
        name, is someone's name nobody else has (so it matches nothing)."""
        tag = f"p{self.who}"
        return Contact(
            no=no,
            name=NAMES[self.spelling % 3].format(self.who) if "name" in self.kinds
            else f"Unmatched {self.owner}-{no}",
            role="Analyst", organisation=ORGANISATIONS[self.spelling % 3], sector=Sector.OTHER,
            email=EMAILS[self.spelling % 3].format(tag) if "email" in self.kinds else "",
            profile_url=URLS[self.spelling % 4].format(tag) if "url" in self.kinds else "",
            created_at=now)


def one_person(a: ShareSpec, b: ShareSpec) -> bool:
    return a.who == b.who and bool(a.kinds & b.kinds)


SHARES = st.lists(st.builds(
    ShareSpec, owner=st.integers(0, MEMBERS - 1), who=st.integers(0, 1),
    kinds=st.frozensets(st.sampled_from(KINDS), min_size=1), spelling=st.integers(0, 11)),
    min_size=2, max_size=6)
ASK = st.tuples(st.just("ask"), st.integers(0, MEMBERS - 1), st.integers(0, 5))
OPS = st.lists(st.one_of(
    ASK, ASK, ASK,  # mostly asking: the cap is about the second request
    st.tuples(st.sampled_from(("decline", "accept")), st.integers(0, 9), st.just(0)),
    st.tuples(st.just("wait"), st.sampled_from((1, 24, 24 * 6, 24 * 7, 24 * 27, 24 * 28)),
              st.just(0))), min_size=3, max_size=30)


class Backend(Protocol):
    now: datetime

    def port(self, member: int) -> Any: ...  # a context manager yielding CohortRepository


class FakeBackend:
    def __init__(self, period_days: int) -> None:
        self.world = World(now=START)
        self.now = START
        self.pks = [person(self.world, f"U{i}", f"Member {i}").person.pk
                    for i in range(MEMBERS)]
        port = FakeCohorts(self.world, self.pks[0])
        self.cohort_id = port.create_cohort("console", "local", "c", "Fellows", "UTC", START)
        port.set_intro_period(self.cohort_id, period_days)
        for pk in self.pks:
            port.join(self.cohort_id, pk, "member", START)

    @contextmanager
    def port(self, member: int) -> Iterator[CohortRepository]:
        self.world.now = self.now
        yield FakeCohorts(self.world, self.pks[member])

    def add_contact(self, member: int, contact: Contact) -> None:
        self.world.people[self.pks[member]].state.contacts[contact.no] = contact


class StoredBackend:
    def __init__(self, database: Database, run: str, period_days: int) -> None:
        self.database, self.now = database, START
        self.actors = [Actor("console", run, f"U{i}", f"Member {i}") for i in range(MEMBERS)]
        with database.begin() as c:
            self.pks = [int(repo.lock_user(c, a, START)["id"]) for a in self.actors]
            self.cohort_id = store.create_cohort(c, "console", run, "c", "Fellows", "UTC", START)
            store.set_intro_period(c, self.cohort_id, period_days)
            for pk in self.pks:
                store.join(c, self.cohort_id, pk, "member", START)

    @contextmanager
    def port(self, member: int) -> Iterator[CohortRepository]:
        """One transaction, as the engine gives each event."""
        with self.database.begin() as c:
            user = repo.find_user(c, self.actors[member])
            assert user is not None
            yield StoredCohorts(c, user)

    def add_contact(self, member: int, contact: Contact) -> None:
        with self.database.begin() as c:
            user = repo.find_user(c, self.actors[member])
            assert user is not None
            rows, state = repo.load_state(c, user)
            state.contacts[contact.no] = contact
            repo.save_state(c, user, state, rows, self.now)


def share_all(backend: FakeBackend | StoredBackend, specs: list[ShareSpec]) -> list[int]:
    """Each owner shares their contact (with consent); the share ids, in order."""
    share_ids: list[int] = []
    for index, spec in enumerate(specs):
        no = index + 1
        backend.add_contact(spec.owner, spec.contact(no, backend.now))
        with backend.port(spec.owner) as port:
            contact_pk = port.contact_pk(backend.pks[spec.owner], no)
            assert contact_pk is not None
            port.share(backend.cohort_id, backend.pks[spec.owner], contact_pk, "intro", False,
                       True, backend.now)
            share_ids.append(next(int(s["share_id"]) for s in port.shares_of(
                backend.pks[spec.owner]) if s["contact_no"] == no))
    return share_ids


def run_cap(backend: FakeBackend | StoredBackend, period_days: int, specs: list[ShareSpec],
            ops: list[tuple[str, int, int]]) -> None:
    period = timedelta(days=period_days)
    share_ids = share_all(backend, specs)
    # the model: (share index, requester, status, asked at, request id)
    made: list[dict[str, Any]] = []
    for op, a, b in ops:
        if op == "wait":
            backend.now += timedelta(hours=a)
        elif op == "ask":
            target = b % len(specs)
            if specs[target].owner == a:  # nobody asks for their own contact
                continue
            own = any(r["share"] == target and r["by"] == a and r["status"] == "pending"
                      for r in made)
            blocking = [r["at"] for r in made if r["status"] != "declined"
                        and one_person(specs[r["share"]], specs[target])
                        and backend.now - r["at"] < period]
            with backend.port(a) as port:
                asked = port.request_intro_capped(share_ids[target], backend.pks[a], "why",
                                                  backend.now)
            if own:
                assert asked.already_yours
            elif blocking:
                assert asked.request_id is None and asked.free_from == max(blocking) + period
            else:
                assert asked.request_id is not None and asked.free_from is None
                made.append({"share": target, "by": a, "status": "pending",
                             "at": backend.now, "id": asked.request_id})
        else:
            pending = [r for r in made if r["status"] == "pending"]
            if pending:
                request = pending[a % len(pending)]
                owner = specs[request["share"]].owner
                status = "declined" if op == "decline" else "accepted"
                with backend.port(owner) as port:
                    assert port.decide(request["id"], status, backend.now)
                request["status"] = status
    with backend.port(0) as port:  # the coach pages' counts agree, and name nobody
        counts = port.intro_requests_per_contact(backend.cohort_id, START)
    assert sum(r["requests"] for r in counts) == len(made)
    assert sum(r["open_requests"] for r in counts) == \
        sum(r["status"] != "declined" for r in made)
    assert all(set(r) == {"share_id", "person", "requests", "open_requests", "last_asked_at"}
               for r in counts)
    counted = [r for r in made if r["status"] != "declined"]
    for i, one in enumerate(counted):
        for other in counted[i + 1:]:
            if one_person(specs[one["share"]], specs[other["share"]]):
                assert abs(one["at"] - other["at"]) >= period, (one, other)


PERIODS = st.sampled_from((7, 28))
SETTINGS: Callable[[Any], Any] = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@settings(max_examples=400, deadline=None)
@given(period_days=PERIODS, specs=SHARES, ops=OPS)
def test_the_cap_holds_for_any_order_in_memory(period_days: int, specs: list[ShareSpec],
                                               ops: list[tuple[str, int, int]]) -> None:
    run_cap(FakeBackend(period_days), period_days, specs, ops)


@SETTINGS
@given(period_days=PERIODS, specs=SHARES, ops=OPS)
def test_the_cap_holds_for_any_order_in_the_store(
        database: Database, period_days: int, specs: list[ShareSpec],
        ops: list[tuple[str, int, int]]) -> None:
    run = f"r{uuid.uuid4().hex[:12]}"  # hypothesis reuses the database: a fresh tenant
    run_cap(StoredBackend(database, run, period_days), period_days, specs, ops)


def test_two_members_asking_at_once_make_one_request(database: Database) -> None:
    """The engine serialises events per person, not per cohort: Ben's and Dan's requests for
    the same person (through Amy's and Carl's shares) run at once. The store's check-and-insert
    holds the cohort's row (PostgreSQL) or the one writer (SQLite), so the second waits for the
    first, sees it, and is refused."""
    backend = StoredBackend(database, f"r{uuid.uuid4().hex[:12]}", 28)
    amy, carl = ShareSpec(0, 0, frozenset({"email"}), 0), ShareSpec(1, 0, frozenset({"email"}), 1)
    share_ids = share_all(backend, [amy, carl])
    first_asked, outcomes = threading.Event(), {}

    def ask(member: int, share_id: int, hold: bool) -> None:
        if not hold:
            assert first_asked.wait(5)
        with backend.port(member) as port:
            outcomes[member] = port.request_intro_capped(share_id, backend.pks[member], "why",
                                                         backend.now)
            if hold:  # keep the transaction open while the other asks
                first_asked.set()
                time.sleep(0.5)

    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(ask, 2, share_ids[0], True), pool.submit(ask, 3, share_ids[1],
                                                                       False)]
        for future in futures:
            future.result()
    assert outcomes[2].request_id is not None
    assert outcomes[3].request_id is None and outcomes[3].free_from == START + timedelta(days=28)
