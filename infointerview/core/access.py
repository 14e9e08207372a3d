"""Signing in to the web pages from the chat, with no password: a one-time link sent in a DM
opens a server-side session.

A link's token is ``URLSafeTimedSerializer.dumps(nonce)``: signed (so a guessed or altered token
is refused before the database is asked), dated, and naming a ``web_links`` row whose
``used_at`` makes it work once. A session's cookie holds a random token; the database holds
only its SHA-256, so a copy of the table opens no browser session.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from itsdangerous import BadData, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import Connection

from infointerview.core.clock import SystemClock
from infointerview.core.insights.views import Viewer
from infointerview.core.store import access as store
from infointerview.core.store.access import Reason
from infointerview.core.store.db import Database

LINK_TTL = timedelta(minutes=10)
SESSION_TTL = timedelta(hours=8)
SALT = "infointerview-signin"
KEY_NAME = "signin"  # the generated key's row in app_secrets
SIGNIN_PATH = "/web/signin"  # where the web adapter takes a link's ?token=
# A bot and the web server may run on machines whose clocks differ by a little: a link dated a
# moment ahead of the clock that checks it is fine (itsdangerous alone would call it expired).
CLOCK_SKEW = timedelta(seconds=60)

TOKEN_MAX = 400  # a link's token is about 100 characters; anything far longer is not one
Clock = Callable[[], datetime]


@dataclass(frozen=True, slots=True)
class SignedIn:
    token: str  # for the session cookie; only its hash is stored
    csrf: str
    expires_at: datetime
    viewer: Viewer


@dataclass(frozen=True, slots=True)
class Refused:
    reason: Reason


def token_hash(session_token: str) -> str:
    return hashlib.sha256(session_token.encode("utf-8", "surrogatepass")).hexdigest()


def _signer_on(clock: Clock) -> type[TimestampSigner]:
    """A ``TimestampSigner`` whose "now" is ``clock``'s. itsdangerous dates a token and checks
    ``max_age`` with ``time.time()``; reading our clock instead keeps both checks of a link's age
    (the signature's and the row's ``expires_at``) on one clock, so a simulated clock (tests,
    the console's ``--start-at``) moves a link past its ten minutes as it does the row. Keeping
    the signature's age check at all is a cheap first refusal that needs no database."""

    class ClockedSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(clock().timestamp())

    return ClockedSigner


class WebAccess:
    """What the web adapter (and the engine, for the link in a DM) uses to sign people in."""

    def __init__(self, database: Database, *, public_url: str, secret: str | None = None,
                 clock: Clock = SystemClock()) -> None:
        self._database = database
        self._public_url = public_url.rstrip("/")
        self._secret = secret or None  # None: the installation's own, from app_secrets
        self._clock = clock
        self._signer = _signer_on(clock)

    @property
    def public_url(self) -> str:
        return self._public_url

    @property
    def secure_cookies(self) -> bool:
        """Cookies go only over HTTPS when people reach the pages over HTTPS."""
        return self._public_url.lower().startswith("https://")

    # --- links -------------------------------------------------------------------------------

    def link_for(self, platform: str, tenant: str, user_id: str) -> str | None:
        """A new one-time link for someone the coach knows; None for anyone else."""
        with self._database.begin() as connection:
            user_pk = store.find_person(connection, platform, tenant, user_id)
            if user_pk is None:
                return None
            return self.new_link(connection, user_pk)

    def new_link(self, connection: Connection, user_pk: int) -> str:
        """Write a link row for the person in the caller's transaction and return its URL (the
        engine calls this inside the event's transaction). Dated on this object's clock, not the
        event's: a console on a simulated clock makes links the web server, on the real one,
        can open."""
        now = self._clock()
        nonce = secrets.token_urlsafe(24)
        store.add_link(connection, user_pk, nonce, now, now + LINK_TTL)
        token = self._serializer(connection).dumps(nonce)
        return f"{self._public_url}{SIGNIN_PATH}?token={token}"

    def redeem(self, token: str) -> SignedIn | Refused:
        """Open a session with a link's token: once per link, within its ten minutes."""
        now = self._clock()
        with self._database.begin() as connection:
            nonce = self._nonce(self._serializer(connection), token, now)
            if isinstance(nonce, Refused):
                return nonce
            user_pk = store.use_link(connection, nonce, now)
            if user_pk is None:
                return Refused(store.why_refused(connection, nonce, now))
            session_token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
            expires_at = now + SESSION_TTL
            store.add_session(connection, user_pk, token_hash(session_token), csrf, now,
                              expires_at)
            store.prune(connection, now)  # now and then is enough; a sign-in is such a time
            viewer = self._viewer(connection, session_token, now)
        assert viewer is not None  # the session was made in this transaction
        return SignedIn(session_token, csrf, expires_at, viewer)

    @staticmethod
    def _nonce(serializer: URLSafeTimedSerializer, token: str, now: datetime) -> str | Refused:
        """The nonce a token carries, if its signature is ours and it is under ten minutes old."""
        if len(token) > TOKEN_MAX:
            return Refused("invalid")
        try:
            nonce = serializer.loads(token, max_age=int(LINK_TTL.total_seconds()))
        except SignatureExpired as exc:  # the signature is good; the date is not
            signed, payload = exc.date_signed, exc.payload
            if signed is None or payload is None or not now < signed <= now + CLOCK_SKEW:
                return Refused("expired")
            try:  # dated a moment ahead: the row's expires_at decides
                nonce = serializer.load_payload(payload)
            except BadData:
                return Refused("invalid")
        except (BadData, UnicodeError):  # altered, truncated, another key's, not text
            return Refused("invalid")
        return nonce if isinstance(nonce, str) else Refused("invalid")

    # --- sessions ----------------------------------------------------------------------------

    def viewer(self, session_token: str) -> Viewer | None:
        """Who a session cookie signs in; None when unknown, signed out or past its 8 hours."""
        with self._database.begin() as connection:
            return self._viewer(connection, session_token, self._clock())

    def sign_out(self, session_token: str) -> None:
        with self._database.begin() as connection:
            store.end_session(connection, token_hash(session_token))

    def _viewer(self, connection: Connection, session_token: str,
                now: datetime) -> Viewer | None:
        person = store.session_person(connection, token_hash(session_token), now)
        if person is None:
            return None
        return Viewer(user_pk=person.user_pk, platform=person.platform, tenant=person.tenant,
                      user_id=person.user_id, name=person.name, tz=person.tz, csrf=person.csrf)

    # --- the signing key ---------------------------------------------------------------------

    def _serializer(self, connection: Connection) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(self._key(connection), salt=SALT, signer=self._signer)

    def _key(self, connection: Connection) -> str:
        """The configured secret, else the installation's own key (made once, shared by every
        process on the database). Read on the caller's connection: on SQLite a second
        transaction would wait for the one the caller holds."""
        if self._secret is not None:
            return self._secret
        key, made_now = store.signing_key(connection, KEY_NAME, secrets.token_urlsafe(32))
        if not made_now:  # committed by an earlier transaction: it can be kept
            self._secret = key
        return key
