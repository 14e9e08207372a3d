"""The `infointerview` command itself: demo, migrate, and friendly start-up errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def cli(*args: str, env: dict[str, str] | None = None,
        stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "infointerview", *args], input=stdin,
                          capture_output=True, text=True, timeout=120, check=False,
                          env={**os.environ, **(env or {})})


def test_demo_walks_the_whole_journey_including_the_reminder() -> None:
    result = cli("demo")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for milestone in ("Your outreach e-mail", "interview-1.ics", "Interview with Dr. Jordan Lee",
                      "Time for your thank-you", "LinkedIn connection note",
                      "A second thank-you (contact 1)"):
        assert milestone in out, milestone


def test_migrate_creates_the_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/fresh.db"
    result = cli("migrate", "--db", url)
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout and (tmp_path / "fresh.db").exists()


def test_bad_options_stop_with_one_clear_line(tmp_path: Path) -> None:
    env = {"INFOINTERVIEW_DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    zone = cli("console", "--tz", "Mars/Olympus", env=env)
    assert zone.returncode == 2 and "not a time zone name" in zone.stderr
    start = cli("console", "--start-at", "next tuesday", env=env)
    assert start.returncode == 2 and "not an ISO date-time" in start.stderr
    folder = cli("console", env={**env, "INFOINTERVIEW_TEMPLATES_DIR": str(tmp_path / "nope")})
    assert folder.returncode == 2
    assert "INFOINTERVIEW_TEMPLATES_DIR" in folder.stderr and "not a folder" in folder.stderr


def test_advance_without_a_simulated_clock_explains_itself(tmp_path: Path) -> None:
    env = {"INFOINTERVIEW_DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    result = cli("console", "--user", "kim", env=env, stdin="/advance 2h\n/whatever\n")
    assert result.returncode == 0
    assert "--start-at" in result.stdout
    assert "Commands start with /infointerview" in result.stdout


def test_a_command_typed_into_an_open_form_is_not_taken_as_an_answer(tmp_path: Path) -> None:
    env = {"INFOINTERVIEW_DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    lines = "/infointerview start\n/infointerview list\n/advance 6d\nSam\n/cancel\n"
    result = cli("console", "--user", "kim", env=env, stdin=lines)
    assert result.returncode == 0
    assert result.stdout.count("That is a command, not an answer") == 2
    assert "Programme or role" in result.stdout  # the form went on to the next field


def test_quit_typed_into_a_form_closes_it_and_leaves(tmp_path: Path) -> None:
    env = {"INFOINTERVIEW_DATABASE_URL": f"sqlite:///{tmp_path}/q.db"}
    result = cli("console", "--user", "kim", env=env, stdin="/infointerview start\n/quit\nhelp\n")
    assert result.returncode == 0
    assert "Form closed; nothing was saved" in result.stdout
    assert "Every command starts with" not in result.stdout  # gone before "help"
    assert "That is a command" not in result.stdout and "Programme or role" not in result.stdout


def test_the_console_takes_this_computers_time_zone(tmp_path: Path) -> None:
    env = {"INFOINTERVIEW_DATABASE_URL": f"sqlite:///{tmp_path}/tz.db", "TZ": "Asia/Tokyo"}
    result = cli("console", "--jsonl", env=env,
                 stdin='{"type": "command", "text": "/infointerview start"}\n')
    assert result.returncode == 0, result.stderr
    form = next(item for line in result.stdout.splitlines()
                if (item := json.loads(line))["type"] == "form")
    assert {f["name"]: f["value"] for f in form["fields"]}["tz"] == "Asia/Tokyo"



SDKS = ("discord", "slack_bolt", "slack_sdk", "aiohttp", "cryptography")


def loaded_after(code: str, *args: str) -> set[str]:
    """Which of the platform SDKs (and Alembic) a fresh interpreter has imported after ``code``
    (printed on the last line, after what the code printed)."""
    report = ("import sys; "
              f"print(' '.join(n for n in {(*SDKS, 'alembic')!r} if n in sys.modules))")
    run = subprocess.run([sys.executable, "-c", f"{code}\n{report}", *args], input="",
                         capture_output=True, text=True, timeout=120, check=True)
    return set(run.stdout.splitlines()[-1].split())


def test_the_command_loads_no_platform_sdk_until_a_command_needs_it(tmp_path: Path) -> None:
    """`infointerview --help` and the console start without discord.py, Slack's SDKs or aiohttp
    (their imports took most of two seconds); the Slack and Discord commands import them."""
    assert loaded_after("import infointerview.bot.cli") == set()
    console = ("import sys\nfrom infointerview.bot.cli import app\n"
               "app(['console', '--db', sys.argv[1]], standalone_mode=False)")
    url = f"sqlite:///{tmp_path}/x.db"
    assert loaded_after(console, url) == {"alembic"}  # a new database: its tables are made
    assert loaded_after(console, url) == set()  # up to date: nothing to migrate
