"""Health, readiness, metrics and logs of the long-running processes."""

from __future__ import annotations

import asyncio
import json
import logging
import urllib.error
import urllib.request

from infointerview.bot.observability import JsonFormatter, PrometheusObserver, redact, serve_ops

DISCORD_LIKE = "MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789ABCD"


def test_logs_are_json_and_never_carry_tokens() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1,
                               "token xoxb-1-2-abc, app xapp-1-A-1-xyz, discord %s, "
                               "db postgresql://bot:s3cret@db/x", (DISCORD_LIKE,), None)
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "info" and line["logger"] == "x"
    for secret in ("xoxb-1-2-abc", "xapp-1-A-1-xyz", DISCORD_LIKE, "s3cret"):
        assert secret not in line["message"]
    assert "[redacted]" in line["message"]
    refused = "Invalid request signature detected (signature: v0=1, timestamp: 1, " \
              "body: text=my+private+note&user_id=U1)"
    assert "private" not in redact(refused)


def test_the_ops_server_reports_readiness_and_metrics() -> None:
    observer = PrometheusObserver()
    state = {"connected": False}

    async def database() -> str | None:
        return None

    async def platform() -> str | None:
        return None if state["connected"] else "not connected to Discord"

    def get(url: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(url, timeout=5) as reply:
                return reply.status, reply.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    async def main() -> None:
        runner = await serve_ops(0, observer, {"database": database, "discord": platform})
        port = runner.addresses[0][1]
        base = f"http://127.0.0.1:{port}"
        try:
            status, body = await asyncio.to_thread(get, f"{base}/healthz")
            assert status == 200
            status, body = await asyncio.to_thread(get, f"{base}/readyz")
            assert status == 503 and "not connected to Discord" in body
            state["connected"] = True
            status, _ = await asyncio.to_thread(get, f"{base}/readyz")
            assert status == 200
            observer.reminder("delivered", 12.0)
            observer.platform_error("discord", "rate_limited")
            status, body = await asyncio.to_thread(get, f"{base}/metrics")
            assert 'infointerview_reminders_total{outcome="delivered"} 1.0' in body
            assert 'infointerview_platform_errors_total{kind="rate_limited",platform="discord"}' \
                in body
        finally:
            await runner.cleanup()

    asyncio.run(main())
