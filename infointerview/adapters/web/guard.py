"""What every response of the web pages carries, and who may ask for a sign-in how often."""

from __future__ import annotations

import ipaddress
import time
from collections import deque

from aiohttp import web

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # the sign-in token is in the link's URL: never send it on to another site
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
STATIC_PREFIX = "/web/static/"


async def add_security_headers(request: web.Request, response: web.StreamResponse) -> None:
    """``on_response_prepare``: every answer, static files and error pages included."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if not request.path.startswith(STATIC_PREFIX):
        # pages show a person's own data: no shared or back-button cache keeps them
        response.headers["Cache-Control"] = "no-store"


def client_address(request: web.Request) -> str:
    """The address to count sign-in attempts by. Behind a reverse proxy on this machine (the
    peer is a loopback address) it is the last address the proxy added to X-Forwarded-For;
    addresses further left were written by the client and could be anything."""
    peer = request.remote or "unknown"
    forwarded = request.headers.get("X-Forwarded-For", "")
    try:
        from_loopback = ipaddress.ip_address(peer).is_loopback
    except ValueError:
        from_loopback = False
    if from_loopback and forwarded.strip():
        return forwarded.split(",")[-1].strip() or peer
    return peer


class RateLimit:
    """At most ``limit`` requests per ``window`` seconds for each key (a sliding window)."""

    MAX_KEYS = 10_000  # beyond this many addresses, the quiet ones are forgotten first

    def __init__(self, limit: int, window: float = 60.0) -> None:
        self.limit = limit
        self.window = window
        self._seen: dict[str, deque[float]] = {}

    def allow(self, key: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        recent = self._seen.pop(key, None) or deque()
        while recent and recent[0] <= now - self.window:
            recent.popleft()
        allowed = len(recent) < self.limit
        if allowed:
            recent.append(now)
        self._seen[key] = recent  # re-inserted: the dict's order is least recently seen first
        while len(self._seen) > self.MAX_KEYS:
            del self._seen[next(iter(self._seen))]
        return allowed

    def retry_after(self, key: str, now: float | None = None) -> int:
        now = time.monotonic() if now is None else now
        recent = self._seen.get(key)
        if not recent:
            return 0
        return max(1, int(recent[0] + self.window - now + 0.999))
