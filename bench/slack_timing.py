"""Where a burst's time goes inside ``infointerview slack --http``: a timing wrapper.

Run the burst benchmark with this as the server (the product code is untouched; its methods are
wrapped here, in the benchmark's process only):

    BENCH_SERVER_SCRIPT=bench/slack_timing.py BENCH_TIMING_OUT=/tmp/timing.json \\
        python -m bench.slack_http --burst 300 --repeats 1 --backend sqlite
    python -m bench.slack_timing /tmp/timing.json

Each request is followed by its trigger id (a context variable set at the door, which Bolt's
listener task and the worker threads inherit); the stages are stamped with ``perf_counter``.
"""

from __future__ import annotations

import asyncio
import atexit
import contextvars
import functools
import json
import os
import statistics
import sys
import time
from typing import Any

TRIGGER: contextvars.ContextVar[str] = contextvars.ContextVar("trigger", default="")
STAMPS: dict[str, dict[str, float]] = {}
# (when, how late the loop ran a 5 ms sleep, the loop thread's CPU time so far)
LAG: list[tuple[float, float, float]] = []


def stamp(name: str) -> None:
    trigger = TRIGGER.get()
    if trigger:
        STAMPS.setdefault(trigger, {}).setdefault(name, time.perf_counter())


def around(owner: Any, attr: str, label: str) -> None:
    """Stamp ``label:in`` and ``label:out`` around a method (sync or async)."""
    original = getattr(owner, attr)
    if asyncio.iscoroutinefunction(original):
        @functools.wraps(original)
        async def timed_async(*args: Any, **kwargs: Any) -> Any:
            stamp(f"{label}:in")
            try:
                return await original(*args, **kwargs)
            finally:
                stamp(f"{label}:out")
        setattr(owner, attr, timed_async)
    else:
        @functools.wraps(original)
        def timed(*args: Any, **kwargs: Any) -> Any:
            stamp(f"{label}:in")
            cpu = time.thread_time()
            try:
                return original(*args, **kwargs)
            finally:
                stamp(f"{label}:out")
                trigger = TRIGGER.get()
                if trigger:  # this thread's CPU time inside the call
                    STAMPS[trigger][f"{label}:cpu"] = time.thread_time() - cpu
        setattr(owner, attr, timed)


def install() -> None:
    from slack_bolt.async_app import AsyncRespond
    from slack_sdk.web.async_client import AsyncWebClient

    import infointerview.adapters.slack.server as server
    from infointerview.adapters.slack.app import SlackAdapter
    from infointerview.adapters.slack.delivery import Delivery
    from infointerview.adapters.slack.intake import SlackIntake
    from infointerview.core.engine import Engine

    admit = server.admit  # type: ignore[attr-defined]

    async def admit_timed(request: Any, secret: str) -> Any:
        began = time.perf_counter()
        bolt_request = await admit(request, secret)
        trigger = str(bolt_request.body.get("trigger_id") or "")
        TRIGGER.set(trigger)  # the handler's task: Bolt's listener task copies it
        STAMPS.setdefault(trigger, {})["door:in"] = began
        stamp("door:out")
        return bolt_request

    server.admit = admit_timed  # type: ignore[attr-defined,assignment]
    to_response = server.to_aiohttp_response  # type: ignore[attr-defined]

    async def ack_timed(*args: Any, **kwargs: Any) -> Any:
        stamp("ack")
        return await to_response(*args, **kwargs)

    server.to_aiohttp_response = ack_timed  # type: ignore[attr-defined]
    around(SlackIntake, "keep", "keep")
    around(Engine, "keep", "keep_thread")
    around(SlackAdapter, "run_command", "after_turn")
    around(Delivery, "profile", "users_info")
    around(Delivery, "place", "place")
    around(Engine, "run", "engine_thread")
    around(SlackAdapter, "_kept", "engine")
    around(Delivery, "deliver", "deliver")
    around(AsyncWebClient, "views_open", "views_open")
    around(AsyncWebClient, "chat_postMessage", "post")
    around(AsyncRespond, "__call__", "respond")


async def watch_the_loop(_app: Any) -> None:
    async def watch() -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(0.005)
            LAG.append((before, time.perf_counter() - before - 0.005, time.thread_time()))

    task = asyncio.create_task(watch())
    _app["lag_watch"] = task


PROFILE: Any = None  # BENCH_PROFILE=path: cProfile of the event loop's thread (not the workers)


def dump() -> None:
    if PROFILE is not None:
        PROFILE.disable()
        PROFILE.dump_stats(os.environ["BENCH_PROFILE"])
    out = os.environ.get("BENCH_TIMING_OUT", "/tmp/slack_timing.json")
    with open(out, "w") as f:
        json.dump({"stamps": STAMPS, "lag": LAG}, f)


def serve() -> None:
    # SlackRuntime, and what run_slack imports when it runs, loaded before the profile starts
    from infointerview.adapters.slack.server import SlackRuntime
    from infointerview.bot import container, observability, slack_cli  # noqa: F401

    global PROFILE
    install()
    atexit.register(dump)
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        PROFILE = cProfile.Profile()
        PROFILE.enable()
    web_app = SlackRuntime.web_app

    def with_watch(self: Any, *, reminders: bool = True) -> Any:
        app = web_app(self, reminders=reminders)
        app.on_startup.append(watch_the_loop)
        return app

    SlackRuntime.web_app = with_watch  # type: ignore[method-assign]
    from infointerview.bot.cli import app
    sys.argv = ["infointerview", "slack", "--http", "--host", "127.0.0.1", "--port",
                os.environ["PORT"]]
    app()


# --- reading a dump -----------------------------------------------------------------------------

STAGES: tuple[tuple[str, str, str], ...] = (
    ("door (read, check, parse)", "door:in", "door:out"),
    ("door -> inbox insert begins in a thread", "door:out", "keep_thread:in"),
    ("inbox insert + commit (thread)", "keep_thread:in", "keep_thread:out"),
    ("insert done -> ack sent", "keep_thread:out", "ack"),
    ("ack handed to aiohttp -> listener goes on (negative: it went on first)", "ack",
     "after_turn:in"),
    ("users.info", "users_info:in", "users_info:out"),
    ("place (conversations.open for a DM)", "place:in", "place:out"),
    ("engine: waiting for a worker thread", "engine:in", "engine_thread:in"),
    ("engine.run (thread)", "engine_thread:in", "engine_thread:out"),
    ("engine done -> back on the loop", "engine_thread:out", "engine:out"),
    ("views.open call", "views_open:in", "views_open:out"),
    ("respond (response_url) call", "respond:in", "respond:out"),
    ("door -> views.open sent", "door:in", "views_open:in"),
    ("door -> respond sent", "door:in", "respond:in"),
)


def summary(path: str) -> str:
    with open(path) as f:
        data = json.load(f)
    stamps: dict[str, dict[str, float]] = data["stamps"]
    lines = []
    for kind in ("start", "note"):
        rows = [s for t, s in stamps.items() if t.startswith(f"{kind}-U") and
                not t.startswith(f"{kind}-UW")]
        if not rows:
            continue
        lines += [f"**{kind}** ({len(rows)} requests)", "",
                  "| stage | p50 ms | p99 ms | mean ms |", "|---|---:|---:|---:|"]
        for label, a, b in STAGES:
            d = sorted((s[b] - s[a]) * 1000 for s in rows if a in s and b in s)
            if d:
                lines.append(f"| {label} | {d[len(d) // 2]:.1f} | "
                             f"{d[min(len(d) - 1, int(.99 * len(d)))]:.1f} | "
                             f"{statistics.fmean(d):.1f} |")
        for label in ("keep_thread", "engine_thread"):
            cpu = [s[f"{label}:cpu"] * 1000 for s in rows if f"{label}:cpu" in s]
            if cpu:
                lines.append(f"| CPU in {label} (its thread) | {statistics.median(cpu):.1f} | "
                             f"{sorted(cpu)[min(len(cpu) - 1, int(.99 * len(cpu)))]:.1f} | "
                             f"{statistics.fmean(cpu):.1f} (sum {sum(cpu):.0f}) |")
        first = min(s["door:in"] for s in rows if "door:in" in s)
        last = max(max(s.values()) for s in rows)
        ticks = [(x, cpu) for at, x, cpu in data["lag"] if first <= at <= last]
        if ticks:
            lag = [x for x, _ in ticks]
            loop_cpu = (ticks[-1][1] - ticks[0][1]) * 1000
            threads = sum(s.get(f"{k}:cpu", 0) for s in rows
                          for k in ("keep_thread", "engine_thread")) * 1000
            lines.append(f"\nDuring the burst ({(last - first) * 1000:.0f} ms from the first "
                         f"request to the last stage): the event loop's thread used "
                         f"{loop_cpu:.0f} ms of CPU ({loop_cpu / len(rows):.2f} ms a request: "
                         "HTTP, Bolt, the door, every Web API call), the worker threads "
                         f"{threads:.0f} ms ({threads / len(rows):.2f} ms a request: inbox "
                         "insert and engine); a 5 ms sleep on the loop overran by p50 "
                         f"{statistics.median(lag) * 1000:.1f} ms, max "
                         f"{max(lag) * 1000:.1f} ms.\n")
    return "\n".join(lines)


def main() -> None:
    import argparse
    from pathlib import Path

    from bench.results import publish

    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dumps", nargs="+", help="label=path of a BENCH_TIMING_OUT dump")
    parser.add_argument("--command", default="", help="the burst command that made them")
    parser.add_argument("--notes", type=Path,
                        help="a Markdown file of conclusions, appended to the section")
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    lines = ["# Slack burst: where the time goes", "",
             "Each request's stages inside `infointerview slack --http`, stamped by "
             "`bench/slack_timing.py` (a wrapper that times the product's methods without "
             "changing them; its own cost is small but included). Times are from the server's "
             "clock; 'CPU' rows are the worker thread's own CPU time inside the call. Made "
             f"with: `{args.command}`", ""]
    for item in args.dumps:
        label, _, path = item.partition("=")
        lines += [f"## {label}", "", summary(path), ""]
    if args.notes:
        lines.append(args.notes.read_text())
    publish("\n".join(lines), args.write, "slack_burst_breakdown")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        main()
    else:
        serve()
