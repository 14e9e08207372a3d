"""The `infointerview` command.

Start-up is kept short: this module imports only typer and the standard library, and each
command imports the engine, its adapter and its platform's SDK (discord.py, Slack Bolt, aiohttp)
when it runs, so `--help` and the console do not wait for what they never use.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any
from zoneinfo import ZoneInfo

import typer

from infointerview.bot import discord_cli

if TYPE_CHECKING:
    from infointerview.core import SimulatedClock

app = typer.Typer(
    help="infointerview — a coach for informational interviews on Slack, Discord and the console.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,  # click's plain help: rendering it with rich cost 0.2 s of each --help
)


DB_HELP = "Database URL (default: SQLite in your data folder, or INFOINTERVIEW_DATABASE_URL)"
START_HELP = ("Run on a simulated clock from this ISO time (without an offset: wall time in "
              "--tz); /advance 2h moves it")


def local_zone() -> str | None:
    """This computer's IANA time zone (``TZ``, or where /etc/localtime points), if it has one."""
    from infointerview.core.forms import timezone_error

    candidates = [os.environ.get("TZ", "").lstrip(":")]
    localtime = Path("/etc/localtime")
    if localtime.is_symlink():
        target = str(localtime.resolve())
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    return next((zone for zone in candidates if zone and not timezone_error(zone)), None)


def _start_time(value: str | None, zone: ZoneInfo) -> SimulatedClock | None:
    """The simulated clock's start; a time without an offset is wall time in ``zone`` (the
    person's ``--tz``), as they would read it on their own clock."""
    if value is None:
        return None
    from datetime import UTC, datetime

    from infointerview.core import SimulatedClock
    from infointerview.core.journey.timeparse import WindowError, in_zone

    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        typer.echo(f"infointerview: --start-at {value!r} is not an ISO date-time such as "
                   "2026-03-02T09:00", err=True)
        raise typer.Exit(2) from None
    if moment.tzinfo is None:
        try:
            moment = in_zone(moment, zone)
        except WindowError as skipped:
            typer.echo(f"infointerview: --start-at {value!r}: {skipped}", err=True)
            raise typer.Exit(2) from None
    return SimulatedClock(moment.astimezone(UTC))


@app.command()
def console(
    db: Annotated[str | None, typer.Option(help=DB_HELP)] = None,
    user: Annotated[str | None, typer.Option(help="Who you are (default: your OS user)")] = None,
    tz: Annotated[str | None, typer.Option(
        help="Your time zone, e.g. Europe/Berlin (default: this computer's)")] = None,
    channel: Annotated[str | None, typer.Option(help="Act in a named channel, not the DM")] = None,
    start_at: Annotated[str | None, typer.Option(help=START_HELP)] = None,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="Machine mode: JSON lines in/out")] = False,
    files: Annotated[Path | None, typer.Option(
        help="Folder for attachments (.ics, export); default: the current folder")] = None,
) -> None:
    """Chat with the coach in the terminal. SQLite, no tokens needed."""
    import getpass
    import json

    from infointerview.adapters.console.adapter import ConsoleAdapter
    from infointerview.adapters.console.repl import JsonLines, TextChat
    from infointerview.bot.config_cli import load_settings
    from infointerview.bot.container import build_engine
    from infointerview.core import SystemClock
    from infointerview.core.timezones import resolve_timezone, zone_label

    settings = load_settings()
    if tz is not None:  # "Berlin", "US Central" and "CET" work as they do in the forms
        resolved = resolve_timezone(tz)
        if resolved.zone is None:
            hint = (f"; did you mean {', '.join(resolved.suggestions)}?"
                    if resolved.suggestions else "")
            typer.echo(f"infointerview: --tz {tz!r} is not a time zone name such as "
                       f"Europe/Berlin{hint}", err=True)
            raise typer.Exit(2)
        tz = resolved.zone
    zone_name = tz or local_zone()
    zone = ZoneInfo(zone_name or "UTC")
    clock = _start_time(start_at, zone)
    engine = build_engine(settings, database_url=db, clock=clock or SystemClock())
    name = user or getpass.getuser() or "me"
    console = ConsoleAdapter(engine, name, tz=zone_name, channel=channel, clock=clock,
                             files=files if files is not None else Path.cwd())
    if clock is not None and not jsonl:
        start = clock().astimezone(zone)
        typer.echo(f"Simulated clock: {start:%a %d %b %Y %H:%M} {zone_label(start)} "
                   f"({zone.key}); /advance 2h moves it on.")
    lines = iter(sys.stdin)
    if jsonl:
        def write(item: dict[str, Any]) -> None:
            sys.stdout.write(json.dumps(item, ensure_ascii=False) + "\n")
            sys.stdout.flush()

        JsonLines(console, lines, write).run()
    else:
        TextChat(console, lines, sys.stdout, interactive=sys.stdin.isatty(),
                 echo=not sys.stdin.isatty()).run()


@app.command()
def demo() -> None:
    """Watch a scripted informational interview, start to finish. Nothing is kept: it runs on a
    temporary database."""
    import tempfile

    from infointerview.adapters.console.demo import DEMO_START, run_demo
    from infointerview.bot.config_cli import load_settings
    from infointerview.bot.container import build_engine
    from infointerview.core import SimulatedClock

    settings = load_settings()
    with tempfile.TemporaryDirectory() as folder:
        clock = SimulatedClock(DEMO_START)
        engine = build_engine(settings, database_url=f"sqlite:///{Path(folder) / 'demo.db'}",
                              clock=clock)
        run_demo(engine, clock, sys.stdout)
        engine.database.dispose()


@app.command()
def slack(
    http: Annotated[bool, typer.Option("--http", help="Serve Slack's requests over HTTP")] = False,
    socket: Annotated[bool, typer.Option("--socket", help="Connect with Socket Mode")] = False,
    host: Annotated[str, typer.Option(help="Address to listen on")] = "0.0.0.0",
    port: Annotated[int, typer.Option(help="Port for /slack/events and /healthz")] = 3000,
    db: Annotated[str | None, typer.Option(help=DB_HELP)] = None,
) -> None:
    """Run the Slack bot. HTTP for production, Socket Mode for development."""
    from infointerview.bot.config_cli import load_settings
    from infointerview.bot.slack_cli import run_slack

    run_slack(load_settings(), socket=socket, http=http, host=host, port=port, db=db)


@app.command()
def web(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port for /web/, /healthz and /metrics")] = 8080,
    db: Annotated[str | None, typer.Option(help=DB_HELP)] = None,
    user: Annotated[str | None, typer.Option(
        help="First print a sign-in link for this console person")] = None,
) -> None:
    """Serve the web pages (a person's pipeline and network, a coach's cohorts) on their own."""
    from infointerview.bot.config_cli import load_settings
    from infointerview.bot.web_cli import run_web

    run_web(load_settings(), host=host, port=port, db=db, user=user)


@app.command()
def migrate(
    db: Annotated[str | None, typer.Option(help="Database URL (default: from settings)")] = None,
) -> None:
    """Create or upgrade the database tables."""
    from infointerview.bot.config_cli import load_settings
    from infointerview.bot.container import build_engine

    settings = load_settings()
    engine = build_engine(settings, database_url=db, migrate=True)
    typer.echo(f"Database is up to date ({engine.database.dialect}).")


def check_config() -> None:
    """Show the settings in effect and what each mode still needs. Secrets are masked."""
    from infointerview.bot import config_cli

    config_cli.check_config()


app.add_typer(discord_cli.app, name="discord")
app.command("check-config")(check_config)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
