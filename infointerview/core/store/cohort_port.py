"""The cohort port (:class:`core.cohorts.ports.CohortRepository`) over one event's transaction:
each method is one of the queries in :mod:`core.store.cohorts` or :mod:`core.store.intros`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import cast

from sqlalchemy import Connection, RowMapping

from infointerview.core.cohorts.ports import IntroAsked
from infointerview.core.journey.state import Contact
from infointerview.core.model import Actor, Schedule
from infointerview.core.store import cohorts, intros, repo

Row = cohorts.Row


def _row(row: RowMapping | None) -> Row | None:
    return cast(Row | None, row)


def _rows(rows: list[RowMapping]) -> list[Row]:
    return cast(list[Row], rows)


class StoredCohorts:
    """The cohort port over one event's connection, for the person ``me`` (their row)."""

    def __init__(self, connection: Connection, user: repo.Row) -> None:
        self.c = connection
        self._user = user

    @property
    def me(self) -> int:
        return int(self._user["id"])

    def cohort_in_channel(self, platform: str, tenant: str, channel_id: str) -> Row | None:
        return _row(cohorts.cohort_in_channel(self.c, platform, tenant, channel_id))

    def cohort(self, cohort_id: int, platform: str, tenant: str) -> Row | None:
        return _row(cohorts.cohort(self.c, cohort_id, platform, tenant))

    def create_cohort(self, platform: str, tenant: str, channel_id: str, name: str, tz: str,
                      now: datetime) -> int:
        return cohorts.create_cohort(self.c, platform, tenant, channel_id, name, tz, now)

    def set_digest(self, cohort_id: int, day: int, at: str, tz: str) -> None:
        cohorts.set_digest(self.c, cohort_id, day, at, tz)

    def set_intro_period(self, cohort_id: int, days: int) -> None:
        cohorts.set_intro_period(self.c, cohort_id, days)

    def membership(self, cohort_id: int, user_pk: int) -> Row | None:
        return _row(cohorts.membership(self.c, cohort_id, user_pk))

    def join(self, cohort_id: int, user_pk: int, role: str, now: datetime) -> None:
        cohorts.join(self.c, cohort_id, user_pk, role, now)

    def set_member(self, cohort_id: int, user_pk: int, *, role: str | None = None,
                   paused: bool | None = None, shoutouts: bool | None = None) -> None:
        values = {name: value for name, value in
                  (("role", role), ("paused", paused), ("shoutouts", shoutouts))
                  if value is not None}
        if values:
            cohorts.set_member(self.c, cohort_id, user_pk, **values)

    def leave(self, cohort_id: int, user_pk: int) -> None:
        cohorts.leave(self.c, cohort_id, user_pk)

    def my_cohorts(self, user_pk: int) -> list[Row]:
        return _rows(cohorts.my_cohorts(self.c, user_pk))

    def members(self, cohort_id: int) -> list[Row]:
        return _rows(cohorts.members(self.c, cohort_id))

    def user(self, user_pk: int) -> Row | None:
        return _row(cohorts.user_row(self.c, user_pk))

    def digest_reminders(self, cohort: Row, kind: str) -> list[Row]:
        return _rows(cohorts.digest_reminders(self.c, cohort, kind))

    def cancel_reminders(self, reminder_ids: Sequence[int], now: datetime) -> None:
        cohorts.cancel_reminders(self.c, list(reminder_ids), now)

    def schedule_for(self, user_pk: int, reminder: Schedule, now: datetime) -> None:
        holder = cohorts.user_row(self.c, user_pk)
        if holder is not None:
            repo.apply_reminders(self.c, holder, [reminder], now)

    def contact_pk(self, user_pk: int, no: int) -> int | None:
        row = cohorts.contact_row(self.c, user_pk, no)
        return int(row["id"]) if row is not None else None

    def share(self, cohort_id: int, owner_pk: int, contact_pk: int, visibility: str,
              share_email: bool, consent: bool, now: datetime) -> None:
        cohorts.share(self.c, cohort_id, owner_pk, contact_pk, visibility, share_email, consent,
                      now)

    def unshare(self, owner_pk: int, contact_pk: int) -> int:
        return cohorts.unshare(self.c, owner_pk, contact_pk)

    def findable(self, asker_pk: int, platform: str, tenant: str,
                 cohort_ids: Sequence[int]) -> list[Row]:
        return _rows(cohorts.findable(self.c, asker_pk, platform, tenant, list(cohort_ids)))

    def shared(self, share_id: int) -> Row | None:
        return _row(cohorts.shared(self.c, share_id))

    def shares_of(self, owner_pk: int, *, active_only: bool = True) -> list[Row]:
        return _rows(cohorts.shares_of(self.c, owner_pk, active_only=active_only))

    def memberships_of(self, user_pk: int) -> list[Row]:
        return _rows(cohorts.memberships_of(self.c, user_pk))

    def shared_between(self, cohort_id: int, since: datetime, until: datetime) -> int:
        return cohorts.shared_between(self.c, cohort_id, since, until)

    def intro_free_from(self, share_id: int, now: datetime) -> datetime | None:
        return intros.intro_free_from(self.c, share_id, now)

    def request_intro_capped(self, share_id: int, requester_pk: int, reason: str,
                             now: datetime) -> IntroAsked:
        return intros.request_intro_capped(self.c, share_id, requester_pk, reason, now)

    def intro_requests_per_contact(self, cohort_id: int, since: datetime,
                                   until: datetime | None = None) -> list[Row]:
        return intros.intro_requests_per_contact(self.c, cohort_id, since, until)

    def intro(self, request_id: int) -> Row | None:
        return _row(intros.intro(self.c, request_id))

    def decide(self, request_id: int, status: str, now: datetime) -> bool:
        return intros.decide(self.c, request_id, status, now)

    def intros_asked_by(self, requester_pk: int) -> list[Row]:
        return _rows(cohorts.intros_asked_by(self.c, requester_pk))

    def intros_asked_of(self, owner_pk: int) -> list[Row]:
        return _rows(cohorts.intros_asked_of(self.c, owner_pk))

    def add_referred_contact(self, person: Row, make: Callable[[int], Contact],
                             introducer_pk: int, now: datetime) -> int | None:
        actor = Actor(str(person["platform"]), str(person["tenant"]), str(person["user_id"]))
        locked = repo.find_user(self.c, actor)
        if locked is None:
            return None
        rows, state = repo.load_state(self.c, locked)
        contact = make(state.new_contact_no())
        state.contacts[contact.no] = contact
        repo.save_state(self.c, locked, state, rows, now)
        cohorts.mark_introduced(self.c, int(locked["id"]), contact.no, introducer_pk)
        return contact.no

    def unname_introducer(self, introducer_pk: int) -> None:
        cohorts.unname_introducer(self.c, introducer_pk)

    def member_contacts(self, user_pks: Sequence[int]) -> list[Row]:
        return _rows(cohorts.member_contacts(self.c, list(user_pks)))
