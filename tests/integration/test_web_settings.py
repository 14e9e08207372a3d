"""The web pages' settings reach sign-in: INFOINTERVIEW_PUBLIC_URL makes the links' address,
INFOINTERVIEW_WEB_SECRET signs them, and an empty address turns the pages off."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from infointerview.bot.container import build_access, build_engine
from infointerview.bot.settings import Settings
from infointerview.core import Database, SignedIn, WebAccess
from tests.helpers import User

SECRET = "a-configured-signing-key-of-forty-chars!"


def settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def test_the_default_address_is_the_local_web_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INFOINTERVIEW_PUBLIC_URL", raising=False)
    monkeypatch.delenv("INFOINTERVIEW_WEB_SECRET", raising=False)
    defaults = settings()
    assert defaults.public_url == "http://127.0.0.1:8080"
    assert defaults.web_secret is None


def test_both_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INFOINTERVIEW_PUBLIC_URL", "https://careers.example.edu/coach/")
    monkeypatch.setenv("INFOINTERVIEW_WEB_SECRET", SECRET)
    read = settings()
    assert read.public_url == "https://careers.example.edu/coach"
    assert read.web_secret is not None and read.web_secret.get_secret_value() == SECRET


@pytest.mark.parametrize("bad", ["careers.example.edu", "ftp://example.edu", "https://",
                                 "https://example.edu/?next=x", "javascript:alert(1)"])
def test_an_address_that_is_no_web_address_is_refused(bad: str) -> None:
    with pytest.raises(ValidationError, match="public_url"):
        settings(public_url=bad)


def test_the_engine_sends_links_at_the_public_address_signed_with_the_secret(
        migrated_url: str) -> None:
    configured = settings(public_url="https://careers.example.edu/", web_secret=SECRET)
    engine = build_engine(configured, database_url=migrated_url, migrate=False)
    User(engine).onboard()
    [reply] = User(engine).command("dashboard")
    text = reply.message.plain_text()
    assert "https://careers.example.edu/web/signin?token=" in text
    token = text.split("token=", 1)[1].split(">", 1)[0]  # the link is written as <address>
    database = Database(migrated_url)
    try:
        assert isinstance(build_access(configured, database).redeem(token), SignedIn)
        other_key = WebAccess(database, public_url="https://careers.example.edu",
                              secret="another-key-" + "x" * 30)
        assert other_key.redeem(token).reason == "invalid"  # type: ignore[union-attr]
    finally:
        database.dispose()
        engine.database.dispose()


def test_an_empty_address_turns_the_web_pages_off(migrated_url: str) -> None:
    off = settings(public_url="")
    engine = build_engine(off, database_url=migrated_url, migrate=False)
    try:
        assert engine.web_access is None
        [reply] = User(engine).command("dashboard")
        assert "aren't set up" in reply.message.plain_text()
        with pytest.raises(ValueError, match="INFOINTERVIEW_PUBLIC_URL"):
            build_access(off, engine.database)
    finally:
        engine.database.dispose()
