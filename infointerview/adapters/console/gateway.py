"""The reminder dispatcher's way to reach the person at the terminal.

The console has no network to send over: a reminder the dispatcher hands over is kept here as
the effect it came from, and the console adapter shows it when the dispatcher's tick is done.
Going through the dispatcher anyway gives the console the claim, retry and backoff path Slack
and Discord have, so a reminder that fails to be prepared is tried again, not lost or doubled.
"""

from __future__ import annotations

from datetime import datetime

from infointerview.core import ChannelGateway, Message, PostToChannel, SendDM

PLATFORM = "console"
REFERENCE = "console"  # what the audit trail records as the message's reference


class ConsoleGateway(ChannelGateway):
    platform = PLATFORM

    def __init__(self) -> None:
        self._handed_over: list[SendDM | PostToChannel] = []

    async def send_dm(self, tenant: str, user_id: str, message: Message, *,
                      idempotency_key: str, sent_since: datetime | None = None) -> str:
        self._handed_over.append(SendDM(user_id, message))
        return REFERENCE

    async def post_to_channel(self, tenant: str, channel_id: str, message: Message, *,
                              idempotency_key: str) -> str:
        self._handed_over.append(PostToChannel(channel_id, message))  # a cohort's digest
        return REFERENCE

    def take(self) -> list[SendDM | PostToChannel]:
        """What was handed over since the last call, in order; the gateway is then empty."""
        handed_over, self._handed_over = self._handed_over, []
        return handed_over
