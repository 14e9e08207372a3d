"""Slack over HTTP: ack latency and throughput of `infointerview slack --http` against a bare
slack-bolt AsyncApp that only acks (the framework's floor), in the same run.

Both servers run as their own processes on loopback; signed slash commands come from 20
concurrent clients; a local stand-in of Slack's Web API (in this process) answers the bot's calls
and records when each ``chat.postMessage`` arrives, which gives the full handling time (request
sent -> the bot's Web API call made).

    python -m bench.slack_http --requests 2000 --clients 20 --write bench/RESULTS.md

Burst mode (``--burst N``): N distinct people send ``/infointerview start`` at the same moment
(time to the stand-in receiving ``views.open``; opened within the trigger's 3 s or not), then N
people who have a contact send ``/infointerview note 1 …`` in a channel (time to the ephemeral
reply, which infointerview sends through ``response_url``), against a bare Bolt app that acks
and answers directly, on the same stand-in in the same run (section ``slack_burst``):

    python -m bench.slack_http --burst 300 --repeats 5 --backend both --write bench/RESULTS.md
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import psycopg

from bench.engine import database_url, git, verdict
from bench.results import publish
from tests.slack_support import SIGNING_SECRET, SlackStandIn, free_port, serve, sign

ROOT = Path(__file__).resolve().parent.parent
BARE_BOLT = """
import sys
from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

app = AsyncApp(signing_secret=sys.argv[2], token="xoxb-bench",
               client=AsyncWebClient(token="xoxb-bench", base_url=sys.argv[3]))

@app.command("/infointerview")
async def only_ack(ack):
    await ack()

web.run_app(app.web_app(), host="127.0.0.1", port=int(sys.argv[1]), print=None)
"""


@dataclass
class Timings:
    name: str
    acks: list[float] = field(default_factory=list)
    full: list[float] = field(default_factory=list)
    seconds: float = 0.0
    errors: int = 0

    def pct(self, values: list[float], q: float) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0.0

    @property
    def rps(self) -> float:
        return len(self.acks) / self.seconds if self.seconds else 0.0


class Recorder(SlackStandIn):
    """The stand-in, noting when each DM post arrives, per channel."""

    def __init__(self) -> None:
        super().__init__()
        self.arrivals: dict[str, list[float]] = {}
        self.waiters: dict[str, asyncio.Event] = {}

    def _answer(self, method: str, p: dict[str, Any]) -> dict[str, Any]:
        if method == "chat.postMessage":
            channel = str(p.get("channel"))
            self.arrivals.setdefault(channel, []).append(time.perf_counter())
            if channel in self.waiters:
                self.waiters[channel].set()
            self.posts.clear()  # keep memory flat over thousands of posts
        return super()._answer(method, p)


def _body(user: str, n: int) -> str:
    return urllib.parse.urlencode({
        "team_id": "T0BENCH", "channel_id": f"D{user}", "channel_name": "directmessage",
        "user_id": user, "user_name": user, "command": "/infointerview", "text": "help",
        "trigger_id": f"trigger-{user}-{n}-{time.time_ns()}",
        "response_url": "http://127.0.0.1:9/respond"})


async def _client(session: aiohttp.ClientSession, url: str, user: str, count: int,
                  timings: Timings, sends: dict[str, list[float]],
                  interval: float = 0.0, phase: float = 0.0) -> None:
    next_at = time.perf_counter() + phase * interval  # paced clients spread over the interval
    for n in range(count):
        if interval:  # paced: one command every `interval` seconds, whatever the acks do
            next_at += interval
            await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
        body = _body(user, n)
        headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body)}
        sent = time.perf_counter()
        async with session.post(url, data=body.encode(), headers=headers) as reply:
            await reply.read()
            if reply.status != 200:
                timings.errors += 1
                continue
        timings.acks.append(time.perf_counter() - sent)
        sends.setdefault(f"D{user}", []).append(sent)


async def _full_handling(api: Recorder, sends: dict[str, list[float]], skip: int,
                         timings: Timings) -> None:
    """Match each user's k-th command to the k-th DM the bot posted for them."""
    deadline = time.perf_counter() + 30
    while any(len(api.arrivals.get(ch, [])) < len(s) for ch, s in sends.items()):
        if time.perf_counter() > deadline:
            raise SystemExit("the bot did not answer every command")
        await asyncio.sleep(0.05)
    for channel, sent in sends.items():
        arrived = api.arrivals[channel]
        timings.full += [a - s for a, s in zip(arrived[skip:], sent[skip:], strict=False)]


async def _load(url: str, name: str, clients: int, per_client: int, warmup: int,
                api: Recorder | None, rate: float = 0.0) -> Timings:
    connector = aiohttp.TCPConnector(limit=clients)
    sends: dict[str, list[float]] = {}
    users = [f"U{name[:1].upper()}{i}" for i in range(clients)]
    async with aiohttp.ClientSession(connector=connector) as session:
        warm = Timings(name)
        await asyncio.gather(*(_client(session, url, u, warmup, warm, sends) for u in users))
        if api is not None:  # let the warm-up's work finish before timing
            await _full_handling(api, sends, 0, warm)
        timings = Timings(name)
        began = time.perf_counter()
        interval = clients / rate if rate else 0.0
        await asyncio.gather(*(_client(session, url, u, per_client, timings, sends, interval,
                                       i / clients) for i, u in enumerate(users)))
        timings.seconds = time.perf_counter() - began
        if api is not None:
            await _full_handling(api, sends, warmup, timings)
    return timings


@contextmanager
def _process(args: list[str], env: dict[str, str], port: int,
             ) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(args, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"server did not start: {process.stderr.read().decode()}")  # type: ignore[union-attr]
            time.sleep(0.1)
        yield process
    finally:
        process.terminate()
        process.wait(15)


def bot_server(db: str, env: dict[str, str], api_base: str
               ) -> tuple[list[str], dict[str, str], int]:
    """The command, environment and port of an ``infointerview slack --http`` process talking
    to the stand-in at ``api_base`` (``BENCH_SERVER_SCRIPT``: a wrapper such as
    ``bench/slack_timing.py`` instead)."""
    port = free_port()
    bot_env = env | {"SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                     "SLACK_API_URL": f"{api_base}/api/", "INFOINTERVIEW_DATABASE_URL": db}
    command = [sys.executable, "-m", "infointerview", "slack", "--http", "--host", "127.0.0.1",
               "--port", str(port)]
    if os.environ.get("BENCH_SERVER_SCRIPT"):  # e.g. a profiling wrapper
        command = [sys.executable, os.environ["BENCH_SERVER_SCRIPT"]]
        bot_env["PORT"] = str(port)
    return command, bot_env, port


async def run(args: argparse.Namespace) -> tuple[list[Timings], str]:
    api = Recorder()
    runner, api_port = await serve(api.app())
    api.base = f"http://127.0.0.1:{api_port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    per_client = args.requests // args.clients
    results: list[Timings] = []
    backend = "postgresql" if args.backend == "postgresql" else "sqlite"
    try:
        bare_port = free_port()
        with _process([sys.executable, "-c", BARE_BOLT, str(bare_port), SIGNING_SECRET,
                       f"{api.base}/api/"], env, bare_port):
            results.append(await _load(f"http://127.0.0.1:{bare_port}/slack/events",
                                       "bare Bolt (ack only)", args.clients, per_client,
                                       args.warmup, None))
        with database_url(backend, args.pg_url) as db:
            command, bot_env, bot_port = bot_server(db, env, api.base)
            with _process(command, bot_env, bot_port):
                results.append(await _load(f"http://127.0.0.1:{bot_port}/slack/events",
                                           "infointerview", args.clients, per_client,
                                           args.warmup, api))
                api.arrivals.clear()
                paced = await _load(f"http://127.0.0.1:{bot_port}/slack/events",
                                    "paced", args.clients, per_client // 2, args.warmup, api,
                                    rate=args.paced_rate)
                paced.name = f"infointerview, paced at {args.paced_rate:g}/s"
                results.append(paced)
    finally:
        await runner.cleanup()
    return results, backend


def report(results: list[Timings], backend: str, command: str,
           load: tuple[float, ...]) -> str:
    bare, ours, paced = results
    server = ""
    if backend == "postgresql":
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/test") as conn:
            row = conn.execute("SHOW server_version").fetchone()
            server = f"PostgreSQL {row[0] if row else '?'}"
    ack99 = ours.pct(ours.acks, 0.99) / bare.pct(bare.acks, 0.99)
    rps = ours.rps / bare.rps
    full99 = ours.pct(ours.full, 0.99)
    lines = [
        "# Slack over HTTP benchmark", "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: nproc={len(os.sched_getaffinity(0))}; Python {sys.version.split()[0]}; "
        f"database for the bot: {backend} {server}".rstrip(),
        f"- Load average at start / end: {'/'.join(f'{x:.2f}' for x in load)} / "
        f"{'/'.join(f'{x:.2f}' for x in os.getloadavg())}",
        f"- Command: `{command}`",
        f"- Code: git {git('rev-parse', '--short', 'HEAD')}",
        "- Each server is its own process on loopback; clients (aiohttp, keep-alive) and the "
        "Web API stand-in share this process. Requests: signed `/infointerview help` slash "
        f"commands, {len(ours.acks)} timed per server after {args_warmup(results)} warm-up ones.",
        "- Requests/s counts acks (each client sends its next command as soon as the previous "
        "one is acked, as Slack would); full handling pairs each user's k-th command with the "
        "k-th DM the bot posted for them.",
        "",
        "| server | requests | errors | requests/s | ack p50 ms | ack p99 ms | "
        "full p50 ms | full p99 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for t in results:
        full = (f"{t.pct(t.full, 0.5):.1f} | {t.pct(t.full, 0.99):.1f}" if t.full
                else "— | —")
        lines.append(f"| {t.name} | {len(t.acks)} | {t.errors} | {t.rps:,.0f} | "
                     f"{t.pct(t.acks, 0.5):.1f} | {t.pct(t.acks, 0.99):.1f} | {full} |")
    lines += ["", "| target | figure | verdict |", "|---|---:|---|",
              f"| ack p99 <= 1.2x bare Bolt | {ack99:.2f}x | {verdict(1.2 / ack99)} |",
              f"| throughput >= 0.8x bare Bolt | {rps:.2f}x | {verdict(rps / 0.8)} |",
              f"| full handling p99 <= 100 ms, saturated | {full99:.1f} ms | "
              f"{verdict(100 / full99)} |",
              f"| full handling p99 <= 100 ms, paced | {paced.pct(paced.full, 0.99):.1f} ms | "
              f"{verdict(100 / paced.pct(paced.full, 0.99))} |"]
    median = statistics.median(ours.full) * 1000 if ours.full else 0
    lines.append(f"\nMedian full handling: {median:.1f} ms.")
    return "\n".join(lines) + "\n"


_WARMUP = 0


def args_warmup(results: list[Timings]) -> int:
    return _WARMUP


def main(argv: list[str] | None = None) -> None:
    global _WARMUP
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=5, help="per client")
    parser.add_argument("--backend", choices=("postgresql", "sqlite", "both"),
                        default="postgresql", help="both: burst mode only")
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--paced-rate", type=float, default=200.0,
                        help="commands/s of the paced run (full handling below saturation)")
    parser.add_argument("--write", type=Path)
    parser.add_argument("--burst", type=int, default=0,
                        help="burst mode: this many people send the command at once")
    parser.add_argument("--repeats", type=int, default=3, help="bursts of each kind (burst mode)")
    parser.add_argument("--pause", type=float, default=2.0,
                        help="seconds of quiet before each burst (burst mode)")
    parser.add_argument("--wait", type=float, default=30.0,
                        help="seconds to wait for a burst's answers (burst mode)")
    args = parser.parse_args(argv)
    if args.burst:
        from bench.slack_burst import main_burst  # the burst mode lives in its own module

        main_burst(args)
        return
    if args.backend == "both":
        parser.error("--backend both is for the burst mode")
    _WARMUP = args.warmup * args.clients
    load = os.getloadavg()
    results, backend = asyncio.run(run(args))
    command = "python -m bench.slack_http " + " ".join(sys.argv[1:] if argv is None else argv)
    markdown = report(results, backend, command.strip(), load)
    publish(markdown, args.write, "slack_http")


if __name__ == "__main__":
    main()
