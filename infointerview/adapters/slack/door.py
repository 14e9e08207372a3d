"""The door of ``/slack/events``: a request is read and checked here before Bolt sees it.

Bolt parses the body in its request's constructor and trusts the payload's shape in its
middleware and in our listeners; a signed but malformed body (a ``payload=`` that is not a JSON
object, ``actions: []``, a ``view_submission`` without a user, bytes that are not UTF-8) used to
end in an exception and an HTTP 500. Here every such request gets a 4xx, is never dispatched (so
nothing is stored and no Web API call is made), and leaves one WARNING line naming the problem.

The checks are the fields our listeners and Bolt's context builders read, with the types Slack
sends; anything else in a payload is left alone. A malformed request whose signature is not valid
is answered 401, as Bolt answers unsigned requests: who cannot sign learns nothing about parsing.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import time
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web
from slack_bolt.request.async_request import AsyncBoltRequest

from infointerview.adapters.slack.modals import CALLBACK_ID
from infointerview.adapters.slack.render import ACTION_PREFIX

log = logging.getLogger(__name__)

COMMAND = "/infointerview"
# Slack's ids (users, channels, teams, views, triggers, action ids) are short printable ASCII;
# Block Kit caps action_id at 255 characters.
SLACK_ID = re.compile(r"[\x21-\x7e]{1,255}")
INTERACTIVE_TYPES = ("block_actions", "view_submission", "view_closed")
SIGNATURE_MAX_AGE = 300  # seconds, as Slack's own verifiers allow

Body = dict[str, Any]


class Malformed(ValueError):
    """What is wrong with a request, in words fit for one log line."""


def _object(value: Any, where: str) -> Body:
    if not isinstance(value, dict):
        raise Malformed(f"{where} is {_kind(value)}, not an object")
    return value


def _kind(value: Any) -> str:
    return "missing" if value is None else f"a JSON {type(value).__name__}"


def _id(container: Body, key: str, where: str = "", *, required: bool = True) -> None:
    value = container.get(key)
    name = f"{where}{key}"
    if value is None and not required:
        return
    if not isinstance(value, str) or not SLACK_ID.fullmatch(value):
        raise Malformed(f"{name} is {_describe(value)}, not a Slack id")


def _describe(value: Any) -> str:
    if value is None or value == "":
        return "missing"
    if isinstance(value, str):
        return f"{len(value)} characters long" if len(value) > 255 \
            else "text with spaces, control or non-ASCII characters"
    return _kind(value)


def _text(container: Body, key: str, where: str = "") -> None:
    value = container.get(key)
    if value is not None and not isinstance(value, str):
        raise Malformed(f"{where}{key} is {_kind(value)}, not text")


def _optional_object(container: Body, key: str, where: str = "") -> Body:
    value = container.get(key)
    return {} if value is None else _object(value, f"{where}{key}")


# --- reading the body ----------------------------------------------------------------------------

def read_body(raw: bytes, content_type: str) -> Body:
    """The body as Bolt will parse it (JSON, or a form with or without ``payload=``), refusing
    what Bolt would choke on."""
    if not raw.strip():
        raise Malformed("the body is empty")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Malformed("the body is not UTF-8") from None
    # Bolt's rule (slack_bolt.request.internals.parse_body): JSON when declared or when it looks so
    if content_type == "application/json" or text.startswith("{"):
        return _object(_json(text, "the JSON body"), "the JSON body")
    try:
        form = dict(parse_qsl(text, keep_blank_values=True, errors="strict"))
    except UnicodeDecodeError:
        raise Malformed("a form field is not UTF-8 once percent-decoded") from None
    if "payload" in form:
        return _object(_json(form["payload"], "payload"), "payload")
    if "command" in form or "ssl_check" in form:
        return form
    raise Malformed("a form body with neither a command nor a payload")


def _json(text: str, where: str) -> Any:
    try:
        return json.loads(text)
    except RecursionError:
        raise Malformed(f"{where} is JSON nested too deeply") from None
    except ValueError as exc:
        raise Malformed(f"{where} is not valid JSON ({type(exc).__name__})") from None


# --- checking its shape --------------------------------------------------------------------------

def check(body: Body) -> None:
    """Raise :class:`Malformed` unless the payload has what the listeners rely on."""
    if "ssl_check" in body and "command" not in body:
        return  # Bolt answers Slack's SSL check itself
    if "command" in body:
        _check_command(body)
        return
    kind = body.get("type")
    if not isinstance(kind, str):
        raise Malformed(f"the payload's type is {_kind(kind)}")
    _check_envelope(body)
    if kind == "url_verification":
        _text(body, "challenge")
        if not body.get("challenge"):
            raise Malformed("url_verification without a challenge")
    elif kind == "event_callback":
        _check_event(body)
    elif kind in INTERACTIVE_TYPES:
        user = _object(body.get("user"), f"{kind}: user")
        _id(user, "id", f"{kind}: user.")
        if kind == "block_actions":
            _check_actions(body)
        else:
            _check_view(kind, _object(body.get("view"), f"{kind}: view"))
    else:
        raise Malformed(f"the payload's type {kind[:40]!r} is not one this bot handles")


def _check_command(form: Body) -> None:
    if form.get("command") != COMMAND:
        raise Malformed(f"slash command: command is not {COMMAND}")
    for key in ("user_id", "channel_id", "trigger_id", "team_id"):
        _id(form, key, "slash command: ")
    if not str(form.get("response_url") or "").startswith(("https://", "http://")):
        raise Malformed("slash command: response_url is missing or not a URL")


def _check_envelope(body: Body) -> None:
    """The fields Bolt reads from any payload to find the workspace (its context builders)."""
    for key in ("team", "enterprise"):
        value = body.get(key)
        if isinstance(value, dict):
            _id(value, "id", f"{key}.", required=False)
        elif value is not None and not isinstance(value, str):
            raise Malformed(f"{key} is {_kind(value)}")
    for key in ("team_id", "enterprise_id", "api_app_id"):
        _id(body, key, required=False)
    authorizations = body.get("authorizations")
    if authorizations is not None and not (
            isinstance(authorizations, list)
            and all(isinstance(a, dict) for a in authorizations)):
        raise Malformed(f"authorizations is {_kind(authorizations)}, not a list of objects")


def _check_event(body: Body) -> None:
    event = _object(body.get("event"), "event_callback: event")
    kind = event.get("type")
    if not isinstance(kind, str) or not kind:
        raise Malformed(f"event_callback: event.type is {_kind(kind)}")
    _id(body, "event_id", "event_callback: ", required=False)
    if kind == "message":
        _id(event, "channel", "message: event.")
        _id(event, "user", "message: event.", required=False)
        for key in ("text", "subtype", "channel_type", "bot_id", "ts"):
            _text(event, key, "message: event.")
    elif kind == "app_home_opened":
        _id(event, "user", "app_home_opened: event.")
        _text(event, "tab", "app_home_opened: event.")


def _check_actions(body: Body) -> None:
    actions = body.get("actions")
    if not isinstance(actions, list) or not actions:
        raise Malformed(f"block_actions: actions is {_kind(actions) if actions != [] else 'empty'}"
                        ", not a list of actions")
    for index, action in enumerate(actions):
        where = f"block_actions: actions[{index}]"
        action = _object(action, where)
        _id(action, "action_id", f"{where}.")
        if not action["action_id"].startswith(ACTION_PREFIX):
            raise Malformed(f"{where}.action_id is not one of this bot's buttons")
        _text(action, "value", f"{where}.")
        _text(action, "action_ts", f"{where}.")
    _id(body, "trigger_id", "block_actions: ", required=False)
    _id(_optional_object(body, "channel", "block_actions: "), "id", "block_actions: channel.",
        required=False)
    _id(_optional_object(body, "container", "block_actions: "), "channel_id",
        "block_actions: container.", required=False)


def _check_view(kind: str, view: Body) -> None:
    where = f"{kind}: view."
    _id(view, "id", where)
    if view.get("callback_id") != CALLBACK_ID:
        raise Malformed(f"{where}callback_id is not this bot's form")
    _text(view, "hash", where)
    _text(view, "private_metadata", where)
    if kind != "view_submission":
        return
    state = _object(view.get("state"), f"{where}state")
    values = _object(state.get("values"), f"{where}state.values")
    for block in values.values():
        if not isinstance(block, dict) or not all(isinstance(a, dict) for a in block.values()):
            raise Malformed(f"{where}state.values holds {_kind(block)} for a block, not "
                            "an object of actions")


# --- the signature -------------------------------------------------------------------------------

def signed_by_slack(raw: bytes, headers: Any, secret: str, now: float | None = None) -> bool:
    """Slack's request signature, computed over the bytes as sent (slack_sdk's verifier decodes
    the body as UTF-8 first, and bytes that are not UTF-8 are exactly what is being refused)."""
    timestamp = str(headers.get("X-Slack-Request-Timestamp", ""))
    try:
        age = abs((time.time() if now is None else now) - int(timestamp))
    except ValueError:
        return False
    if age > SIGNATURE_MAX_AGE:
        return False
    digest = hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + raw,
                      hashlib.sha256).hexdigest()
    return hmac.compare_digest(f"v0={digest}", str(headers.get("X-Slack-Signature", "")))


# --- the door ------------------------------------------------------------------------------------

async def admit(request: web.Request, signing_secret: str) -> AsyncBoltRequest:
    """The request as Bolt's, or an HTTP error (4xx) after one WARNING line."""
    try:
        raw = await request.read()
    except web.HTTPRequestEntityTooLarge:
        log.warning("Refused a Slack request: the body is too large (HTTP 413)")
        raise
    try:
        check(read_body(raw, request.content_type))
        return _bolt_request(raw, request)
    except Malformed as problem:
        if not signed_by_slack(raw, request.headers, signing_secret):
            log.info("Refused an unsigned Slack request")
            raise web.HTTPUnauthorized(text='{"error": "invalid request"}',
                                       content_type="application/json") from None
        log.warning("Refused a malformed Slack request (HTTP 400): %s", problem)
        raise web.HTTPBadRequest(text='{"error": "malformed request"}',
                                 content_type="application/json") from None


def _bolt_request(raw: bytes, request: web.Request) -> AsyncBoltRequest:
    """Bolt parses the body again and builds its context from it: the last reader that could
    still choke on a shape the checks above let through."""
    try:
        return AsyncBoltRequest(body=raw.decode("utf-8"), query=request.query_string,
                                headers=request.headers)  # type: ignore[arg-type]
    except (AttributeError, IndexError, KeyError, TypeError, ValueError) as exc:
        raise Malformed(f"Slack's library could not read the payload ({type(exc).__name__})"
                        ) from None
