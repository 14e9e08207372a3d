"""Replicas that start together on an empty database take turns migrating."""

from __future__ import annotations

import subprocess
import sys


def test_three_migrations_at_once_all_succeed(postgres_url: str) -> None:
    runs = [subprocess.Popen([sys.executable, "-m", "infointerview", "migrate", "--db",
                              postgres_url],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(3)]
    results = [(run.wait(120), run.communicate()) for run in runs]
    for code, (out, err) in results:
        assert code == 0, err
        assert "up to date" in out
