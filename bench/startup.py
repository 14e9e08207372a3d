"""Start-up a person notices: how long `infointerview --help` takes, and how long until the
console shows its first line, beside the floor: a bare interpreter importing the three libraries
the console cannot start without (SQLAlchemy, Jinja2, dateparser), measured in the same run.

Each command runs as its own process, warm (after one untimed run: the operating system's file
cache holds the code, Python's bytecode cache holds it compiled, and the console's database
exists), `--runs` times, interleaved so that load from other work on the machine falls on all of
them alike; the table gives medians. The bytecode cache is a folder of this run's own
(``PYTHONPYCACHEPREFIX``), written even where ``PYTHONDONTWRITEBYTECODE`` is set: without it
every start compiles the project's sources again (about 0.2 s), which no installed copy does.

    python -m bench.startup --runs 10 --write bench/RESULTS.md

``--baseline DIR`` also measures `--help` and the console of another checkout of the project (on
``PYTHONPATH``, with this environment's packages), in the same run: a before/after, e.g.

    git worktree add /tmp/before <commit>
    python -m bench.startup --baseline /tmp/before --write bench/RESULTS.md
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench.engine import git, verdict
from bench.results import publish

HELP_LIMIT_S = 0.3
CONSOLE_LIMIT_S = 0.8
CONSOLE_OVER_FLOOR = 1.5
FLOOR_IMPORTS = "import sqlalchemy, jinja2, dateparser"


def infointerview() -> list[str]:
    """The installed `infointerview` script beside this Python, else ``python -m bot.cli``."""
    script = Path(sys.executable).with_name("infointerview")
    return [str(script)] if script.exists() else [sys.executable, "-m", "infointerview"]


@dataclass
class Measured:
    name: str
    command: str
    seconds: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def warm_environment(folder: Path, pythonpath: Path | None = None) -> dict[str, str]:
    """This environment, with a bytecode cache in ``folder`` (and ``pythonpath`` first)."""
    env = {name: value for name, value in os.environ.items()
           if name != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath.resolve())
    return env


def until_exit(argv: list[str], cwd: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def until_first_line(argv: list[str], cwd: Path, env: dict[str, str]) -> float:
    """Seconds until the process prints its first line; then its input is closed (end of input
    ends the console) and it is waited for."""
    started = time.perf_counter()
    with subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) as process:
        assert process.stdout is not None and process.stdin is not None
        first = process.stdout.readline()
        elapsed = time.perf_counter() - started
        process.stdin.close()
        process.stdout.read()
    if not first or process.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} printed nothing or failed "
                           f"(exit {process.returncode})")
    return elapsed


def measure(runs: int, folder: Path, baseline: Path | None = None) -> list[Measured]:
    """The floor, `--help` and the console (and the baseline's), one run of each in turn, after
    a warm-up round."""
    cli = infointerview()
    console = [*cli, "console", "--db", f"sqlite:///{folder / 'startup.db'}"]
    shown = "infointerview" if len(cli) == 1 else "python -m bot.cli"
    env = warm_environment(folder)
    rows: list[tuple[Measured, Callable[[], float]]] = [
        (Measured("interpreter alone", "python -c pass"),
         lambda: until_exit([sys.executable, "-c", "pass"], folder, env)),
        (Measured("floor", f'python -c "{FLOOR_IMPORTS}"'),
         lambda: until_exit([sys.executable, "-c", FLOOR_IMPORTS], folder, env)),
        (Measured("help", f"{shown} --help"),
         lambda: until_exit([*cli, "--help"], folder, env)),
        (Measured("console ready", f"{shown} console --db sqlite:///…/startup.db "
                  "(until its first line)"), lambda: until_first_line(console, folder, env)),
    ]
    if baseline is not None:
        old = warm_environment(folder, baseline)
        old_console = [*cli, "console", "--db", f"sqlite:///{folder / 'baseline.db'}"]
        label = f"baseline (git {git('-C', str(baseline), 'rev-parse', '--short', 'HEAD')})"
        rows += [
            (Measured(f"help, {label}", f"{shown} --help"),
             lambda: until_exit([*cli, "--help"], folder, old)),
            (Measured(f"console ready, {label}", f"{shown} console --db sqlite:///…/baseline.db "
                      "(until its first line)"),
             lambda: until_first_line(old_console, folder, old)),
        ]
    for _, run in rows:  # warm-up: file cache, and the console's database created
        run()
    for _ in range(runs):
        for row, run in rows:
            row.seconds.append(run())
    return [row for row, _ in rows]


def report(results: list[Measured], command: str, load: tuple[float, ...]) -> str:
    by_name = {row.name: row for row in results}
    floor, help_, console = (by_name[name].median for name in ("floor", "help", "console ready"))
    console_limit = min(CONSOLE_LIMIT_S, CONSOLE_OVER_FLOOR * floor)
    runs = len(results[0].seconds)
    lines = [
        "# Start-up benchmark", "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: nproc={len(os.sched_getaffinity(0))}; Python {sys.version.split()[0]}",
        f"- Load average at start / end: {'/'.join(f'{x:.2f}' for x in load)} / "
        f"{'/'.join(f'{x:.2f}' for x in os.getloadavg())}",
        f"- Command: `{command}`",
        f"- Code: git {git('rev-parse', '--short', 'HEAD')}",
        f"- Each command is its own process, run {runs} times warm (after one untimed run each), "
        "the commands interleaved; 'console ready' is the time until the console prints its "
        "first line (its greeting), on an existing SQLite database, with no .env in the folder; "
        "compiled bytecode is cached (in a folder of the run's own), as in any installed copy.",
        "",
        "| run | command | median s | min s | max s |",
        "|---|---|---:|---:|---:|",
    ]
    for row in results:
        lines.append(f"| {row.name} | `{row.command}` | {row.median:.3f} | "
                     f"{min(row.seconds):.3f} | {max(row.seconds):.3f} |")
    lines += [
        "", "| target | figure | verdict |", "|---|---:|---|",
        f"| `infointerview --help` <= {HELP_LIMIT_S} s | {help_:.3f} s | "
        f"{verdict(HELP_LIMIT_S / help_)} |",
        f"| console ready <= {CONSOLE_LIMIT_S} s | {console:.3f} s | "
        f"{verdict(CONSOLE_LIMIT_S / console)} |",
        f"| console ready <= {CONSOLE_OVER_FLOOR}x floor | {console / floor:.2f}x | "
        f"{verdict(CONSOLE_OVER_FLOOR * floor / console)} |",
        "",
        *(["Baseline rows: the same commands on the code of another checkout (`--baseline`), "
           "with this environment's packages; the targets apply to this checkout's rows.", ""]
          if len(results) > 4 else []),
        f"The console's limit in this run: {console_limit:.3f} s (the lower of the two). "
        "The VM is shared (2 cores): other work on it slows every row, so compare a row with "
        "the floor of the same run rather than with another run.",
        "",
        "`--help` imports typer and the standard library only; every command imports what it "
        "needs when it runs, and the Slack and Discord SDKs only in their own commands. Beyond "
        "the floor, the console's first line waits for typer (which imports pydantic to read "
        "the options), SQLAlchemy's ORM and its PostgreSQL and SQLite dialects (the models' "
        "indexes name both), the core's own modules (the journey, cohorts, storage), and "
        "pydantic-settings; then its start reads the database's revision (Alembic is imported "
        "only when there is something to migrate) and prints the greeting. `python -X "
        "importtime` shows the split.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10, help="timed runs of each command")
    parser.add_argument("--baseline", type=Path,
                        help="another checkout of the project to measure beside this one")
    parser.add_argument("--write", type=Path)
    args = parser.parse_args(argv)
    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as folder:
        results = measure(args.runs, Path(folder), args.baseline)
    command = "python -m bench.startup " + " ".join(sys.argv[1:] if argv is None else argv)
    publish(report(results, command.strip(), load), args.write, "startup")


if __name__ == "__main__":
    main()
