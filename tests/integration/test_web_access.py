"""Signing in to the web pages with a one-time link: once, within ten minutes, for its own
person only; sessions last eight hours and end at sign-out. On SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import func, select

from infointerview.core import (
    Actor,
    CommandInvoked,
    Database,
    Engine,
    Place,
    Refused,
    SignedIn,
    SimulatedClock,
    WebAccess,
)
from infointerview.core.store.models import AppSecretRow, WebLinkRow, WebSessionRow
from tests.helpers import User

URL = "http://127.0.0.1:8080"


@pytest.fixture
def access(database: Database, clock: SimulatedClock) -> WebAccess:
    return WebAccess(database, public_url=URL + "/", clock=clock)


def token_of(link: str) -> str:
    assert link.startswith(f"{URL}/web/signin?token=")
    return parse_qs(urlsplit(link).query)["token"][0]


def link(access: WebAccess, user_id: str = "sam") -> str:
    made = access.link_for("console", "local", user_id)
    assert made is not None
    return token_of(made)


def signed_in(result: SignedIn | Refused) -> SignedIn:
    assert isinstance(result, SignedIn), result
    return result


def count(database: Database, table: type) -> int:
    with database.begin() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


def test_a_link_opens_a_session_once(engine: Engine, access: WebAccess,
                                     clock: SimulatedClock) -> None:
    User(engine).onboard()
    token = link(access)
    first = signed_in(access.redeem(token))
    assert first.viewer.user_id == "sam" and first.viewer.platform == "console"
    assert first.viewer.tenant == "local" and first.viewer.name == "Sam Rivera"
    assert first.viewer.tz == "America/Chicago"
    assert first.viewer.csrf == first.csrf and len(first.csrf) >= 40
    assert first.expires_at == clock() + timedelta(hours=8)
    assert access.viewer(first.token) == first.viewer
    assert access.redeem(token) == Refused("used")
    assert access.viewer(first.token) == first.viewer  # the refusal ended nothing


def test_the_session_token_is_stored_only_as_its_hash(engine: Engine, access: WebAccess,
                                                      database: Database) -> None:
    User(engine).onboard()
    result = signed_in(access.redeem(link(access)))
    with database.begin() as connection:
        [stored] = connection.execute(select(WebSessionRow.token_hash)).scalars()
    assert stored != result.token and len(stored) == 64
    assert stored == hashlib.sha256(result.token.encode()).hexdigest()


def test_a_link_expires_after_ten_minutes(engine: Engine, access: WebAccess,
                                          clock: SimulatedClock) -> None:
    User(engine).onboard()
    in_time, too_late = link(access), link(access)
    clock.advance(timedelta(minutes=9, seconds=59))
    signed_in(access.redeem(in_time))
    clock.advance(timedelta(seconds=2))
    assert access.redeem(too_late) == Refused("expired")


def test_a_link_dated_a_moment_ahead_by_another_machines_clock_works(
        engine: Engine, database: Database, clock: SimulatedClock) -> None:
    User(engine).onboard()
    bot = WebAccess(database, public_url=URL, secret="k" * 40,
                    clock=SimulatedClock(clock() + timedelta(seconds=5)))
    web = WebAccess(database, public_url=URL, secret="k" * 40, clock=clock)
    signed_in(web.redeem(link(bot)))
    far_ahead = WebAccess(database, public_url=URL, secret="k" * 40,
                          clock=SimulatedClock(clock() + timedelta(hours=2)))
    assert web.redeem(link(far_ahead)) == Refused("expired")


def test_an_expired_link_row_is_refused_even_when_its_signature_is_young(
        engine: Engine, access: WebAccess, database: Database) -> None:
    """The row's ``expires_at`` is checked as well as the signature's age."""
    User(engine).onboard()
    token = link(access)
    with database.begin() as connection:
        connection.execute(WebLinkRow.__table__.update().values(
            expires_at=WebLinkRow.__table__.c.created_at))
    assert access.redeem(token) == Refused("expired")


@pytest.mark.parametrize("garbage", [
    "", "x", "not.a.token", "a" * 5000, "\udcff", "é.é.é", "../../etc/passwd", "None",
])
def test_garbage_is_invalid_never_an_error(engine: Engine, access: WebAccess,
                                           garbage: str) -> None:
    User(engine).onboard()
    link(access)
    assert access.redeem(garbage) == Refused("invalid")


def test_an_altered_token_is_invalid(engine: Engine, access: WebAccess) -> None:
    User(engine).onboard()
    token = link(access)
    altered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    assert access.redeem(altered) == Refused("invalid")
    signed_in(access.redeem(token))  # the real one still works


def test_another_keys_token_and_a_forged_nonce_are_invalid(
        engine: Engine, database: Database, clock: SimulatedClock) -> None:
    User(engine).onboard()
    ours = WebAccess(database, public_url=URL, secret="ours-" + "k" * 40, clock=clock)
    theirs = WebAccess(database, public_url=URL, secret="theirs-" + "k" * 40, clock=clock)
    assert theirs.redeem(link(ours)) == Refused("invalid")
    # signed with our key but naming no link row: refused by the database
    forged = URLSafeTimedSerializer("ours-" + "k" * 40, salt="infointerview-signin",
                                    signer=ours._signer).dumps("no-such-nonce")
    assert ours.redeem(forged) == Refused("invalid")


def test_a_generated_key_is_shared_by_every_process_on_the_database(
        engine: Engine, database: Database, clock: SimulatedClock) -> None:
    User(engine).onboard()
    one = WebAccess(database, public_url=URL, clock=clock)
    other = WebAccess(database, public_url=URL, clock=clock)
    signed_in(other.redeem(link(one)))
    signed_in(one.redeem(link(other)))
    assert count(database, AppSecretRow) == 1


def test_two_processes_making_the_key_at_once_agree(
        engine: Engine, database: Database, clock: SimulatedClock) -> None:
    User(engine).onboard()
    makers = [WebAccess(database, public_url=URL, clock=clock) for _ in range(4)]
    start = threading.Barrier(len(makers))
    tokens: list[str] = []

    def make(access: WebAccess) -> None:
        start.wait()
        tokens.append(link(access))

    threads = [threading.Thread(target=make, args=(m,)) for m in makers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    checker = WebAccess(database, public_url=URL, clock=clock)
    assert all(isinstance(checker.redeem(t), SignedIn) for t in tokens)


def test_two_concurrent_redeems_sign_in_exactly_once(
        engine: Engine, database: Database, access: WebAccess) -> None:
    User(engine).onboard()
    for _ in range(5):
        token = link(access)
        start = threading.Barrier(2)

        def redeem(token: str, start: threading.Barrier = start) -> SignedIn | Refused:
            start.wait()
            return access.redeem(token)

        with ThreadPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(redeem, [token, token]))
        assert sorted(type(r).__name__ for r in results) == ["Refused", "SignedIn"]
        assert Refused("used") in results
    assert count(database, WebSessionRow) == 5


def test_a_session_lasts_eight_hours(engine: Engine, access: WebAccess,
                                     clock: SimulatedClock) -> None:
    User(engine).onboard()
    result = signed_in(access.redeem(link(access)))
    clock.advance(timedelta(hours=7, minutes=59))
    assert access.viewer(result.token) == result.viewer
    clock.advance(timedelta(minutes=1))
    assert access.viewer(result.token) is None


def test_sign_out_ends_that_session_only(engine: Engine, access: WebAccess) -> None:
    User(engine).onboard()
    laptop = signed_in(access.redeem(link(access)))
    phone = signed_in(access.redeem(link(access)))
    access.sign_out(laptop.token)
    assert access.viewer(laptop.token) is None
    assert access.viewer(phone.token) == phone.viewer
    access.sign_out(laptop.token)  # twice, or an unknown token: nothing to do
    access.sign_out("never-issued")


def test_unknown_session_tokens_sign_in_nobody(engine: Engine, access: WebAccess) -> None:
    User(engine).onboard()
    signed_in(access.redeem(link(access)))
    assert access.viewer("") is None
    assert access.viewer("guess") is None
    assert access.viewer("\udcff") is None


def test_a_link_signs_in_its_own_person_only(engine: Engine, access: WebAccess) -> None:
    User(engine, "sam").onboard()
    User(engine, "ada").command("help")  # no profile yet: the display name
    engine.handle(CommandInvoked(event_id="nameless", actor=Actor("console", "local", "u7", ""),
                                 place=Place("dm", True), received_at=engine.clock(),
                                 name="help", args=""))
    sam = signed_in(access.redeem(link(access, "sam")))
    ada = signed_in(access.redeem(link(access, "ada")))
    nameless = signed_in(access.redeem(link(access, "u7")))
    assert (sam.viewer.user_id, sam.viewer.name) == ("sam", "Sam Rivera")
    assert (ada.viewer.user_id, ada.viewer.name) == ("ada", "ada")
    assert (nameless.viewer.user_id, nameless.viewer.name) == ("u7", "u7")
    assert len({sam.viewer.user_pk, ada.viewer.user_pk, nameless.viewer.user_pk}) == 3
    assert len({sam.csrf, ada.csrf, nameless.csrf}) == 3
    assert access.viewer(ada.token) == ada.viewer


def test_no_link_for_someone_the_coach_does_not_know(engine: Engine,
                                                     access: WebAccess) -> None:
    User(engine, "sam").onboard()
    assert access.link_for("console", "local", "stranger") is None
    assert access.link_for("slack", "local", "sam") is None  # same id, another workspace
    assert access.link_for("console", "T1", "sam") is None


def test_expired_links_and_sessions_are_pruned_at_a_sign_in(
        engine: Engine, access: WebAccess, database: Database, clock: SimulatedClock) -> None:
    User(engine).onboard()
    old = signed_in(access.redeem(link(access)))
    link(access)  # never used
    clock.advance(timedelta(hours=9))
    fresh = signed_in(access.redeem(link(access)))
    assert count(database, WebLinkRow) == 1  # the one just used, until its ten minutes end
    assert count(database, WebSessionRow) == 1
    assert access.viewer(old.token) is None
    assert access.viewer(fresh.token) == fresh.viewer


def test_cookies_are_secure_when_the_pages_are_served_over_https(database: Database) -> None:
    assert not WebAccess(database, public_url="http://127.0.0.1:8080").secure_cookies
    https = WebAccess(database, public_url="https://careers.example.edu/coach/")
    assert https.secure_cookies
    assert https.public_url == "https://careers.example.edu/coach"
