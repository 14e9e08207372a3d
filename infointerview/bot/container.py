"""Wiring: settings -> database, wording, question bank, clock -> engine."""

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
    )
