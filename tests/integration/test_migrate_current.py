"""A database that has every migration starts without Alembic: ``upgrade`` reads its revision
and stops there; anything else (no tables, an older revision) still goes through Alembic."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic.script import ScriptDirectory

from infointerview.core import Database
from infointerview.core.store.migrate import alembic_config, is_up_to_date, newest_revision, upgrade


def test_the_newest_revision_is_alembics_head(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path}/x.db")
    try:
        head = ScriptDirectory.from_config(alembic_config(db.engine)).get_current_head()
    finally:
        db.dispose()
    assert newest_revision() == head


def test_only_a_database_with_every_migration_is_up_to_date(db_url: str) -> None:
    db = Database(db_url)
    try:
        assert not is_up_to_date(db.engine)  # no tables yet
        upgrade(db.engine, "0008")
        assert not is_up_to_date(db.engine)
        upgrade(db.engine)
        assert is_up_to_date(db.engine)
        upgrade(db.engine)  # nothing to do, and nothing goes wrong
        assert is_up_to_date(db.engine)
    finally:
        db.dispose()


def test_a_start_on_an_up_to_date_database_does_not_import_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/x.db"
    start = ("import sys; from infointerview.core import Database; "
             "db = Database(sys.argv[1]); db.migrate(); "
             "db.dispose(); print('alembic' in sys.modules)")
    first, second = (subprocess.run([sys.executable, "-c", start, url], capture_output=True,
                                    text=True, check=True, timeout=60).stdout.strip()
                     for _ in range(2))
    assert (first, second) == ("True", "False")
