"""SQLite's write-ahead log is copied back by the Database's own thread, not inside a commit."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from sqlalchemy import text

from infointerview.core import Database


def test_the_log_is_checkpointed_off_the_event_path(tmp_path: Path) -> None:
    path = tmp_path / "infointerview.bot.db"
    database = Database(f"sqlite:///{path}")
    try:
        with database.begin() as connection:
            connection.execute(text("CREATE TABLE t (x TEXT)"))
        size = path.stat().st_size
        for _ in range(50):  # far below the 10,000-page backstop: no commit checkpoints
            with database.begin() as connection:
                connection.execute(text("INSERT INTO t VALUES (:x)"), {"x": "y" * 4000})
        deadline = time.monotonic() + 5
        while path.stat().st_size <= size + 100_000 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert path.stat().st_size > size + 100_000  # the rows reached the database file
        with database.begin() as connection:
            pages = connection.execute(text("PRAGMA wal_autocheckpoint")).scalar_one()
        assert pages == 10_000
    finally:
        database.dispose()
    assert database._checkpointer is not None and not database._checkpointer._thread.is_alive()


def test_threads_queue_for_sqlites_single_writer_instead_of_napping(tmp_path: Path) -> None:
    """SQLite's busy handler naps up to 100 ms when the write lock is taken; threads of one
    process wait on the Database's own lock instead, so a burst costs about its work."""
    database = Database(f"sqlite:///{tmp_path / 'infointerview.bot.db'}")
    try:
        with database.begin() as connection:
            connection.execute(text("CREATE TABLE t (x INTEGER)"))

        def work() -> None:
            for _ in range(10):
                with database.begin() as connection:
                    connection.execute(text("INSERT INTO t VALUES (1)"))
                    time.sleep(0.01)  # the transaction's work, holding the write lock

        began = time.monotonic()
        threads = [threading.Thread(target=work) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - began
        with database.begin() as connection:
            assert connection.execute(text("SELECT count(*) FROM t")).scalar_one() == 40
        # 0.4 s of work; napping in the busy handler leaves the lock idle (about 1.6x here)
        assert elapsed < 40 * 0.01 * 1.35, elapsed
    finally:
        database.dispose()
