"""The database: SQLite embedded by default, PostgreSQL for production, one URL to choose."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)
BACKSTOP_CHECKPOINT_PAGES = 10_000  # SQLite's default is 1,000; the Checkpointer runs first

# PostgreSQL: every wait is bounded, so a sick database gives a prompt error (the person is told
# it was not saved) instead of a request that outlives the platform's 3 seconds.
CONNECT_TIMEOUT_S = 2  # libpq's shortest
POOL_WAIT_S = 1.0  # for a free connection, when every one is busy (or hung)
SERVER_TIMEOUTS = {
    "statement_timeout": "10s",  # a statement the server cannot finish is cancelled
    "lock_timeout": "2s",  # waiting for a row another transaction holds
    # a transaction whose client went quiet (hung, cut off) is rolled back, freeing its locks
    "idle_in_transaction_session_timeout": "15s",
}
# a peer that stops answering is noticed by the kernel, not after the default two hours
TCP_KEEPALIVE = {"keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 2,
                 "keepalives_count": 3, "tcp_user_timeout": 10_000}


def normalise_url(url: str) -> str:
    """Accept ``postgresql://`` and ``postgres://`` and use the psycopg 3 driver for them."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


class Database:
    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = normalise_url(url)
        parsed = make_url(self.url)
        self.dialect = parsed.get_backend_name()
        kwargs: dict[str, Any] = {"echo": echo}
        if self.dialect == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        else:
            # no pre-ping: it costs a round trip per event; a dropped connection is invalidated
            # on its first error and replaced, and recycling retires idle ones first
            kwargs.update(pool_size=5, max_overflow=10, pool_recycle=1800,
                          pool_timeout=POOL_WAIT_S, connect_args=_bounded_waits(parsed.query))
        self.engine: Engine = create_engine(self.url, **kwargs)
        self._checkpointer: Checkpointer | None = None
        # SQLite has one writer at a time, and a thread that finds the lock taken sleeps in
        # SQLite's busy handler (up to 100 ms a nap): threads of this process queue here instead
        self._writer: AbstractContextManager[Any] = (
            threading.RLock() if self.dialect == "sqlite" else nullcontext())
        if self.dialect == "sqlite":
            _sqlite_pragmas(self.engine)
            if parsed.database and parsed.database != ":memory:":
                self._checkpointer = Checkpointer(self.checkpoint)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_postgres(self) -> bool:
        return self.dialect == "postgresql"

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """One transaction on a Core connection (the engine's hot path)."""
        with self._writer, self.engine.begin() as connection:
            yield connection

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on any exception."""
        with self._writer, self.sessions() as session, session.begin():
            yield session

    def migrate(self) -> None:
        from infointerview.core.store.migrate import upgrade

        upgrade(self.engine)

    def checkpoint(self) -> None:
        """SQLite: copy what the WAL holds into the database file now (``PASSIVE``: it waits for
        no one and stops short of what a reader still needs), so that no event's or claim's
        commit has to (with two fsyncs). The ``Checkpointer`` thread calls this every second;
        the dispatcher also after each claim, as a burst of claims fills the log faster.
        PostgreSQL checkpoints by itself: nothing to do."""
        if self.dialect != "sqlite":
            return
        connection = self.engine.raw_connection()  # no BEGIN: a checkpoint runs outside one
        try:
            cursor = connection.cursor()
            cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
            cursor.fetchall()
            cursor.close()
        finally:
            connection.close()

    def dispose(self) -> None:
        if self._checkpointer is not None:
            self._checkpointer.stop()
        self.engine.dispose()


class Checkpointer:
    """Copies SQLite's write-ahead log back into the database file on a thread of its own.

    SQLite otherwise checkpoints inside whichever commit fills the log past 1,000 pages, and
    that commit waits for the copy and an fsync: a few milliseconds, every few hundred events.
    A PASSIVE checkpoint here takes no write lock, so events go on meanwhile. The engine's
    connections keep an automatic checkpoint at 10x the default as a backstop.
    """

    INTERVAL_S = 1.0

    def __init__(self, checkpoint: Callable[[], None]) -> None:
        self._checkpoint = checkpoint
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sqlite-checkpointer",
                                        daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stopped.wait(self.INTERVAL_S):
            try:
                self._checkpoint()
            except Exception:
                log.debug("checkpoint skipped", exc_info=True)  # the backstop remains

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=5)


def _bounded_waits(query: Any) -> dict[str, Any]:
    """libpq settings that bound every wait, keeping any the URL gives; server settings are
    appended to the URL's own ``options`` (e.g. a ``search_path``), which they would replace."""
    settings = {"-c " + f"{name}={value}" for name, value in SERVER_TIMEOUTS.items()
                if name not in str(query.get("options", ""))}
    options = " ".join([str(query.get("options", "")), *sorted(settings)]).strip()
    connect: dict[str, Any] = {"options": options}
    for name, value in {"connect_timeout": CONNECT_TIMEOUT_S, **TCP_KEEPALIVE}.items():
        if name not in query:
            connect[name] = value
    return connect


def _sqlite_pragmas(engine: Engine) -> None:
    """WAL for concurrent readers; BEGIN IMMEDIATE so one writer at a time serialises events."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute(f"PRAGMA wal_autocheckpoint={BACKSTOP_CHECKPOINT_PAGES}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    @event.listens_for(engine, "before_cursor_execute")
    def refuse_raw_datetimes(connection: Any, cursor: Any, statement: str, parameters: Any,
                             context: Any, executemany: bool) -> None:
        refuse_unprocessed_datetimes(parameters, executemany)


def refuse_unprocessed_datetimes(parameters: Any, executemany: bool) -> None:
    """On SQLite every column type turns a datetime into our one text form (naive UTC) before
    the driver sees it; a datetime object still here skipped its column's type (an untyped
    bind) and sqlite3 would store it as local text with an offset, which compares wrongly
    with every other stored time. Refuse it instead of storing it."""
    for row in parameters if executemany else (parameters,):
        values = row.values() if isinstance(row, dict) else row or ()
        for value in values:
            if isinstance(value, datetime):
                raise TypeError(f"a datetime ({value.isoformat()}) reached SQLite without its "
                                "column's type; bind it with the column's type so it is "
                                "stored in UTC like every other time")
