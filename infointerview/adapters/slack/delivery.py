"""Effects to Slack Web API calls: modals first (the trigger expires), then messages and files.

Private content only ever goes to the person's DM with the bot; what is said in a channel is an
ephemeral reply that only they see. Profiles (time zone) and DM channel ids are cached per process.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from typing import Any

from slack_bolt.async_app import AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from infointerview.adapters.slack.modals import modal
from infointerview.adapters.slack.render import SlackMessage, render
from infointerview.core import (
    Actor,
    Attachment,
    Effect,
    Message,
    NullObserver,
    Observer,
    OpenForm,
    Place,
    PostToChannel,
    Reply,
    RichText,
    SendDM,
    TextBlock,
)

log = logging.getLogger(__name__)

PROFILE_TTL = 3600.0
PROFILE_WAIT = 1.0
CANNOT_POST_NOT_IN_CHANNEL = ("I could not post in this channel: it is private and I am not in "
                              "it. Invite me (`/invite @infointerview`), then try again.")
CANNOT_POST = "Slack would not let me post in this channel just now; please try again later."
CACHE_SIZE = 10_000


class _Cache(OrderedDict[tuple[str, str], tuple[float, Any]]):
    def get_fresh(self, key: tuple[str, str], ttl: float) -> Any:
        hit = self.get(key)
        if hit is None or time.monotonic() - hit[0] > ttl:
            return None
        self.move_to_end(key)
        return hit[1]

    def put(self, key: tuple[str, str], value: Any) -> None:
        self[key] = (time.monotonic(), value)
        self.move_to_end(key)
        while len(self) > CACHE_SIZE:
            self.popitem(last=False)


class Delivery:
    def __init__(self, observer: Observer | None = None) -> None:
        self._profiles = _Cache()
        self._dms = _Cache()
        self.observer: Observer = observer or NullObserver()

    def refused(self, method: str, exc: SlackApiError) -> None:
        error = str(exc.response.get("error") or exc.response.status_code)
        log.warning("Slack %s failed: %s", method, error)
        self.observer.platform_error("slack", "rate_limited" if exc.response.status_code == 429
                                     else error)

    # --- who and where -----------------------------------------------------------------------

    def cached_tz(self, tenant: str, user_id: str) -> str | None:
        hit = self._profiles.get_fresh((tenant, user_id), PROFILE_TTL)
        return hit[0] if hit else None

    async def profile(self, client: AsyncWebClient, tenant: str,
                      user_id: str) -> tuple[str | None, str, bool]:
        """The person's time zone, name, and whether they administer the workspace, from
        ``users.info``; (None, "", False) if Slack won't say."""
        hit = self._profiles.get_fresh((tenant, user_id), PROFILE_TTL)
        if hit is not None:
            return hit  # type: ignore[no-any-return]
        try:  # bounded: a modal's trigger_id must not expire while we wait for a profile
            reply = await asyncio.wait_for(client.users_info(user=user_id), PROFILE_WAIT)
            user = reply.get("user") or {}
        except SlackApiError as exc:
            self.refused("users.info", exc)
            return None, "", False
        except TimeoutError:
            log.warning("users.info took longer than %s s; going on without it", PROFILE_WAIT)
            return None, "", False
        found = (user.get("tz") or None, str(user.get("real_name") or user.get("name") or ""),
                 bool(user.get("is_admin") or user.get("is_owner")))
        self._profiles.put((tenant, user_id), found)
        return found

    async def dm_channel(self, client: AsyncWebClient, tenant: str, user_id: str) -> str:
        hit = self._dms.get_fresh((tenant, user_id), float("inf"))
        if hit is not None:
            return str(hit)
        channel = str((await client.conversations_open(users=user_id))["channel"]["id"])
        self._dms.put((tenant, user_id), channel)
        return channel

    async def place(self, client: AsyncWebClient, tenant: str, user_id: str,
                    channel_id: str) -> Place:
        """A DM counts as private only when it is the person's DM *with the bot*; a DM between
        two people is treated like a channel, so drafts never show there."""
        if channel_id.startswith("D"):
            try:
                if await self.dm_channel(client, tenant, user_id) == channel_id:
                    return Place(channel_id, True)
            except SlackApiError as exc:
                self.refused("conversations.open", exc)
        return Place(channel_id, False)

    # --- effects -----------------------------------------------------------------------------

    async def deliver(self, client: AsyncWebClient, effects: list[Effect], *, actor: Actor,
                      place: Place, trigger_id: str | None = None,
                      respond: AsyncRespond | None = None) -> None:
        for effect in effects:  # a trigger_id lives about 3 s: modals before anything else
            if isinstance(effect, OpenForm):
                if trigger_id:
                    await client.views_open(trigger_id=trigger_id, view=modal(effect.form, place))
                    trigger_id = None
                else:
                    log.warning("form %s without a trigger; not opened", effect.form.form_id)
        for effect in effects:
            try:
                if isinstance(effect, Reply):
                    await self._reply(client, effect.message, actor, place, respond)
                elif isinstance(effect, SendDM):
                    channel = await self.dm_channel(client, actor.tenant, effect.user_id)
                    await self.post(client, channel, effect.message)
                elif isinstance(effect, PostToChannel):
                    await self.post(client, effect.channel_id,
                                    _without_attachments(effect.message))
            except SlackApiError as exc:  # one failed call must not drop the rest
                self.refused(type(effect).__name__, exc)
                if isinstance(effect, PostToChannel) and not place.is_dm:
                    await self._cannot_post(client, actor, place, respond, exc)

    async def _cannot_post(self, client: AsyncWebClient, actor: Actor, place: Place,
                           respond: AsyncRespond | None, exc: SlackApiError) -> None:
        """Tell the person why the channel post is missing (a private channel without the bot)."""
        error = str(exc.response.get("error") or "")
        text = (CANNOT_POST_NOT_IN_CHANNEL if error in ("not_in_channel", "channel_not_found")
                else CANNOT_POST)
        try:
            await self._reply(client, Message((TextBlock(RichText.bot(text)),)), actor, place,
                              respond)
        except SlackApiError as again:
            self.refused("Reply", again)

    async def _reply(self, client: AsyncWebClient, message: Message, actor: Actor, place: Place,
                     respond: AsyncRespond | None) -> None:
        if place.is_dm:
            await self.post(client, place.channel_id, message)
            return
        for part in render(message):  # only the person sees it
            if respond is not None:
                await respond(text=part.text, blocks=part.blocks, response_type="ephemeral",
                              replace_original=False)
            else:
                await client.chat_postEphemeral(channel=place.channel_id, user=actor.user_id,
                                                text=part.text, blocks=part.blocks)
        if message.attachments:  # files are never shared into a channel
            dm = await self.dm_channel(client, actor.tenant, actor.user_id)
            await self.upload(client, dm, message.attachments)

    async def post(self, client: AsyncWebClient, channel: str, message: Message,
                   metadata: dict[str, Any] | None = None) -> list[str]:
        refs = []
        for part in render(message):
            refs.append(await self._post_part(client, channel, part, metadata))
            metadata = None  # only the first part carries it
        if message.attachments:
            await self.upload(client, channel, message.attachments)
        return refs

    async def _post_part(self, client: AsyncWebClient, channel: str, part: SlackMessage,
                         metadata: dict[str, Any] | None) -> str:
        response = await client.chat_postMessage(channel=channel, text=part.text,
                                                 blocks=part.blocks, unfurl_links=False,
                                                 unfurl_media=False, metadata=metadata)
        return f"{response.get('channel', channel)}/{response.get('ts', '')}"

    async def upload(self, client: AsyncWebClient, channel: str,
                     attachments: tuple[Attachment, ...]) -> None:
        await client.files_upload_v2(
            channel=channel,
            file_uploads=[{"content": a.content, "filename": a.filename, "title": a.filename}
                          for a in attachments])


def _without_attachments(message: Message) -> Message:
    """Channel posts never carry files (exports and calendars are private)."""
    if not message.attachments:
        return message
    note = TextBlock(RichText.bot("(A file was sent to you privately.)"))
    return Message((*message.blocks, note), message.buttons)
