"""The reminder dispatcher's way to DM someone on Slack.

``conversations.open`` + ``chat.postMessage``. The reminder's idempotency key rides along as
message metadata; before posting, the DM's history since the reminder fell due is checked for it
(``oldest=``, every page), so a process that reclaims an expired lease after another one already
posted marks it delivered instead of sending it a second time, however many messages the person
typed in between.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from infointerview.adapters.slack.delivery import Delivery
from infointerview.core import ChannelGateway, Message, RateLimited, Undeliverable

METADATA_TYPE = "infointerview_reminder"
HISTORY_PAGE = 200  # Slack's advice for conversations.history; it may send fewer
CLOCK_SKEW = timedelta(minutes=1)  # Slack's clock against ours: look back a little further
UNKNOWN_SINCE = timedelta(hours=1)  # how far back to look when the caller cannot say
GONE = frozenset({"user_not_found", "account_inactive", "user_disabled", "cannot_dm_bot",
                  "channel_not_found", "is_archived", "invalid_auth", "token_revoked",
                  "not_allowed_token_type", "missing_scope", "team_not_found"})

ClientFor = Callable[[str], Awaitable[AsyncWebClient]]


class SlackGateway(ChannelGateway):
    platform = "slack"

    def __init__(self, client_for: ClientFor, delivery: Delivery) -> None:
        self.client_for = client_for  # the workspace's client (one token, or the installation's)
        self.delivery = delivery

    async def send_dm(self, tenant: str, user_id: str, message: Message, *,
                      idempotency_key: str, sent_since: datetime | None = None) -> str:
        """``sent_since``: the earliest moment an earlier copy could have been posted (the
        reminder's due time); history from then on is searched for the key."""
        since = sent_since or datetime.now(UTC) - UNKNOWN_SINCE
        with _delivery_errors(GONE):
            client = await self.client_for(tenant)
            channel = await self.delivery.dm_channel(client, tenant, user_id)
            earlier = await self._already_sent(client, channel, idempotency_key, since)
            return earlier or await self._post(client, channel, message, idempotency_key)

    async def post_to_channel(self, tenant: str, channel_id: str, message: Message, *,
                              idempotency_key: str) -> str:
        """A cohort's digest in its channel (``chat:write.public`` lets the bot post in a public
        channel it has not joined; a private one must invite it)."""
        with _delivery_errors(GONE | {"not_in_channel"}):
            client = await self.client_for(tenant)
            return await self._post(client, channel_id, message, idempotency_key)

    async def _post(self, client: AsyncWebClient, channel: str, message: Message,
                    key: str) -> str:
        metadata = {"event_type": METADATA_TYPE, "event_payload": {"key": key}}
        return ",".join(await self.delivery.post(client, channel, message, metadata))

    async def _already_sent(self, client: AsyncWebClient, channel: str, key: str,
                            since: datetime) -> str:
        """Every message since ``since``, page by page: a copy cannot be older than the
        reminder's due time, and whatever the person typed after it must not hide it."""
        oldest = f"{(since - CLOCK_SKEW).timestamp():.6f}"
        cursor: str | None = None
        while True:
            history = await client.conversations_history(
                channel=channel, oldest=oldest, limit=HISTORY_PAGE, cursor=cursor,
                include_all_metadata=True)
            for item in history.get("messages") or []:
                meta = item.get("metadata") or {}
                if meta.get("event_type") == METADATA_TYPE and \
                        (meta.get("event_payload") or {}).get("key") == key:
                    return f"{channel}/{item.get('ts', '')}"
            cursor = (history.get("response_metadata") or {}).get("next_cursor") or None
            if not (history.get("has_more") and cursor):
                return ""


@contextmanager
def _delivery_errors(gone: frozenset[str]) -> Iterator[None]:
    """Slack's refusals in the dispatcher's terms: 429 → RateLimited, gone → Undeliverable."""
    try:
        yield
    except SlackApiError as exc:
        error = str(exc.response.get("error") or "")
        if exc.response.status_code == 429:
            raise RateLimited(float(exc.response.headers.get("Retry-After", 30))) from exc
        if error in gone:
            raise Undeliverable(error) from exc
        raise
