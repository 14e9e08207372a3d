"""The test suite's wall time, like for like: round 1's tests as they are today, beside round 1's
own suite at its own commit, run one after the other on this machine in the same run.

Issue 15 asked for the suite to take at most half of round 1's time (223 s for 492 tests). The
suite has grown since (1,300 tests), so its whole time says little about that target. This
bench finds round 1's tests in today's suite (by file name and test name: they were moved into
``tests/unit``, ``tests/integration``, ``tests/adapters`` and ``tests/e2e``, not renamed), runs
exactly those, and runs round 1's suite at its commit with its own virtualenv, for the baseline.
Tests that round 1 had and today's suite no longer has are listed (the ``hotrows`` module they
tested is gone).

    git worktree add /tmp/round1 a16b66f
    python3 -m venv /tmp/round1/.venv && /tmp/round1/.venv/bin/pip install -e '/tmp/round1[test]'
    python -m bench.suite --baseline /tmp/round1 --write bench/RESULTS.md
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

from bench.engine import git, verdict
from bench.results import publish

TARGET_SHARE = 0.5


def collect(python: str, folder: Path) -> list[str]:
    run = subprocess.run([python, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
                         cwd=folder, capture_output=True, text=True, check=True)
    return [line.strip() for line in run.stdout.splitlines() if "::" in line]


def _file_and_name(node_id: str) -> tuple[str, str]:
    path, _, name = node_id.partition("::")
    return Path(path).name, name


def today_of(round1: list[str], today: list[str]) -> tuple[list[str], list[str]]:
    """Round 1's tests in today's suite, and those of round 1 not found there."""
    by_key: dict[tuple[str, str], list[str]] = defaultdict(list)
    by_name: dict[str, list[str]] = defaultdict(list)
    for node_id in today:
        by_key[_file_and_name(node_id)].append(node_id)
        by_name[_file_and_name(node_id)[1]].append(node_id)
    found, missing = [], []
    for node_id in round1:
        same_file = by_key.get(_file_and_name(node_id), [])
        same_name = by_name.get(_file_and_name(node_id)[1], [])
        # moved into a renamed file: the test's name alone, when only one test has it
        match = same_file if len(same_file) == 1 else same_name if len(same_name) == 1 else []
        (found if match else missing).append(match[0] if match else node_id)
    return sorted(set(found)), missing


def timed_pytest(python: str, folder: Path, node_ids: list[str] | None) -> tuple[float, str]:
    args = [python, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    env = dict(os.environ)
    start = time.perf_counter()
    if node_ids is None:
        run = subprocess.run(args, cwd=folder, capture_output=True, text=True, env=env)
    else:
        listing = folder / ".bench-suite-ids"
        listing.write_text("\n".join(node_ids) + "\n")
        try:
            run = subprocess.run([*args, f"@{listing}"], cwd=folder, capture_output=True,
                                 text=True, env=env)
        finally:
            listing.unlink()
    seconds = time.perf_counter() - start
    summary = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr[-300:]
    return seconds, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", type=Path, required=True,
                        help="a checkout of round 1's last commit with its own .venv")
    parser.add_argument("--write", type=Path, help="put the report in this RESULTS.md")
    args = parser.parse_args()
    here = Path.cwd()
    old_python = str(args.baseline / ".venv" / "bin" / "python")
    round1 = collect(old_python, args.baseline)
    found, missing = today_of(round1, collect(sys.executable, here))
    old_s, old_summary = timed_pytest(old_python, args.baseline, None)
    new_s, new_summary = timed_pytest(sys.executable, here, found)
    share = new_s / old_s
    head, base = git("rev-parse", "--short", "HEAD"), git("-C", str(args.baseline), "rev-parse",
                                                         "--short", "HEAD")
    lines = [
        "## Test suite: round 1's tests today, beside round 1's suite (issue 15, part 5)",
        "",
        f"`python -m bench.suite --baseline {args.baseline}` at {head} (baseline {base}),"
        f" {os.cpu_count()} cores, one after the other in one run; SQLite and PostgreSQL.",
        "",
        "| suite | tests | wall time | pytest said |",
        "| --- | --- | --- | --- |",
        f"| round 1, at its commit | {len(round1)} | {old_s:.0f} s | {old_summary} |",
        f"| the same tests today | {len(found)} | {new_s:.0f} s | {new_summary} |",
        "",
        f"Today's share of round 1's time: **{share:.0%}** (target ≤ {TARGET_SHARE:.0%}: "
        f"{verdict(TARGET_SHARE / share)}).",
        f"Round 1's tests not in today's suite ({len(missing)}): "
        + (", ".join(f"`{m}`" for m in missing) if missing else "none") + ".",
    ]
    publish("\n".join(lines), args.write, "suite")


if __name__ == "__main__":
    main()
