"""The reminder crash test (tests/crash/run.py) on PostgreSQL: two dispatcher processes, one
killed with SIGKILL and restarted again and again while 2,000 reminders fall due at once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]
REMINDERS, KILLS = 2000, 6
CRASH_DELAY_LIMIT_S = 60  # a killed process's claims wait at most about one short lease


@pytest.mark.slow
def test_dispatchers_killed_mid_burst_lose_nothing_and_repeat_only_in_flight_dms(
        postgres_dsn: str) -> None:
    schema = f"crash_{uuid.uuid4().hex[:12]}"
    command = [sys.executable, "-m", "tests.crash.run", "--db", postgres_dsn, "--schema", schema,
               "--reminders", str(REMINDERS), "--kills", str(KILLS), "--timeout", "150",
               "--min-gap", "0.2", "--max-gap", "0.6"]  # all kills inside the burst
    run = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, start_new_session=True)
    try:
        stdout, stderr = run.communicate(timeout=240)
    except subprocess.TimeoutExpired:
        os.killpg(run.pid, signal.SIGKILL)  # the run and its dispatcher processes
        stdout, stderr = run.communicate()
        with psycopg.connect(postgres_dsn, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        pytest.fail(f"the crash test took over 240 s\n{stdout}\n{stderr}")
    output = f"stdout:\n{stdout}\nstderr:\n{stderr}"
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    assert lines, output
    report = json.loads(lines[-1])
    print(stdout)  # the figures, shown with -s or -rP
    assert report["reminders"] == REMINDERS, output
    assert report["lost"] == 0 and report["delivered"] == REMINDERS, output
    assert report["marked_delivered_without_dm"] == 0, output
    assert report["kills"] >= max(5, KILLS), output
    assert report["kills_while_pending"] >= 5, output
    assert report["duplicated"] <= report["kills"], output
    assert report["unexplained_duplicates"] == 0, output
    assert report["status"] == {"delivered": REMINDERS}, output
    # the reminders the killed processes had claimed and not yet sent: how late they came
    assert report["stranded_by_kills"] > 0, output
    assert report["crash_delay_max_seconds"] <= CRASH_DELAY_LIMIT_S, output
    assert not report["timed_out"] and report["failures"] == [], output
    assert run.returncode == 0, output
