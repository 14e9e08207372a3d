"""Configuration from the environment (and an optional .env file), validated at start-up."""

from __future__ import annotations

from pathlib import Path

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
