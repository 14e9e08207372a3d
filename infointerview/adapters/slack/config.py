"""What the Slack adapter is configured with: secrets, tokens, the API's address and the scopes."""

from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_API_URL = "https://slack.com/api/"


@dataclass(frozen=True, slots=True)
class SlackConfig:
    signing_secret: str
    bot_token: str | None = None
    app_token: str | None = None
    api_url: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    token_key: str | None = None  # Fernet key: installations' tokens encrypted at rest
    scopes: tuple[str, ...] = field(default=())
    coaches: frozenset[str] = field(default=frozenset())

    @property
    def base_url(self) -> str:
        url = self.api_url or DEFAULT_API_URL
        return url if url.endswith("/") else url + "/"
