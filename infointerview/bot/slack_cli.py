"""`infointerview slack`: check the Slack settings, then serve over HTTP or Socket Mode.

Slack Bolt, aiohttp, cryptography and the engine are imported where they are used, so that
`check-config` and the console (which read the settings through ``bot.config_cli``) do not load
them.
"""

from __future__ import annotations

from urllib.parse import urlparse

import typer

from infointerview.adapters.slack.config import SlackConfig
from infointerview.bot.settings import Settings


def _secret(value: object) -> str | None:
    text = value.get_secret_value() if hasattr(value, "get_secret_value") else value
    return str(text).strip() or None if text else None


def slack_config(settings: Settings, *, socket: bool) -> tuple[SlackConfig | None, list[str]]:
    """The adapter's configuration, or every problem with it (named, so it can be fixed)."""
    bot_token = _secret(settings.slack_bot_token)
    secret = _secret(settings.slack_signing_secret)
    app_token = _secret(settings.slack_app_token)
    client_id = (settings.slack_client_id or "").strip() or None
    client_secret = _secret(settings.slack_client_secret)
    token_key = _secret(settings.token_key)
    problems: list[str] = []
    if bot_token and not bot_token.startswith("xoxb-"):
        problems.append("SLACK_BOT_TOKEN should be a bot token starting with xoxb-")
    if socket:
        if not app_token:
            problems.append("SLACK_APP_TOKEN is missing (an app-level xapp- token with "
                            "connections:write; Socket Mode needs it)")
        elif not app_token.startswith("xapp-"):
            problems.append("SLACK_APP_TOKEN should be an app-level token starting with xapp-")
        if not bot_token:
            problems.append("SLACK_BOT_TOKEN is missing (Socket Mode serves one workspace)")
    else:
        if not secret:
            problems.append("SLACK_SIGNING_SECRET is missing (Basic Information → App "
                            "Credentials)")
        if not bot_token:
            missing = [name for name, value in (("SLACK_CLIENT_ID", client_id),
                                                ("SLACK_CLIENT_SECRET", client_secret),
                                                ("INFOINTERVIEW_TOKEN_KEY", token_key))
                       if not value]
            if len(missing) == 3:
                problems.append("SLACK_BOT_TOKEN is missing (or, to install in many "
                                "workspaces, SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and "
                                "INFOINTERVIEW_TOKEN_KEY)")
            elif missing:
                problems.append(f"{', '.join(missing)} missing: installing in many "
                                "workspaces needs all three")
            if token_key and not _valid_fernet(token_key):
                problems.append("INFOINTERVIEW_TOKEN_KEY is not a Fernet key (make one with: "
                                "python -c 'from cryptography.fernet import Fernet; "
                                "print(Fernet.generate_key().decode())')")
    url = settings.slack_api_url
    if url and (urlparse(url).scheme not in ("http", "https") or not urlparse(url).netloc):
        problems.append(f"SLACK_API_URL {url!r} is not an http(s) URL")
    if problems:
        return None, problems
    return SlackConfig(signing_secret=secret or "", bot_token=bot_token, app_token=app_token,
                       api_url=url, client_id=client_id, client_secret=client_secret,
                       token_key=token_key,
                       coaches=frozenset(c.strip() for c in settings.coaches.split(",")
                                         if c.strip())), []


def _valid_fernet(keys: str) -> bool:
    """One Fernet key, or several separated by commas (the first encrypts)."""
    from cryptography.fernet import Fernet

    try:
        for key in keys.split(","):
            Fernet(key.strip().encode())
    except ValueError:
        return False
    return True


def run_slack(settings: Settings, *, socket: bool, http: bool, host: str, port: int,
              db: str | None) -> None:
    import asyncio

    from infointerview.adapters.slack.server import SlackRuntime
    from infointerview.bot.container import build_engine
    from infointerview.bot.observability import (
        PrometheusObserver,
        add_ops_routes,
        serve_ops,
        setup_logging,
    )

    if socket == http:
        typer.echo("infointerview slack: choose one of --http or --socket", err=True)
        raise typer.Exit(2)
    config, problems = slack_config(settings, socket=socket)
    if config is None:
        typer.echo("infointerview slack: cannot start:\n  - " + "\n  - ".join(problems),
                   err=True)
        raise typer.Exit(2)
    setup_logging(settings.log_level, json_logs=settings.log_format == "json")
    observer = PrometheusObserver()
    engine = build_engine(settings, database_url=db, observer=observer)
    runtime = SlackRuntime(engine, config, database=engine.database,
                           reminder_interval=settings.reminder_interval)

    async def database() -> str | None:
        await asyncio.to_thread(engine.ping)
        return None

    if socket:
        async def connected() -> str | None:
            client = getattr(runtime.socket_handler, "client", None)
            return None if client is not None and await client.is_connected() \
                else "not connected to Slack"

        checks = {"database": database, "slack": connected}

        async def ops() -> None:
            if settings.metrics_port:
                await serve_ops(settings.metrics_port, observer, checks)

        asyncio.run(runtime.serve_socket_mode(on_start=ops))
    else:
        pages = None
        if settings.public_url:  # the web pages under /web/ on the same port
            from infointerview.adapters.web import web_app
            from infointerview.bot.container import build_access
            from infointerview.bot.web_cli import build_insights

            pages = web_app(build_access(settings, engine.database), build_insights(engine),
                            observer=observer)
        app = runtime.web_app(pages=pages)
        add_ops_routes(app, observer, {"database": database, "slack": runtime.slack_reachable})
        typer.echo(f"infointerview: Slack over HTTP on http://{host}:{port}/slack/events"
                   + (f"; web pages at {settings.public_url}/web/" if pages else ""))
        runtime.serve_http(host, port, app)
