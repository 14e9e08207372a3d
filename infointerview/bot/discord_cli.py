"""``infointerview discord``: run the Discord bot, register its commands, print its invite link.

`infointerview` registers this sub-app whatever command runs, so discord.py, the adapter and the
engine are imported inside the commands, not here: `--help` and the console never load them.
"""

from __future__ import annotations

import base64
import binascii
import signal
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    import discord

    from infointerview.adapters.discord.client import InfoInterviewBot
    from infointerview.bot.settings import Settings

app = typer.Typer(help="The coach as a Discord bot (needs DISCORD_TOKEN).",
                  invoke_without_command=True, no_args_is_help=False, rich_markup_mode=None)

SCOPES = ("bot", "applications.commands")
NO_TOKEN = ("infointerview: DISCORD_TOKEN is not set. Create a bot in the Discord Developer "
            "Portal (Bot -> Reset Token) and export DISCORD_TOKEN=<token>.")
DB_HELP = "Database URL (default: INFOINTERVIEW_DATABASE_URL or SQLite in your data folder)"


def _settings() -> Settings:
    from infointerview.bot.config_cli import (
        load_settings,  # the one place that reports configuration problems
    )

    return load_settings()


def require_token(settings: Settings) -> str:
    token = settings.discord_token.get_secret_value().strip() if settings.discord_token else ""
    if not token:
        typer.echo(NO_TOKEN, err=True)
        raise typer.Exit(2)
    return token


def application_id(settings: Settings) -> int | None:
    """DISCORD_APPLICATION_ID, else the bot's id from the token's first part (base64 of it;
    a bot's user id is its application's id)."""
    if settings.discord_application_id is not None:
        return settings.discord_application_id
    if settings.discord_token is None:
        return None
    first = settings.discord_token.get_secret_value().strip().split(".", 1)[0]
    try:
        decoded = base64.b64decode(first + "=" * (-len(first) % 4), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    return int(decoded) if decoded.isdigit() else None


def permissions() -> discord.Permissions:
    """Interactions and DMs need no permission at all; these cover posting in a channel
    (PostToChannel: text, a field embed, a file) and nothing else."""
    import discord

    return discord.Permissions(view_channel=True, send_messages=True, embed_links=True,
                               attach_files=True)


def invite_url(app_id: int) -> str:
    import discord

    return discord.utils.oauth_url(app_id, permissions=permissions(), scopes=SCOPES)


def _shards(shard_ids: str | None) -> list[int] | None:
    if shard_ids is None:
        return None
    try:
        return [int(part) for part in shard_ids.split(",") if part.strip()]
    except ValueError:
        typer.echo(f"infointerview: --shard-ids {shard_ids!r} should be numbers like 0,1,2",
                   err=True)
        raise typer.Exit(2) from None


@app.callback()
def run(
    ctx: typer.Context,
    db: Annotated[str | None, typer.Option(help=DB_HELP)] = None,
    shard_count: Annotated[int | None, typer.Option(
        help="Total shards across all processes (default: Discord's recommendation)")] = None,
    shard_ids: Annotated[str | None, typer.Option(
        help="The shards this process runs, e.g. 0,1 (needs --shard-count)")] = None,
) -> None:
    """Run the bot: slash commands, buttons, forms and reminder DMs."""
    if ctx.invoked_subcommand is not None:
        return
    import asyncio

    import discord

    from infointerview.adapters.discord.client import InfoInterviewBot
    from infointerview.bot.container import build_engine
    from infointerview.bot.observability import PrometheusObserver, serve_ops, setup_logging

    settings = _settings()
    token = require_token(settings)
    shards = _shards(shard_ids)
    if shards is not None and shard_count is None:
        typer.echo("infointerview: --shard-ids needs --shard-count", err=True)
        raise typer.Exit(2)
    setup_logging(settings.log_level, json_logs=settings.log_format == "json")
    if settings.discord_api_url:
        discord.http.Route.BASE = settings.discord_api_url.rstrip("/")
    observer = PrometheusObserver()
    engine = build_engine(settings, database_url=db, observer=observer)
    bot = InfoInterviewBot(engine, guild_id=settings.discord_guild_id,
                           shard_count=shard_count, shard_ids=shards,
                           dispatcher_interval=settings.reminder_interval)

    async def database() -> str | None:
        await asyncio.to_thread(engine.ping)
        return None

    async def connected() -> str | None:
        return None if bot.is_ready() and not bot.is_closed() else "not connected to Discord"

    async def main() -> None:
        stop_on_signals(bot)
        async with bot:
            ops = (await serve_ops(settings.metrics_port, observer,
                                   {"database": database, "discord": connected})
                   if settings.metrics_port else None)
            try:
                await bot.start(token)  # returns once bot.close() has closed the gateway
            finally:
                if ops is not None:
                    await ops.cleanup()

    try:
        asyncio.run(main())
        engine.database.dispose()
    except KeyboardInterrupt:  # Ctrl-C before the loop's own handler was installed
        pass
    except discord.LoginFailure:
        typer.echo("infointerview: Discord refused DISCORD_TOKEN (reset it in the Developer "
                   "Portal and try again).", err=True)
        raise typer.Exit(2) from None


def stop_on_signals(bot: InfoInterviewBot) -> None:
    """SIGTERM (a deploy, ``docker stop``) and SIGINT (Ctrl-C) close the bot gracefully: the
    reminder DM in flight and the interactions being answered finish, the rest of the claimed
    batch goes back to the queue, the gateway is closed, and the process exits 0. Without this,
    Python's default for SIGTERM ends the process on the spot (exit status -15)."""
    import asyncio

    loop = asyncio.get_running_loop()
    closing: list[asyncio.Task[None]] = []  # kept referenced until done; one close is enough

    def close() -> None:
        if not closing:
            closing.append(loop.create_task(bot.close()))

    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, close)


async def _sync(settings: Settings, token: str) -> tuple[int, str]:
    from infointerview.adapters.discord.client import InfoInterviewBot
    from infointerview.bot.container import build_engine

    engine = build_engine(settings, migrate=False)
    bot = InfoInterviewBot(engine, guild_id=settings.discord_guild_id, run_dispatcher=False,
                           sync_on_start=False, replay_inbox=False)
    try:
        await bot.login(token)
        commands = await bot.sync_commands()
    finally:
        await bot.close()
        engine.database.dispose()
    where = (f"in server {settings.discord_guild_id} (available now)"
             if settings.discord_guild_id is not None
             else "globally (may take up to an hour to appear everywhere)")
    count = sum(len(c.options) for c in commands)
    return count, where


@app.command()
def sync() -> None:
    """Register /infointerview with Discord, then exit. With DISCORD_GUILD_ID: in just that
    server."""
    import asyncio

    import discord

    settings = _settings()
    token = require_token(settings)
    try:
        count, where = asyncio.run(_sync(settings, token))
    except discord.LoginFailure:
        typer.echo("infointerview: Discord refused DISCORD_TOKEN.", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"Registered /infointerview with {count} subcommands {where}.")


@app.command("invite-url")
def invite() -> None:
    """Print the link that adds the bot to a server. Scopes: bot and applications.commands."""
    settings = _settings()
    app_id = application_id(settings)
    if app_id is None:
        typer.echo("infointerview: set DISCORD_APPLICATION_ID (Developer Portal -> General "
                   "Information -> Application ID) or DISCORD_TOKEN.", err=True)
        raise typer.Exit(2)
    typer.echo(invite_url(app_id))
