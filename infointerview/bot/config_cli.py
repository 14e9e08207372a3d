"""`infointerview check-config`: the effective configuration with secrets masked, and what each
way of running still needs; and the one readable message for settings that do not validate
(``load_settings``, which every command starts with)."""

from __future__ import annotations

import ipaddress
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import typer
from dotenv import dotenv_values
from pydantic import AliasChoices, SecretStr, ValidationError
from pydantic.fields import FieldInfo

from infointerview.bot.settings import Settings
from infointerview.bot.slack_cli import slack_config

MASK = "••••"
SECRET_WORDS = ("token", "secret", "key", "password")
NOT_SET = "(not set)"

# (how it is started, the problems that would stop it); a new mode adds one line here
MODES: tuple[tuple[str, Callable[[Settings], list[str]]], ...] = (
    ("slack --http", lambda s: slack_config(s, socket=False)[1]),
    ("slack --socket", lambda s: slack_config(s, socket=True)[1]),
    ("discord", lambda s: [] if s.discord_token and s.discord_token.get_secret_value().strip()
     else ["DISCORD_TOKEN is missing (Developer Portal → Bot → Reset Token)"]),
)


def env_names(name: str, field: FieldInfo) -> list[str]:
    """The environment variables a setting is read from, the preferred one first."""
    alias = field.validation_alias
    if isinstance(alias, AliasChoices):
        return [choice.upper() for choice in alias.choices if isinstance(choice, str)]
    if isinstance(alias, str):
        return [alias.upper()]
    return [f"{Settings.model_config.get('env_prefix', '')}{name}".upper()]


def mask(secret: str) -> str:
    """``••••`` and, for a secret long enough that it gives nothing away, its last 4 chars."""
    return MASK + secret[-4:] if len(secret) >= 12 else MASK


def _mask_url_password(url: str) -> str:
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return url
    if not password:
        return url
    host = parts.netloc.rpartition("@")[2]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:{MASK}@{host}"))


def shown_value(name: str, value: Any) -> str:
    """How a setting is printed: secrets masked, a URL's password hidden, absence spelt out."""
    if value is None:
        return NOT_SET
    if isinstance(value, SecretStr):
        return mask(value.get_secret_value())
    text = str(value)
    if any(word in name.lower() for word in SECRET_WORDS):
        return mask(text)
    if text == "":
        return "(empty)"
    if "url" in name.lower():
        return _mask_url_password(text)
    return text


def describe_errors(exc: ValidationError) -> str:
    """Every missing or malformed value, each on its own line, named by its variable."""
    lines = []
    for error in exc.errors():
        loc = [str(part) for part in error["loc"]]
        field = Settings.model_fields.get(loc[0]) if loc else None
        name = env_names(loc[0], field)[0] if field is not None and loc else \
            "_".join(loc).upper() or "settings"
        message = "is missing" if error["type"] == "missing" else \
            error["msg"].removeprefix("Value error, ")
        lines.append(f"  - {name}: {message}")
    count = len(lines)
    head = f"infointerview: configuration problem ({count} value{'s' if count != 1 else ''}):"
    return "\n".join([head, *lines])


def read_settings() -> Settings:
    """The settings, or exit 2 with one message naming every problem."""
    try:
        return Settings()
    except ValidationError as exc:
        typer.echo(describe_errors(exc), err=True)
        raise typer.Exit(2) from None


def load_settings() -> Settings:
    """The settings for a command to run with (exit 2 naming every problem), logging set up at
    their level; the one place that reports configuration problems."""
    settings = read_settings()
    logging.basicConfig(level=settings.log_level.upper(), stream=sys.stderr)
    return settings


def _env_file() -> Path | None:
    configured = Settings.model_config.get("env_file")
    if isinstance(configured, str | Path):
        return Path(configured).resolve()
    return None


def _source(names: list[str], dotenv: dict[str, str | None]) -> str:
    environment = {key.upper() for key in os.environ}
    if any(name in environment for name in names):
        return "environment"
    if any(name in dotenv for name in names):
        return ".env"
    return "default"


def check_config() -> None:
    """Show the settings in effect and what each mode still needs. Secrets are masked."""
    settings = read_settings()
    env_file = _env_file()
    dotenv: dict[str, str | None] = {}
    if env_file is not None and env_file.is_file():
        dotenv = {key.upper(): value for key, value in dotenv_values(env_file).items()}
        typer.echo(f"Configuration (from the environment and {env_file}):")
    else:
        where = f"; no .env in {env_file.parent}" if env_file is not None else ""
        typer.echo(f"Configuration (from the environment{where}):")
    rows = []
    for name, field in Settings.model_fields.items():
        names = env_names(name, field)
        rows.append((names[0], shown_value(name, getattr(settings, name)),
                     _source(names, dotenv)))
    width = max(len(row[0]) for row in rows)
    value_width = max(len(row[1]) for row in rows)
    for variable, value, source in rows:
        typer.echo(f"  {variable:<{width}}  {value:<{value_width}}  {source}")
    typer.echo("")
    typer.echo("Modes:")
    mode_width = max(len(label) for label, _ in MODES)
    for label, problems_of in MODES:
        problems = problems_of(settings)
        if not problems:
            typer.echo(f"  {label:<{mode_width}}  ready")
        else:
            typer.echo(f"  {label:<{mode_width}}  cannot start:")
            for problem in problems:
                typer.echo(f"  {'':<{mode_width}}    - {problem}")
    typer.echo("")
    typer.echo(f"Web pages: {web_pages(settings.public_url)}")


def web_pages(public_url: str) -> str:
    """Where `/infointerview dashboard` links point, and whether people can open them."""
    if not public_url:
        return "off (INFOINTERVIEW_PUBLIC_URL is empty: /infointerview dashboard says so)"
    host = urlsplit(public_url).hostname or ""
    try:
        local = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        local = False
    if local:  # the default: right for the console, wrong for a bot others use
        return (f"links point at {public_url}, this computer only; for Slack or Discord, "
                "set INFOINTERVIEW_PUBLIC_URL to the address people open")
    return f"links point at {public_url}"
