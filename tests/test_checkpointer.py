"""SQLite's write-ahead log is copied back by the Database's own thread, not inside a commit."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import text

from core import Database


def test_the_log_is_checkpointed_off_the_event_path(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
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
