"""Installing the app in many workspaces: slack_sdk's SQLAlchemy stores on our database, with every
token encrypted at rest (Fernet, key from settings).

The stores' tables are created by our own Alembic migration (0004), not by the stores. slack_sdk's
SQLAlchemy stores are synchronous; they run in a worker thread behind Bolt's async interfaces.
"""

from __future__ import annotations

import asyncio
import copy
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

from infointerview.adapters.slack.config import SlackConfig
from infointerview.core import Database

# Only what the bot uses: the slash command, DMs (open, post, read for notes and idempotency),
# App Home, users' time zones, file uploads, ephemeral replies in channels, and a cohort's posts
# (its Join button, the weekly digest) in a public channel the bot was not invited to.
BOT_SCOPES = ("commands", "chat:write", "chat:write.public", "im:write", "im:history",
              "users:read", "files:write")
STATE_EXPIRY_SECONDS = 600
_SECRET_FIELDS = ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token")


class TokenCipher:
    """``key`` may list several comma-separated keys: the first encrypts, any of them decrypts,
    so a key can be rotated without downtime (add the new one first, re-encrypt, drop the old)."""

    def __init__(self, key: str) -> None:
        self._fernet = MultiFernet([Fernet(k.strip().encode()) for k in key.split(",")
                                    if k.strip()])

    def seal(self, value: str | None) -> str | None:
        return self._fernet.encrypt(value.encode()).decode() if value else value

    def open(self, value: str | None) -> str | None:
        if not value:
            return value
        try:
            return self._fernet.decrypt(value.encode()).decode()
        except InvalidToken:
            raise ValueError("a stored Slack token cannot be decrypted with the configured "
                             "INFOINTERVIEW_TOKEN_KEY (was the key rotated?)") from None


def _with(item: Any, cipher_step: Any) -> Any:
    changed = copy.copy(item)
    for name in _SECRET_FIELDS:
        if hasattr(changed, name):
            setattr(changed, name, cipher_step(getattr(changed, name)))
    return changed


class EncryptedInstallationStore(AsyncInstallationStore):
    """slack_sdk's SQLAlchemy installation store, tokens sealed before they reach the table."""

    def __init__(self, store: SQLAlchemyInstallationStore, cipher: TokenCipher) -> None:
        self.store = store
        self.cipher = cipher

    @property
    def logger(self) -> Any:
        return self.store.logger

    async def async_save(self, installation: Installation) -> None:
        await asyncio.to_thread(self.store.save, _with(installation, self.cipher.seal))

    async def async_save_bot(self, bot: Bot) -> None:
        await asyncio.to_thread(self.store.save_bot, _with(bot, self.cipher.seal))

    async def async_find_bot(self, *, enterprise_id: str | None, team_id: str | None,
                             is_enterprise_install: bool | None = False) -> Bot | None:
        bot = await asyncio.to_thread(self.store.find_bot, enterprise_id=enterprise_id,
                                      team_id=team_id,
                                      is_enterprise_install=is_enterprise_install)
        return _with(bot, self.cipher.open) if bot else None

    async def async_find_installation(self, *, enterprise_id: str | None, team_id: str | None,
                                      user_id: str | None = None,
                                      is_enterprise_install: bool | None = False,
                                      ) -> Installation | None:
        found = await asyncio.to_thread(self.store.find_installation,
                                        enterprise_id=enterprise_id, team_id=team_id,
                                        user_id=user_id,
                                        is_enterprise_install=is_enterprise_install)
        return _with(found, self.cipher.open) if found else None

    async def async_delete_bot(self, *, enterprise_id: str | None,
                               team_id: str | None) -> None:
        await asyncio.to_thread(self.store.delete_bot, enterprise_id=enterprise_id,
                                team_id=team_id)

    async def async_delete_installation(self, *, enterprise_id: str | None,
                                        team_id: str | None,
                                        user_id: str | None = None) -> None:
        await asyncio.to_thread(self.store.delete_installation, enterprise_id=enterprise_id,
                                team_id=team_id, user_id=user_id)


class ThreadedStateStore(AsyncOAuthStateStore):
    def __init__(self, store: SQLAlchemyOAuthStateStore) -> None:
        self.store = store

    @property
    def logger(self) -> Any:
        return self.store.logger

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        return await asyncio.to_thread(self.store.issue)

    async def async_consume(self, state: str) -> bool:
        return await asyncio.to_thread(self.store.consume, state)


def oauth_settings(config: SlackConfig, database: Database) -> AsyncOAuthSettings:
    assert config.client_id and config.client_secret and config.token_key
    store = EncryptedInstallationStore(
        SQLAlchemyInstallationStore(config.client_id, engine=database.engine),
        TokenCipher(config.token_key))
    states = ThreadedStateStore(SQLAlchemyOAuthStateStore(STATE_EXPIRY_SECONDS,
                                                          engine=database.engine))
    return AsyncOAuthSettings(client_id=config.client_id, client_secret=config.client_secret,
                              scopes=list(config.scopes or BOT_SCOPES),
                              installation_store=store, state_store=states,
                              install_path="/slack/install",
                              redirect_uri_path="/slack/oauth_redirect")
