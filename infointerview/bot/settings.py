"""Configuration from the environment (and an optional .env file), validated at start-up."""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from platformdirs import user_data_dir
from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_database_url() -> str:
    return f"sqlite:///{Path(user_data_dir('infointerview')) / 'infointerview.db'}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="INFOINTERVIEW_", env_file=".env",
                                      env_file_encoding="utf-8", extra="ignore")

    database_url: str = Field(default_factory=default_database_url,
                              description="SQLAlchemy URL; SQLite file or postgresql://…")
    templates_dir: Path | None = Field(
        default=None, description="Folder whose *.j2 files and questions.toml override ours")
    career_office_name: str = Field(default="your career office",
                                    description="Shown where users want practice or ideas")
    career_office_contact: str = Field(default="", description="E-mail or link of that office")
    log_level: str = Field(default="WARNING", description="Python logging level")
    log_format: Literal["json", "text"] = Field(
        default="json", description="Logs of the bot processes: JSON lines, or plain text")
    metrics_port: int = Field(default=9100, ge=0, le=65535,
                              description="Port of /healthz, /readyz and /metrics for Discord "
                              "and Socket Mode (0: none); Slack over HTTP serves them on its "
                              "own port")

    # Slack: the names Slack's own tools use, with or without our prefix
    slack_bot_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_BOT_TOKEN",
                                                    "INFOINTERVIEW_SLACK_BOT_TOKEN"),
        description="Bot token (xoxb-…) for a single workspace")
    slack_signing_secret: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_SIGNING_SECRET",
                                                    "INFOINTERVIEW_SLACK_SIGNING_SECRET"),
        description="Signing secret: verifies that requests come from Slack")
    slack_app_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_APP_TOKEN",
                                                    "INFOINTERVIEW_SLACK_APP_TOKEN"),
        description="App-level token (xapp-…) for Socket Mode")
    slack_api_url: str | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_API_URL",
                                                    "INFOINTERVIEW_SLACK_API_URL"),
        description="Web API base URL (a proxy, or a local stand-in for tests)")
    slack_client_id: str | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_CLIENT_ID",
                                                    "INFOINTERVIEW_SLACK_CLIENT_ID"),
        description="OAuth client id: install in many workspaces")
    slack_client_secret: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_CLIENT_SECRET",
                                                    "INFOINTERVIEW_SLACK_CLIENT_SECRET"),
        description="OAuth client secret")
    token_key: SecretStr | None = Field(
        default=None, description="Fernet key that encrypts installations' tokens at rest")
    coaches: str = Field(default="", description="Comma-separated user ids who may make a "
                         "channel a cohort, besides workspace admins (Slack)")
    reminder_interval: float = Field(default=15.0, gt=0,
                                     description="Seconds between reminder ticks")

    # --- the web pages: signed in with a one-time link from the chat ----------------------------
    public_url: str = Field(
        default="http://127.0.0.1:8080",
        description="The address people open the web pages at (https behind a reverse proxy "
                    "in production); empty: no web pages, and /infointerview dashboard says so")
    web_secret: SecretStr | None = Field(
        default=None, description="Key that signs sign-in links (default: one the installation "
                                  "makes once and keeps in its database)")

    @field_validator("public_url")
    @classmethod
    def _web_address(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if not value:
            return value
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"{value!r} is not an http:// or https:// address")
        if parts.query or parts.fragment:
            raise ValueError(f"{value!r} should be an address without ? or #")
        return value

    @field_validator("templates_dir")
    @classmethod
    def _folder_exists(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_dir():
            raise ValueError(f"{value} is not a folder")
        return value

    # --- Discord: read as Discord's own docs name them (no INFOINTERVIEW_ prefix needed) ---------
    discord_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("DISCORD_TOKEN", "INFOINTERVIEW_DISCORD_TOKEN"),
        description="The bot token from the Developer Portal (Bot -> Reset Token)")
    discord_guild_id: int | None = Field(
        default=None,
        validation_alias=AliasChoices("DISCORD_GUILD_ID", "INFOINTERVIEW_DISCORD_GUILD_ID"),
        description="A server to register the commands in at once (development)")
    discord_application_id: int | None = Field(
        default=None, validation_alias=AliasChoices("DISCORD_APPLICATION_ID",
                                                    "INFOINTERVIEW_DISCORD_APPLICATION_ID"),
        description="The application id (default: read from the token)")
    discord_api_url: str | None = Field(
        default=None, validation_alias=AliasChoices("DISCORD_API_URL",
                                                    "INFOINTERVIEW_DISCORD_API_URL"),
        description="REST API base URL, e.g. https://discord.com/api/v10 (a proxy, or a local "
                    "stand-in for tests; the gateway's address comes from it)")
