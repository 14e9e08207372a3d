"""Wiring: settings -> database, wording, question bank, clock, web sign-in -> engine."""

from __future__ import annotations

from infointerview.bot.settings import Settings
from infointerview.core import (
    Database,
    Engine,
    JourneyConfig,
    Observer,
    QuestionBank,
    SimulatedClock,
    SystemClock,
    Templates,
    WebAccess,
)


def build_engine(settings: Settings, *, database_url: str | None = None,
                 clock: SimulatedClock | SystemClock | None = None,
                 migrate: bool = True, observer: Observer | None = None) -> Engine:
    database = Database(database_url or settings.database_url)
    if migrate:
        database.migrate()
    return Engine(
        database,
        templates=Templates(settings.templates_dir),
        bank=QuestionBank.load(settings.templates_dir),
        config=JourneyConfig(career_office_name=settings.career_office_name,
                             career_office_contact=settings.career_office_contact),
        clock=clock or SystemClock(),
        observer=observer,
        # links are dated on the real clock even when the engine's is simulated (console
        # --start-at): the web server that opens them runs on the real one
        web_access=build_access(settings, database) if settings.public_url else None,
    )


def build_access(settings: Settings, database: Database) -> WebAccess:
    """Sign-in for the web pages: one-time links and sessions at ``INFOINTERVIEW_PUBLIC_URL``."""
    if not settings.public_url:
        raise ValueError("INFOINTERVIEW_PUBLIC_URL is empty: the web pages are turned off")
    secret = settings.web_secret.get_secret_value() if settings.web_secret else None
    return WebAccess(database, public_url=settings.public_url, secret=secret,
                     clock=SystemClock())
