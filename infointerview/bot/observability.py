"""Running in production: Prometheus metrics, /healthz and /readyz, and JSON logs without secrets.

Every long-running mode serves these: Slack over HTTP on its own port, Discord and Socket Mode on
a small extra HTTP server (``INFOINTERVIEW_METRICS_PORT``).
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import sys
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime

from aiohttp import web
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)

Check = Callable[[], Awaitable[str | None]]  # None when fine, else what is wrong
READY_CHECK_S = 1.0  # a hung database must not keep a readiness probe waiting


class PrometheusObserver:
    """The engine's and dispatcher's reports as Prometheus metrics (``core.observe.Observer``)."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        self.events = Counter("infointerview_events_total", "Events handled",
                              ["type", "outcome"], registry=self.registry)
        self.latency = Histogram(
            "infointerview_event_seconds", "Time to handle one event", ["type"],
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
            registry=self.registry)
        self.reminders = Counter("infointerview_reminders_total",
                                 "Reminders claimed (due), delivered, silent, retried, failed",
                                 ["outcome"], registry=self.registry)
        self.lateness = Histogram(
            "infointerview_reminder_late_seconds", "How long after its due time a reminder "
            "went out", buckets=(1, 5, 15, 30, 60, 300, 900, 3600, 21600, 86400),
            registry=self.registry)
        self.platform_errors = Counter("infointerview_platform_errors_total",
                                       "Platform API errors and rate limits",
                                       ["platform", "kind"], registry=self.registry)
        self.web_requests = Counter("infointerview_web_requests_total",
                                    "Requests to the web pages, by route and status",
                                    ["route", "status"], registry=self.registry)
        self.web_latency = Histogram(
            "infointerview_web_request_seconds", "Time to answer a web page", ["route"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5),
            registry=self.registry)

    def event_handled(self, kind: str, outcome: str, seconds: float) -> None:
        self.events.labels(kind, outcome).inc()
        self.latency.labels(kind).observe(seconds)

    def reminder(self, outcome: str, late_seconds: float = 0.0) -> None:
        self.reminders.labels(outcome).inc()
        if outcome == "delivered":
            self.lateness.observe(late_seconds)

    def platform_error(self, platform: str, kind: str) -> None:
        self.platform_errors.labels(platform, kind[:40]).inc()

    def web_request(self, route: str, status: int, seconds: float) -> None:
        self.web_requests.labels(route, str(status)).inc()
        self.web_latency.labels(route).observe(seconds)


def add_ops_routes(app: web.Application, observer: PrometheusObserver,
                   checks: Mapping[str, Check]) -> None:
    """/healthz (the process answers), /readyz (every check passes), /metrics."""

    async def healthz(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def run_check(check: Check) -> str | None:
        try:
            return await asyncio.wait_for(check(), READY_CHECK_S)
        except Exception as exc:  # a check that fails to run (or in time) is a failed check
            return type(exc).__name__

    async def readyz(request: web.Request) -> web.Response:
        # together, so the answer takes one check's limit at most, not their sum
        found = await asyncio.gather(*(run_check(check) for check in checks.values()))
        problems = {name: problem for name, problem in zip(checks, found, strict=True)
                    if problem}
        status = 503 if problems else 200
        return web.json_response({"status": "not ready" if problems else "ready",
                                  "problems": problems}, status=status)

    async def metrics(request: web.Request) -> web.Response:
        return web.Response(body=generate_latest(observer.registry),
                            headers={"Content-Type": CONTENT_TYPE_LATEST})

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics)


async def serve_ops(port: int, observer: PrometheusObserver,
                    checks: Mapping[str, Check]) -> web.AppRunner:
    """The small HTTP server of the Discord and Socket Mode processes."""
    app = web.Application()
    add_ops_routes(app, observer, checks)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "0.0.0.0", port).start()
    return runner


# --- logs ----------------------------------------------------------------------------------------

SECRETS = re.compile(
    r"xox[abposre]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+"  # Slack tokens
    r"|[A-Za-z0-9_-]{23,28}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,}"  # Discord bot tokens
    r"|gAAAAA[A-Za-z0-9_=-]{20,}"  # Fernet ciphertexts
    r"|(?<=://)[^/\s:@]+:[^/\s@]+(?=@)")  # passwords in URLs


BODIES = re.compile(r"(body: ).*(\)\s*)$", re.S)  # Bolt logs refused requests' bodies


def redact(text: str) -> str:
    return SECRETS.sub("[redacted]", BODIES.sub(r"\1[redacted]\2", text))


class JsonFormatter(logging.Formatter):
    """One JSON object per line; anything shaped like a token is redacted."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": datetime.fromtimestamp(record.created, UTC).isoformat(
                     timespec="milliseconds"),
                 "level": record.levelname.lower(), "logger": record.name,
                 "message": redact(record.getMessage())}
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def setup_logging(level: str, *, json_logs: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    if json_logs:
        handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
