"""`infointerview web` as a real process: it refuses kindly when the console person it should
sign in has never used the console, and when the pages are turned off. (Serving the pages is
tested in tests/browser/test_real_services.py.)"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from infointerview.core import Database, Engine
from tests.helpers import User


def run_web(tmp_path: Path, *args: str, public_url: str = "http://127.0.0.1:8080",
            ) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "INFOINTERVIEW_PUBLIC_URL": public_url}
    return subprocess.run(
        [sys.executable, "-m", "infointerview", "web", "--db",
         f"sqlite:///{tmp_path / 'web.db'}", *args],
        capture_output=True, text=True, env=env, timeout=60, check=False)


def test_a_person_who_never_used_the_console_gets_a_kind_answer(tmp_path: Path) -> None:
    done = run_web(tmp_path, "--user", "nobody", "--port", "1")
    assert done.returncode == 1
    assert "nobody called 'nobody' has used the console" in done.stderr
    assert "infointerview console --user nobody" in done.stderr
    assert "Traceback" not in done.stderr


def test_without_a_public_url_the_pages_are_off(tmp_path: Path) -> None:
    done = run_web(tmp_path, public_url="")
    assert done.returncode == 2
    assert "INFOINTERVIEW_PUBLIC_URL is empty" in done.stderr


def test_without_a_configured_address_the_link_points_at_this_server(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'web.db'}")
    database.migrate()
    User(Engine(database), "sam").onboard()  # sam has used the console
    database.dispose()
    env = {k: v for k, v in os.environ.items() if k != "INFOINTERVIEW_PUBLIC_URL"}
    server = subprocess.Popen(
        [sys.executable, "-m", "infointerview", "web", "--db",
         f"sqlite:///{tmp_path / 'web.db'}", "--port", "8391", "--user", "sam"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path)
    try:
        assert server.stdout is not None
        printed = server.stdout.readline() + server.stdout.readline()
    finally:
        server.terminate()
        server.wait(10)
    assert "Sign in as sam" in printed
    assert "http://127.0.0.1:8391/web/signin?token=" in printed
