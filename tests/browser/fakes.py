"""In-memory fakes of the two core services the web pages read (``WebAccess``, ``Insights``),
for the web adapter's browser tests. They keep the rules the pages rely on (a link works once
and for ten minutes; a coach sees only the cohorts they coach, in their own workspace) and hold
seeded data in the core's own view shapes."""

from __future__ import annotations

import csv
import io
import json
import secrets
import threading
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from infointerview.core import Refused, SignedIn
from infointerview.core.insights.views import CoachView, CohortLink, StudentView, Viewer

LINK_LIFETIME = timedelta(minutes=10)
SESSION_LIFETIME = timedelta(hours=8)


@dataclass
class _Link:
    person: Viewer
    issued_at: datetime
    used: bool = False


class FakeAccess:
    """``WebAccess`` in memory: one-time links and sessions for the people it knows."""

    def __init__(self, people: list[Viewer], public_url: str = "http://127.0.0.1:8080") -> None:
        self.people = {(p.platform, p.tenant, p.user_id): p for p in people}
        self.public_url = public_url
        self.secure_cookies = public_url.startswith("https://")
        self.links: dict[str, _Link] = {}
        self.sessions: dict[str, tuple[Viewer, datetime]] = {}
        self._lock = threading.Lock()

    def link_for(self, platform: str, tenant: str, user_id: str) -> str | None:
        person = self.people.get((platform, tenant, user_id))
        if person is None:
            return None
        token = secrets.token_urlsafe(24)
        with self._lock:
            self.links[token] = _Link(person, datetime.now(UTC))
        return f"{self.public_url}/web/signin?token={token}"

    def age_link(self, url: str, by: timedelta) -> None:
        """Tests: make a link older, as if it had been sent ``by`` ago."""
        with self._lock:
            link = self.links[url.rsplit("token=", 1)[1]]
            link.issued_at -= by

    def redeem(self, token: str) -> SignedIn | Refused:
        now = datetime.now(UTC)
        with self._lock:
            link = self.links.get(token)
            if link is None:
                return Refused("invalid")
            if link.used:
                return Refused("used")
            if now - link.issued_at > LINK_LIFETIME:
                return Refused("expired")
            link.used = True
            session, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(16)
            viewer = replace(link.person, csrf=csrf)
            self.sessions[session] = (viewer, now + SESSION_LIFETIME)
        return SignedIn(session, csrf, now + SESSION_LIFETIME, viewer)

    def viewer(self, session_token: str) -> Viewer | None:
        with self._lock:
            found = self.sessions.get(session_token)
        if found is None or found[1] <= datetime.now(UTC):
            return None
        return found[0]

    def sign_out(self, session_token: str) -> None:
        with self._lock:
            self.sessions.pop(session_token, None)


@dataclass
class FakeCohort:
    view: CoachView
    tenant: str
    coaches: set[int]


@dataclass
class FakeInsights:
    """``Insights`` in memory: each person's own view, and the cohorts and who coaches them."""

    students: dict[int, StudentView] = field(default_factory=dict)
    cohorts: dict[int, FakeCohort] = field(default_factory=dict)

    def coached(self, viewer: Viewer) -> tuple[CohortLink, ...]:
        return tuple(c.view.cohort for c in self.cohorts.values()
                     if c.tenant == viewer.tenant and viewer.user_pk in c.coaches)

    def coach_view(self, viewer: Viewer, cohort_id: int) -> CoachView | None:
        cohort = self.cohorts.get(cohort_id)
        if cohort is None or cohort.tenant != viewer.tenant \
                or viewer.user_pk not in cohort.coaches:
            return None
        return cohort.view

    def members_csv(self, viewer: Viewer, cohort_id: int) -> bytes | None:
        view = self.coach_view(viewer, cohort_id)
        if view is None:
            return None
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["name", "role", "contacts", "interviews", "thank_you_on_time"])
        for line in view.table:
            writer.writerow([line.name, line.role, line.contacts, line.interviews,
                             line.thank_you_rate])
        return out.getvalue().encode()

    def student_view(self, viewer: Viewer) -> StudentView:
        view = self.students.get(viewer.user_pk)
        if view is None:
            return StudentView(viewer, (), (), (), (), (), (), self.coached(viewer))
        return replace(view, viewer=viewer, coached=self.coached(viewer))

    def export(self, viewer: Viewer) -> tuple[str, bytes]:
        view = self.student_view(viewer)
        body = {"name": viewer.name, "contacts": [
            {"no": item.no, "name": item.name, "stage": item.stage}
            for group in view.groups for item in group.items]}
        return "infointerview-export.json", json.dumps(body, ensure_ascii=False).encode()
