"""One reminder dispatcher process for the crash test; ``tests.crash.run`` starts and kills it.

    python -m tests.crash.worker --db postgresql://postgres@127.0.0.1:5432/test?options=...

It runs the real ``Dispatcher`` on the real ``Engine`` (real clock). Its gateway stands in for the
platform's servers: every DM it is handed is INSERTed into ``crash_deliveries`` on a connection of
its own, in autocommit, before ``send_dm`` returns. Nothing there refuses a second copy: this
models the worst case, a platform that ignores idempotency keys, so every repeat is counted.
Every claim is logged in ``crash_claims`` (which process claimed which reminder), so the run can
tell which reminders a killed process left behind and how late they then arrived.
SIGTERM stops it after the current tick; SIGKILL (the point of the test) stops it anywhere.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import re
import signal
from datetime import datetime, timedelta
from typing import Any

import psycopg

from infointerview.core import Database, Engine, Message, ReminderDue
from infointerview.core.dispatch import Dispatcher

KEY = re.compile(r"reminder-(\d+)-(\d+)")
log = logging.getLogger("crash.worker")


class RecordingPlatform:
    """The far side of the network: records each DM it receives, duplicates included."""

    platform = "console"

    def __init__(self, url: str) -> None:
        # a name of its own: the run may cut the dispatcher's database connections, never this
        self.connection = psycopg.connect(url, autocommit=True, application_name="crash-platform")
        self.pid = os.getpid()

    async def send_dm(self, tenant: str, user_id: str, message: Message, *,
                      idempotency_key: str, sent_since: datetime | None = None) -> str:
        match = KEY.fullmatch(idempotency_key)
        if match is None:
            raise ValueError(f"unexpected idempotency key {idempotency_key!r}")
        row = self.connection.execute(
            "INSERT INTO crash_deliveries (reminder_id, part, pid, tenant, user_id, chars)"
            " VALUES (%s, %s, %s, %s, %s, %s) RETURNING id",
            (int(match[1]), int(match[2]), self.pid, tenant, user_id,
             len(message.plain_text()))).fetchone()
        assert row is not None
        return f"crash-{row[0]}"


class ClaimLoggingEngine(Engine):
    """The real engine; each claim is also written to ``crash_claims`` as soon as it is made."""

    def __init__(self, database: Database, url: str) -> None:
        super().__init__(database)
        self.claims = psycopg.connect(url, autocommit=True, application_name="crash-platform")

    def claim_due_reminders(self, *args: Any, **kwargs: Any) -> list[ReminderDue]:
        events = super().claim_due_reminders(*args, **kwargs)
        if events:
            self.claims.execute("INSERT INTO crash_claims (reminder_id, pid)"
                                " SELECT unnest(%s::bigint[]), %s",
                                ([e.reminder_id for e in events], os.getpid()))
        return events


async def run(url: str, app_name: str, parent: int | None, batch: int, lease: float | None,
              pause: float) -> None:
    separator = "&" if "?" in url else "?"
    database = Database(f"{url}{separator}application_name={app_name}")
    engine = ClaimLoggingEngine(database, url)
    leased = {} if lease is None else {"lease": timedelta(seconds=lease)}
    dispatcher = Dispatcher(engine, RecordingPlatform(url), batch=batch, **leased)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    # no orphans: stop once the run that started this process is gone (checked between ticks)
    while not stop.is_set() and parent in (None, os.getppid()):
        try:
            await dispatcher.tick()
        except Exception:  # as the real ticker does: the next tick tries again
            log.exception("tick failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), pause)
    database.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="PostgreSQL URL (search_path included)")
    parser.add_argument("--app-name", default="crash-dispatcher",
                        help="application_name of the dispatcher's database connections")
    parser.add_argument("--parent", type=int, help="stop when this process is not the parent")
    parser.add_argument("--batch", type=int, default=20)
    parser.add_argument("--lease", type=float, default=None,
                        help="seconds (default: the dispatcher's own, as in production)")
    parser.add_argument("--pause", type=float, default=0.02, help="seconds between ticks")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING,
                        format=f"%(asctime)s worker {os.getpid()} %(levelname)s %(message)s")
    asyncio.run(run(args.db, args.app_name, args.parent, args.batch, args.lease, args.pause))


if __name__ == "__main__":
    main()
