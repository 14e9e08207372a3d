"""Events for one person are serialised: concurrent notes on one contact are never lost."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

from infointerview.core import Engine
from tests.helpers import User


def test_parallel_events_for_one_user_lose_nothing(engine: Engine) -> None:
    sam = User(engine)
    sam.onboard()
    number = sam.add_contact()

    def write(worker: int) -> None:
        for i in range(10):
            sam.command("note", f"{number} worker {worker} note {i}")

    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(write, range(6)))

    effects = sam.command("export")
    attachments = [a for e in effects for a in e.message.attachments]
    exported = next(a for a in attachments if a.filename.endswith(".json")).content.decode()
    for worker in range(6):
        for i in range(10):
            assert f"worker {worker} note {i}\"" in exported
    notes = json.loads(exported)["contacts"][0]["notes"]
    assert len(notes) == 60
    assert sorted(n["number"] for n in notes) == list(range(1, 61))
