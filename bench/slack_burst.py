"""Slack over HTTP in a burst: N people type the command at once (a workshop), measured
against a bare slack-bolt AsyncApp that acks and answers directly, on the same Web API stand-in,
in the same run. Started through ``python -m bench.slack_http --burst N`` (see there).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import psycopg
from aiohttp import web

from bench.engine import database_url, git, verdict
from bench.results import publish
from bench.slack_http import _process, bot_server
from tests.slack_support import SIGNING_SECRET, SlackStandIn, free_port, serve, sign

# --- burst mode: everyone types the command at once ---------------------------------------------

BARE_BURST = """
import sys
import aiohttp
from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

app = AsyncApp(signing_secret=sys.argv[2], token="xoxb-bench",
               client=AsyncWebClient(token="xoxb-bench", base_url=sys.argv[3]))
VIEW = {"type": "modal", "callback_id": "bench", "title": {"type": "plain_text", "text": "Profile"},
        "submit": {"type": "plain_text", "text": "Save"},
        "blocks": [{"type": "input", "block_id": "name", "label": {"type": "plain_text",
                    "text": "Your name"}, "element": {"type": "plain_text_input",
                    "action_id": "value"}}]}

@app.command("/infointerview")
async def ack_then_answer(ack, body, client, respond):
    await ack()
    if str(body.get("text") or "").startswith("start"):
        await client.views_open(trigger_id=body["trigger_id"], view=VIEW)
    else:
        await respond(text="Noted.", response_type="ephemeral", replace_original=False)

async def one_session(_app):  # keep-alive Web API calls, as infointerview has
    app.client.session = aiohttp.ClientSession()

web_app = app.web_app()
web_app.on_startup.append(one_session)
web.run_app(web_app, host="127.0.0.1", port=int(sys.argv[1]), print=None)
"""
TRIGGER_EXPIRY_S = 3.0
BURST_CHANNEL = "C0WORKSHOP"  # notes are typed in the workshop's channel: ephemeral answers
BURST_TEAM = "T0BENCH"
NOT_SAVED_MARK = "couldn't save"  # the engine's answer when it missed its 2 s deadline


class BurstRecorder(SlackStandIn):
    """The stand-in, noting when the answer each burst request waits for arrives: the
    ``views.open`` of its trigger, or its ephemeral reply (via its ``response_url``, or
    ``chat.postEphemeral`` keyed by channel and user)."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: dict[str, float] = {}
        self.answered: dict[str, float] = {}
        self.counts: dict[str, int] = {}
        self.not_saved: set[str] = set()  # answers saying "I couldn't save that just now"

    def _answer(self, method: str, p: dict[str, Any]) -> dict[str, Any]:
        now = time.perf_counter()
        self.counts[method] = self.counts.get(method, 0) + 1
        if method == "views.open":
            self.opened.setdefault(str(p.get("trigger_id")), now)
        elif method == "chat.postEphemeral":
            key = f"ephemeral:{p.get('channel')}:{p.get('user')}"
            self.answered.setdefault(key, now)
            if NOT_SAVED_MARK in json.dumps(p, ensure_ascii=False):
                self.not_saved.add(key)
        self.calls.clear()  # keep memory flat
        self.posts.clear()
        return super()._answer(method, p)

    async def _respond(self, request: web.Request) -> web.Response:
        self.answered.setdefault(request.match_info["id"], time.perf_counter())
        self.counts["response_url"] = self.counts.get("response_url", 0) + 1
        if NOT_SAVED_MARK in await request.text():
            self.not_saved.add(request.match_info["id"])
        return web.json_response({"ok": True})


@dataclass
class Burst:
    server: str
    kind: str  # "start" or "note"
    repeat: int
    waits: list[float] = field(default_factory=list)  # request sent -> answer at the stand-in
    acks: list[float] = field(default_factory=list)
    errors: int = 0
    missing: int = 0  # no answer within the wait
    n: int = 0
    cpu_s: float = 0.0  # the server process's CPU time (all its threads) over the burst
    overflows: int = 0  # connections the kernel dropped from a full listen queue (SYN retried)
    not_saved: int = 0  # answered "I couldn't save that just now" (a start one opens no modal)

    def pct(self, values: list[float], q: float) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0.0

    @property
    def in_time(self) -> int:
        return sum(1 for w in self.waits if w <= TRIGGER_EXPIRY_S)


def _burst_body(api: BurstRecorder, user: str, text: str, channel: str, trigger: str) -> str:
    return urllib.parse.urlencode({
        "token": "legacy", "team_id": BURST_TEAM, "team_domain": "bench",
        "channel_id": channel, "channel_name": "directmessage" if channel.startswith("D")
        else "workshop", "user_id": user, "user_name": user.lower(),
        "command": "/infointerview", "text": text, "api_app_id": "A0APP",
        "is_enterprise_install": "false", "trigger_id": trigger,
        "response_url": f"{api.base}/respond/{trigger}"})


async def _burst(url: str, api: BurstRecorder, result: Burst, users: list[str],
                 wait_s: float) -> Burst:
    """All of ``users`` send their command at the same moment (each on its own connection,
    as Slack's senders are), then wait up to ``wait_s`` for every answer."""
    start = result.kind == "start"
    sends: dict[str, float] = {}
    prepared = []
    alias: dict[str, str] = {}
    for user in users:
        trigger = f"{result.kind}-{user}-{time.time_ns()}"
        text = "start" if start else "note 1 Met them at the workshop: hiring opens in spring."
        channel = f"D{user}" if start else BURST_CHANNEL
        body = _burst_body(api, user, text, channel, trigger).encode()
        prepared.append((trigger, body))
        alias[trigger] = f"ephemeral:{channel}:{user}"  # if answered by chat.postEphemeral
    result.n = len(users)
    go = asyncio.Event()
    connector = aiohttp.TCPConnector(limit=0, force_close=True)

    async def one(session: aiohttp.ClientSession, key: str, body: bytes) -> None:
        headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body)}
        await go.wait()
        sent = time.perf_counter()
        sends[key] = sent
        try:
            async with session.post(url, data=body, headers=headers) as reply:
                await reply.read()
                if reply.status != 200:
                    result.errors += 1
                    return
        except aiohttp.ClientError:
            result.errors += 1
            return
        result.acks.append(time.perf_counter() - sent)

    async with aiohttp.ClientSession(connector=connector,
                                     timeout=aiohttp.ClientTimeout(total=30)) as session:
        tasks = [asyncio.create_task(one(session, k, b)) for k, b in prepared]
        await asyncio.sleep(0.05)  # every sender waiting on the starting gun
        go.set()
        await asyncio.gather(*tasks)
    seen = api.opened if start else api.answered

    def arrived(key: str) -> float | None:
        return seen.get(key) or (None if start else seen.get(alias[key]))

    deadline = time.perf_counter() + wait_s
    while any(arrived(k) is None for k in sends) and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    result.not_saved = sum(1 for k in sends if k in api.not_saved or alias[k] in api.not_saved)
    for key, sent in sends.items():
        at = arrived(key)
        if at is None:
            result.missing += 1
        else:
            result.waits.append(at - sent)
    return result


def _preload_note_takers(db_url: str, users: list[str]) -> None:
    """People who have used the bot before: a complete profile and one contact each (Core
    bulk inserts, as bench.engine does), so ``note 1 …`` finds contact 1."""
    from sqlalchemy import func, insert, select, text

    from infointerview.core.journey.state import HowFound, OutreachChannel, Sector
    from infointerview.core.store.db import Database
    from infointerview.core.store.models import ContactRow, UserRow

    db = Database(db_url)
    try:
        db.migrate()
        created = datetime(2026, 11, 1, tzinfo=UTC)
        with db.engine.begin() as conn:
            first = int(conn.execute(select(func.coalesce(func.max(UserRow.id), 0)))
                        .scalar_one()) + 1
            rows, contacts = [], []
            for i, user in enumerate(users):
                pk = first + i
                rows.append({"id": pk, "platform": "slack", "tenant": BURST_TEAM,
                             "user_id": user, "display_name": user.lower(),
                             "name": f"Person {user}", "programme": "PhD in biology",
                             "institution": "Lakeside University",
                             "interests": "science policy", "tz": "America/Chicago",
                             "session_state": {}, "next_contact_no": 2,
                             "created_at": created, "updated_at": created})
                contacts.append({"user_pk": pk, "platform": "slack", "tenant": BURST_TEAM,
                                 "no": 1, "name": "Ada Lee", "role": "Policy analyst",
                                 "organisation": "State Science Office",
                                 "sector": next(iter(Sector)).value,
                                 "channel": next(iter(OutreachChannel)).value,
                                 "how_found": next(iter(HowFound)).value,
                                 "stage": "identified", "created_at": created,
                                 "updated_at": created})
            conn.execute(insert(UserRow), rows)
            conn.execute(insert(ContactRow), contacts)
            if db.is_postgres:
                conn.execute(text("SELECT setval(pg_get_serial_sequence('users', 'id'), "
                                  ":n)"), {"n": first + len(users)})
    finally:
        db.engine.dispose()


def _cpu_seconds(pid: int) -> float:
    """utime + stime of a process, all its threads (/proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _listen_overflows() -> int:
    """TcpExt ListenOverflows: a full accept queue drops the SYN and the client retries it
    after a second (aiohttp listens with a backlog of 128)."""
    lines = [line.split() for line in Path("/proc/net/netstat").read_text().splitlines()
             if line.startswith("TcpExt:")]
    return int(dict(zip(lines[0], lines[1], strict=True)).get("ListenOverflows", 0)) \
        if len(lines) == 2 else 0


async def _burst_rounds(url: str, api: BurstRecorder, server: str, args: argparse.Namespace,
                        tag: str, pid: int) -> list[Burst]:
    out = []
    warm = [f"UW{tag}{i}" for i in range(10)]
    await _burst(url, api, Burst(server, "start", 0), warm, 10)  # imports, pools, caches
    await _burst(url, api, Burst(server, "note", 0), warm, 10)
    for r in range(1, args.repeats + 1):
        for kind, users in (("start", [f"US{tag}{r}x{i}" for i in range(args.burst)]),
                            ("note", [f"UN{r}x{i}" for i in range(args.burst)])):
            await asyncio.sleep(args.pause)  # the previous burst's tail (its DMs) is done
            before, dropped = _cpu_seconds(pid), _listen_overflows()
            burst = await _burst(url, api, Burst(server, kind, r), users, args.wait)
            await asyncio.sleep(0.5)  # work after the awaited answer (DM posts) counts too
            burst.cpu_s = _cpu_seconds(pid) - before
            burst.overflows = _listen_overflows() - dropped
            out.append(burst)
    return out


async def run_burst(args: argparse.Namespace, backend: str) -> list[Burst]:
    api = BurstRecorder()
    runner, api_port = await serve(api.app())
    api.base = f"http://127.0.0.1:{api_port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    results: list[Burst] = []
    try:
        bare_port = free_port()
        with _process([sys.executable, "-c", BARE_BURST, str(bare_port), SIGNING_SECRET,
                       f"{api.base}/api/"], env, bare_port) as bare:
            results += await _burst_rounds(f"http://127.0.0.1:{bare_port}/slack/events", api,
                                           "bare Bolt", args, "B", bare.pid)
        with database_url(backend, args.pg_url) as db:
            _preload_note_takers(db, [f"UN{r}x{i}" for r in range(1, args.repeats + 1)
                                      for i in range(args.burst)] +
                                 [f"UWI{i}" for i in range(10)])
            command, bot_env, bot_port = bot_server(db, env, api.base)
            with _process(command, bot_env, bot_port) as bot:
                results += await _burst_rounds(f"http://127.0.0.1:{bot_port}/slack/events",
                                               api, "infointerview", args, "I", bot.pid)
    finally:
        await runner.cleanup()
    return results


def _pg_version(pg_url: str) -> str:
    with psycopg.connect(pg_url) as conn:
        row = conn.execute("SHOW server_version").fetchone()
        return f"PostgreSQL {row[0] if row else '?'}"


def report_burst(by_backend: dict[str, list[Burst]], args: argparse.Namespace, command: str,
                 load: tuple[float, ...]) -> str:
    pg = _pg_version(args.pg_url) if "postgresql" in by_backend else ""
    n = args.burst
    lines = [
        "# Slack burst benchmark", "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: nproc={len(os.sched_getaffinity(0))} (shared VM; another engineer's test "
        f"suite ran at the same time); Python {sys.version.split()[0]}; {pg}".rstrip("; "),
        f"- Load average at start / end: {'/'.join(f'{x:.2f}' for x in load)} / "
        f"{'/'.join(f'{x:.2f}' for x in os.getloadavg())}",
        f"- Command: `{command}`",
        f"- Code: git {git('rev-parse', '--short', 'HEAD')}",
        f"- A burst: {n} distinct people send a signed slash command at the same moment, each "
        "on its own new connection (no keep-alive), and the time is taken from sending it to "
        "the Web API stand-in receiving the answer. **start**: `/infointerview start` typed in "
        "the person's DM with the bot, by people new to it, answered by `views.open` (the "
        "profile form); a modal counts as opened in time when its `views.open` arrives within "
        f"{TRIGGER_EXPIRY_S:g} s (the trigger's life). **note**: `/infointerview note 1 …` "
        f"typed in a channel by people who have a profile and a contact (preloaded), "
        "answered by an ephemeral reply; infointerview sends it through the command's "
        "`response_url` (Bolt's `respond`; its note itself goes to the DM first, via "
        "`chat.postMessage`), and the stand-in records both `response_url` posts and "
        "`chat.postEphemeral`.",
        "- infointerview: `infointerview slack --http` as it runs in production (durable "
        "intake: each command is written to the inbox before its ack; then `users.info`, "
        "`conversations.open` for a DM, the engine in a worker thread, the Web API calls). "
        "Bare Bolt: a slack-bolt `AsyncApp` (aiohttp) that acks and then calls `views.open` "
        "with a one-field modal, or `respond(…, response_type=\"ephemeral\")`; it shares one "
        "keep-alive session for Web API calls as infointerview does. Both run as their own "
        "process on loopback against the same stand-in (in the client's process), in the "
        f"same run; {args.repeats} bursts of each kind per server after a 10-person warm-up.",
        "",
    ]
    verdicts: list[str] = []
    for backend, results in by_backend.items():
        lines += [f"## {backend}", "",
                  "| server | burst | repeat | requests | errors | ack p50 ms | ack p99 ms | "
                  "answer p50 ms | answer p99 ms | answered <= 3 s | server CPU ms | "
                  "listen overflows | not saved |",
                  "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for b in results:
            lines.append(f"| {b.server} | {b.kind} | {b.repeat} | {b.n} | {b.errors} | "
                         f"{b.pct(b.acks, .5):.0f} | {b.pct(b.acks, .99):.0f} | "
                         f"{b.pct(b.waits, .5):.0f} | {b.pct(b.waits, .99):.0f} | "
                         f"{b.in_time} / {b.n} | {b.cpu_s * 1000:.0f} | {b.overflows} | "
                         f"{b.not_saved} |")
        lines.append("")
        for kind in ("start", "note"):
            ours = [b for b in results if b.server == "infointerview" and b.kind == kind]
            bare = {b.repeat: b for b in results if b.server == "bare Bolt" and b.kind == kind}
            ratios = sorted(o.pct(o.waits, .99) / max(bare[o.repeat].pct(bare[o.repeat].waits,
                                                                         .99), 1e-9)
                            for o in ours)
            median = statistics.median(ratios)
            spread = f"{median:.2f}x (range {ratios[0]:.2f}x-{ratios[-1]:.2f}x)"
            what = "views.open" if kind == "start" else "ephemeral reply"
            over = statistics.median(o.pct(o.waits, .99) - 1.5 * bare[o.repeat].pct(
                bare[o.repeat].waits, .99) for o in ours)
            if over > 0:
                spread += f"; {over:.0f} ms over the limit"
            verdicts.append(f"| {backend} | {kind}: {what} p99 <= 1.5x bare Bolt's | {spread} | "
                            f"{verdict(1.5 / median)}{_repeats_note(ratios, 1.5)} |")
            if kind == "start":
                opened = [o.in_time for o in ours]
                verdicts.append(f"| {backend} | start: all {n} modals open within "
                                f"{TRIGGER_EXPIRY_S:g} s | {min(opened)}-{max(opened)} of {n} | "
                                f"{'met' if min(opened) == n else '**MISSED**'} |")
    lines += ["## Where the time goes", "",
              "A burst is CPU-bound inside one Python process: the event loop (HTTP, Bolt, "
              "every Web API call) and the worker threads (inbox insert, engine) share one GIL, "
              "so the last answer of a burst comes about when the server has spent the burst's "
              "CPU time. Server CPU per request (process CPU over the burst / requests, median "
              "of the repeats; all threads):", "",
              "| backend | bare Bolt, start | infointerview, start | bare Bolt, note | "
              "infointerview, note |", "|---|---:|---:|---:|---:|"]
    for backend, results in by_backend.items():
        cells = []
        for kind in ("start", "note"):
            for server in ("bare Bolt", "infointerview"):
                cpu = [b.cpu_s / b.n * 1000 for b in results
                       if b.server == server and b.kind == kind]
                cells.append(f"{statistics.median(cpu):.2f} ms")
        lines.append(f"| {backend} | {' | '.join(cells[i] for i in (0, 1, 2, 3))} |")
    lines += ["", "Listen overflows: 300 connections arrive at once and aiohttp listens with a "
              "backlog of 128; when the accept queue is full the kernel drops the SYN and the "
              "client sends it again a second later (the count is the machine's "
              "TcpExt ListenOverflows over the burst, so other programs' can show up too). A "
              "p99 near or above 1 s with overflows in its row is that second, on either "
              "server.", "",
              "The stage-by-stage breakdown (bench/slack_timing.py) is in the "
              "`slack_burst_breakdown` section below.", ""]
    lines += ["## Verdicts", "",
              "Each repeat's p99 is divided by the bare app's p99 of the same repeat number "
              "(same run, same stand-in); the verdict uses the median of those ratios.", "",
              "| backend | target | figure | verdict |", "|---|---|---:|---|", *verdicts]
    return "\n".join(lines) + "\n"


def _repeats_note(ratios: list[float], limit: float) -> str:
    missed = sum(1 for r in ratios if r > limit)
    if missed == len(ratios):
        return " in every repeat" if len(ratios) > 1 else ""
    return f"; missed in {missed} of {len(ratios)} repeats" if missed else ""


def main_burst(args: argparse.Namespace) -> None:
    load = os.getloadavg()
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    by_backend = {b: asyncio.run(run_burst(args, b)) for b in backends}
    command = "python -m bench.slack_http " + " ".join(sys.argv[1:])
    publish(report_burst(by_backend, args, command.strip(), load), args.write, "slack_burst")


