"""``Insights``: what the web window's pages read, one read-only transaction per page.

The web adapter calls this and renders what it returns; it runs no SQL of its own. A coach's
page exists only for a coach of that cohort in the viewer's own workspace (platform and
tenant): for anyone else it is None, and the page answers "not found".
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy import Connection

from infointerview.core.cohorts import export as cohort_export
from infointerview.core.cohorts.ports import Row
from infointerview.core.engine import utc_now
from infointerview.core.insights import coach, student
from infointerview.core.insights.views import CoachView, CohortLink, StudentView, Viewer
from infointerview.core.journey.context import Ctx, JourneyConfig
from infointerview.core.journey.export import export_data, export_json, export_name
from infointerview.core.journey.questions import QuestionBank
from infointerview.core.journey.state import UserState
from infointerview.core.model import Actor, Place
from infointerview.core.store import insights as rows
from infointerview.core.store import repo
from infointerview.core.store.cohort_port import StoredCohorts
from infointerview.core.store.db import Database
from infointerview.core.templates import Templates


class Insights:
    def __init__(self, database: Database, *, clock: Callable[[], datetime] = utc_now,
                 templates: Templates | None = None, bank: QuestionBank | None = None,
                 config: JourneyConfig | None = None) -> None:
        self.database = database
        self.clock = clock
        self.templates = templates or Templates()
        self.bank = bank or QuestionBank.load()
        self.config = config or JourneyConfig()

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        with self.database.begin() as connection:
            rows.read_only(connection)
            yield connection

    def coached(self, viewer: Viewer) -> tuple[CohortLink, ...]:
        """The cohorts the viewer coaches, in their own workspace."""
        with self._reading() as connection:
            return self._coached(connection, viewer)

    @staticmethod
    def _coached(connection: Connection, viewer: Viewer) -> tuple[CohortLink, ...]:
        return tuple(CohortLink(int(row["id"]), str(row["name"])) for row in rows.coached(
            connection, viewer.user_pk, viewer.platform, viewer.tenant))

    @staticmethod
    def _cohort_and_members(connection: Connection, viewer: Viewer,
                            cohort_id: int) -> tuple[Row, list[Row]] | None:
        """The cohort and its members, if the viewer coaches it in their own workspace."""
        cohort = rows.coached_cohort(connection, cohort_id, viewer.user_pk, viewer.platform,
                                     viewer.tenant)
        return None if cohort is None else (cohort, rows.members(connection, cohort_id))

    def coach_view(self, viewer: Viewer, cohort_id: int) -> CoachView | None:
        """The cohort's page; None unless the viewer coaches it, in their own workspace."""
        now = self.clock()
        with self._reading() as connection:
            found = self._cohort_and_members(connection, viewer, cohort_id)
            if found is None:
                return None
            cohort, members = found
            since = coach.first_week(now, str(cohort["tz"]))
            furthest, sectors = rows.steps_and_sectors(connection, cohort)
            counted = coach.Counted(
                furthest=furthest, interviews=rows.interviews_since(connection, cohort, since),
                sectors=sectors, tallies=rows.member_tallies(connection, cohort, now))
            cards = rows.cards(connection, cohort_id)
            shared_at = rows.shared_since(connection, cohort_id, since)
            intro_requests = rows.intro_requests(connection, cohort_id)
            per_share, shares = rows.asked_since(
                connection, cohort_id, now - timedelta(days=int(cohort["intro_period_days"])))
        return coach.coach_view(cohort, members, counted, cards, shared_at, intro_requests, now,
                                coach.asked(per_share, shares))

    def members_csv(self, viewer: Viewer, cohort_id: int) -> bytes | None:
        """The members' table as CSV (the chat's report, by name); None as ``coach_view``."""
        now = self.clock()
        with self._reading() as connection:
            found = self._cohort_and_members(connection, viewer, cohort_id)
            if found is None:
                return None
            cohort, members = found
            tallies = rows.member_tallies(connection, cohort, now)
        return coach.members_csv(members, tallies)

    def student_view(self, viewer: Viewer) -> StudentView:
        """The viewer's own pipeline, what is due, their network and timeline."""
        now = self.clock()
        with self._reading() as connection:
            state = self._state(connection, viewer)
            coached = self._coached(connection, viewer)
        return student.student_view(viewer, list(state.contacts.values()), now,
                                    state.settings.tz, coached)

    @staticmethod
    def _state(connection: Connection, viewer: Viewer) -> UserState:
        user = rows.person(connection, viewer.user_pk, viewer.platform, viewer.tenant)
        if user is None:  # forgotten since signing in
            return UserState()
        return repo.load_state(connection, user)[1]

    def export(self, viewer: Viewer) -> tuple[str, bytes]:
        """(file name, JSON): what the chat's ``export`` attaches as JSON, writing nothing."""
        now = self.clock()
        with self._reading() as connection:
            user = rows.person(connection, viewer.user_pk, viewer.platform, viewer.tenant)
            state = repo.load_state(connection, user)[1] if user is not None else UserState()
            ctx = Ctx(state=state, now=now, user_id=viewer.user_id, place=Place(),
                      templates=self.templates, bank=self.bank, config=self.config,
                      actor=Actor(viewer.platform, viewer.tenant, viewer.user_id))
            if user is not None:
                ctx.cohort_data = partial(cohort_export.personal_data,
                                          StoredCohorts(connection, user))
            data = export_data(ctx)  # the cohort part is read here, inside the transaction
        return export_name(now, "json"), export_json(data)
