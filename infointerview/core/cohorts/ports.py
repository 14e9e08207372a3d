"""What cohort handlers need from storage: one port, reached through ``Ctx.cohorts``.

A cohort spans people, so unlike the journey (one person's state, loaded and saved around
``step()``) its handlers ask for rows as they go. They ask this port, never a database: the
engine hands in one implemented over the event's transaction (``core.store.cohort_port``), and
unit tests an in-memory one. Rows are read-only mappings, keyed by column name:

- a cohort: ``id, platform, tenant, channel_id, name, tz, digest_day, digest_time,
  intro_period_days``
  (``my_cohorts`` adds the person's ``role`` and ``paused``);
- a member: ``user_pk, role, paused, shoutouts, joined_at`` and the person's ``user_id,
  display_name, name, updated_at, platform, tenant``; a membership (``membership``) only the
  first five;
- a person (``user``): ``id, platform, tenant, user_id, display_name, name``;
- a shared contact (``findable``, ``shared``, ``shares_of``): ``share_id, visibility,
  share_email, consent, owner_pk, cohort_id, shared_at``, the contact's ``name, role, organisation,
  sector, profile_url, email, contact_pk, contact_no``, the owner's ``owner_user_id,
  owner_display, owner_name`` and the cohort's ``cohort_name, platform, tenant``; what another
  member may see of it is decided by :func:`core.cohorts.visibility.visible` alone;
- a queued digest reminder: ``id, user_pk, due_at``;
- an intro request (``intro``): ``id, share_id, requester_pk, reason, status``;
- a member's contact for progress figures: ``user_pk, stage, sector, interviewed_at,
  thanked_at`` (never names, details or notes).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from infointerview.core.journey.state import Contact
from infointerview.core.model import Schedule

Row = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class IntroAsked:
    """What asking for an introduction came to: a new request, or why not."""

    request_id: int | None = None
    # the person was asked recently (by anyone in the cohort): she may be asked again then
    free_from: datetime | None = None

    @property
    def already_yours(self) -> bool:
        """The asker has a request for this share still waiting for an answer."""
        return self.request_id is None and self.free_from is None


class CohortRepository(Protocol):
    """Cohort storage for one event of one person (:attr:`me`)."""

    @property
    def me(self) -> int:
        """The person this event is for (their key, as ``user_pk`` in rows)."""
        ...

    # --- cohorts --------------------------------------------------------------------------------

    def cohort_in_channel(self, platform: str, tenant: str, channel_id: str) -> Row | None: ...

    def cohort(self, cohort_id: int, platform: str, tenant: str) -> Row | None: ...

    def create_cohort(self, platform: str, tenant: str, channel_id: str, name: str, tz: str,
                      now: datetime) -> int:
        """A new cohort (digest Thursdays 16:00 in ``tz``); its id."""
        ...

    def set_digest(self, cohort_id: int, day: int, at: str, tz: str) -> None: ...

    def set_intro_period(self, cohort_id: int, days: int) -> None:
        """How long one external person is left in peace after a request
        (:mod:`core.cohorts.asking`)."""
        ...

    # --- members --------------------------------------------------------------------------------

    def membership(self, cohort_id: int, user_pk: int) -> Row | None: ...

    def join(self, cohort_id: int, user_pk: int, role: str, now: datetime) -> None: ...

    def set_member(self, cohort_id: int, user_pk: int, *, role: str | None = None,
                   paused: bool | None = None, shoutouts: bool | None = None) -> None:
        """Change what is given (not None) of a membership."""
        ...

    def leave(self, cohort_id: int, user_pk: int) -> None:
        """Leaving withdraws every share of this member in this cohort (and requests for them)."""
        ...

    def my_cohorts(self, user_pk: int) -> list[Row]:
        """The cohorts this person is in, any workspace, by id, with their role and paused."""
        ...

    def members(self, cohort_id: int) -> list[Row]:
        """The members, longest-standing first."""
        ...

    def user(self, user_pk: int) -> Row | None: ...

    # --- the digest's reminders (whoever holds them) --------------------------------------------

    def digest_reminders(self, cohort: Row, kind: str) -> list[Row]:
        """The cohort's queued (pending or sending) reminders of ``kind`` held by its members."""
        ...

    def cancel_reminders(self, reminder_ids: Sequence[int], now: datetime) -> None:
        """Cancel those still pending."""
        ...

    def schedule_for(self, user_pk: int, reminder: Schedule, now: datetime) -> None:
        """Queue a reminder held by another person (the event's own go through
        ``Ctx.schedule``): the digest moving on to the next member."""
        ...

    # --- shares ---------------------------------------------------------------------------------

    def contact_pk(self, user_pk: int, no: int) -> int | None:
        """The stored contact ``no`` of this person (None if not saved yet)."""
        ...

    def share(self, cohort_id: int, owner_pk: int, contact_pk: int, visibility: str,
              share_email: bool, consent: bool, now: datetime) -> None:
        """Share, or change how a contact is shared (one share per contact and cohort; a
        change keeps the requests already made for it, so the cap still counts them).
        ``consent``: the contact said it's fine to pass on their details."""
        ...

    def unshare(self, owner_pk: int, contact_pk: int) -> int:
        """Withdraw every share of this contact; how many there were."""
        ...

    def findable(self, asker_pk: int, platform: str, tenant: str,
                 cohort_ids: Sequence[int]) -> list[Row]:
        """Shares the asker may see: in these cohorts of this tenant where the asker is a
        member, owned by another member who has not paused."""
        ...

    def shared(self, share_id: int) -> Row | None: ...

    def shares_of(self, owner_pk: int, *, active_only: bool = True) -> list[Row]:
        """This owner's shares; ``active_only``: only in cohorts where they have not paused."""
        ...

    def memberships_of(self, user_pk: int) -> list[Row]:
        """Memberships with the cohort's ``name`` and ``channel_id`` (for the export)."""
        ...

    def shared_between(self, cohort_id: int, since: datetime, until: datetime) -> int: ...

    # --- warm introductions ---------------------------------------------------------------------

    def intro_free_from(self, share_id: int, now: datetime) -> datetime | None:
        """When this share's person may be asked again under the cohort's cap
        (:mod:`core.cohorts.asking`); None when she may be asked now."""
        ...

    def request_intro_capped(self, share_id: int, requester_pk: int, reason: str,
                             now: datetime) -> IntroAsked:
        """Check the cap and add a pending request, as one step: two members asking for the
        same person at once make one request (the cohort's row is locked while checking)."""
        ...

    def intro_requests_per_contact(self, cohort_id: int, since: datetime,
                                   until: datetime | None = None) -> list[Row]:
        """Requests made in ``[since, until)`` per share of the cohort that had any:
        ``share_id, person`` (the same for shares of one external person; an id, never a name),
        ``requests, open_requests`` (pending or accepted), ``last_asked_at``."""
        ...

    def intro(self, request_id: int) -> Row | None: ...

    def decide(self, request_id: int, status: str, now: datetime) -> bool:
        """Accept or decline once; False when it was already decided."""
        ...

    def intros_asked_by(self, requester_pk: int) -> list[Row]:
        """Requests this person made (``reason, status, created_at, decided_at``) with the
        share's columns as above."""
        ...

    def intros_asked_of(self, owner_pk: int) -> list[Row]:
        """Requests for this owner's shared contacts: ``share_id, status, created_at,
        decided_at, contact_no, cohort_name`` (never who asked or why)."""
        ...

    def add_referred_contact(self, person: Row, make: Callable[[int], Contact],
                             introducer_pk: int, now: datetime) -> int | None:
        """Add ``make(number)`` to another person's pipeline (``person`` as :meth:`user`
        gives it), remembering who introduced it; the contact's number, or None if they are
        gone."""
        ...

    def unname_introducer(self, introducer_pk: int) -> None:
        """Contacts this member's introductions created keep the card but no longer name them."""
        ...

    def member_contacts(self, user_pks: Sequence[int]) -> list[Row]:
        """Only the columns progress figures need: never names, details or notes."""
        ...
