"""The reminder dispatcher's way to DM a Discord user (a ``core.ChannelGateway``).

Each part of a rendered message is sent with a ``nonce`` derived from the idempotency key (and
the part's index); discord.py sends it with ``enforce_nonce``, so a retry after a crash between
"sent" and "marked delivered" gets the existing message back instead of a second copy (Discord
remembers nonces for a few minutes).

Discord's answers, as the dispatcher understands them:

- 403 Forbidden (code 50007 "Cannot send messages to this user": DMs closed, no shared server,
  bot blocked) and 404 (unknown user) -> :class:`Undeliverable`, recorded on the person;
- 429 -> :class:`RateLimited` with Discord's ``retry_after``. discord.py waits out short limits
  itself; the client is built with ``max_ratelimit_timeout`` so long ones come back here;
- anything else (5xx after discord.py's own retries, network errors) propagates and the
  dispatcher backs off.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

import discord

from infointerview.adapters.discord.render import render
from infointerview.adapters.discord.routing import EVERYONE
from infointerview.core import ChannelGateway, Message, RateLimited, Undeliverable

PLATFORM = "discord"
NONCE_MAX = 25
CANNOT_MESSAGE_USER = 50007


def nonce_for(key: str, index: int) -> str:
    """A Discord nonce (at most 25 characters) that is the same for every retry of a part."""
    return hashlib.sha256(f"{key}:{index}".encode()).hexdigest()[:NONCE_MAX]


class DiscordGateway(ChannelGateway):
    platform = PLATFORM

    def __init__(self, client: discord.Client) -> None:
        self.client = client

    async def send_dm(self, tenant: str, user_id: str, message: Message, *,
                      idempotency_key: str, sent_since: datetime | None = None) -> str:
        refs: list[str] = []
        try:
            channel = await self.client.create_dm(discord.Object(int(user_id)))
            for index, outgoing in enumerate(render(message)):
                kwargs: dict[str, Any] = outgoing.send_kwargs(int(user_id))
                sent = await channel.send(**kwargs, nonce=nonce_for(idempotency_key, index))
                refs.append(str(sent.id))
        except discord.Forbidden as exc:
            raise Undeliverable(f"Discord refused the DM ({exc.code}: {exc.text})") from exc
        except discord.NotFound as exc:
            raise Undeliverable(f"Discord does not know this user ({exc.code})") from exc
        except discord.RateLimited as exc:
            raise RateLimited(exc.retry_after) from exc
        except discord.HTTPException as exc:
            if exc.status == 429:
                after = exc.response.headers.get("Retry-After", "5")
                raise RateLimited(float(after)) from exc
            raise
        return ",".join(refs)

    async def post_to_channel(self, tenant: str, channel_id: str, message: Message, *,
                              idempotency_key: str) -> str:
        """A cohort's weekly digest in its channel; buttons there are open to every member."""
        refs: list[str] = []
        try:
            channel = self.client.get_partial_messageable(int(channel_id))
            for index, outgoing in enumerate(render(message)):
                kwargs: dict[str, Any] = outgoing.send_kwargs(EVERYONE)
                sent = await channel.send(**kwargs, nonce=nonce_for(idempotency_key, index))
                refs.append(str(sent.id))
        except (discord.Forbidden, discord.NotFound) as exc:
            raise Undeliverable(f"Discord refused the post ({exc.code}: {exc.text})") from exc
        except discord.RateLimited as exc:
            raise RateLimited(exc.retry_after) from exc
        return ",".join(refs)
