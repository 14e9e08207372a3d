"""A real installation for the browser tests: an SQLite database seeded through the engine
(people typing commands, clicking buttons, filling forms), served by a real
``infointerview web`` process."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from infointerview.core import Database, Engine, Reply, SendDM, SimulatedClock, WebAccess
from tests.helpers import PROFILE, User, forms, messages

LINK = re.compile(r"http://127\.0\.0\.1:\d+/web/signin\?token=[A-Za-z0-9_.\-]+")
CHANNEL_A, CHANNEL_B = "phd-2026", "bootcamp"
XSS_NAME = "<script>alert(1)</script>"
XSS_ORGANISATION = '"><img src=x onerror=alert(1)>'


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def person(engine: Engine, user_id: str, name: str, channel: str | None = None,
           manager: bool = False) -> User:
    someone = User(engine, user_id, channel=channel, manager=manager)
    someone.command("start")
    someone.submit("profile", PROFILE | {"name": name})
    return someone


def in_dm(someone: User) -> User:
    return User(someone.engine, someone.actor.user_id)


def new_cohort(coach: User, name: str) -> int:
    [post] = [e for e in coach.command("cohort", f"create {name}")
              if e.__class__.__name__ == "PostToChannel"]
    return int(post.message.buttons[0].value)  # type: ignore[attr-defined]


def interview(someone: User, number: int, when: datetime,
              referral: dict[str, str] | None = None) -> int | None:
    """Outreach sent, a reply, a meeting, the interview (with a referral, if given)."""
    someone.click("mark_sent", str(number))
    someone.click("replied", str(number))
    someone.submit(f"meeting:{number}", {"date": f"{when:%Y-%m-%d}", "time": "10:00",
                                         "duration": "30", "mode": "video", "detail": ""})
    someone.click("start_interview", str(number))
    referred = None
    if referral is not None:
        effects = someone.submit(f"referral:{number}",
                                 {"role": "", "reach": "", "why": "", **referral})
        # the new contact's number is on its Edit button
        [edit] = [b for m in messages(effects) for b in m.buttons if b.action == "edit"]
        referred = int(edit.value)
    someone.click("end_interview", str(number))
    return referred


def add_contact(someone: User, name: str, role: str, organisation: str, sector: str) -> int:
    [form] = forms(someone.command("start"))
    effects = someone.submit(form.form_id, {"name": name, "role": role,
                                            "organisation": organisation, "sector": sector,
                                            "channel": "email"})
    [source] = forms(effects)
    someone.submit(source.form_id, {"how_found": "alumni", "found_detail": "",
                                    "email": "", "profile_url": "", "reason": ""})
    return int(source.form_id.split(":")[1])


@dataclass
class Installation:
    url: str
    database_url: str
    engine: Engine
    coach: User  # Dr Amara Okafor, coach of cohort A
    member: User  # Nguyễn Thị Mai, a member of cohort A with a referral chain
    other_coach: User  # Prof. Henrik Larsen, coach of cohort B
    cohort_a: int
    cohort_b: int
    first_link: str  # the one `infointerview web --user mai` printed

    def dashboard_link(self, someone: User) -> str:
        """``/infointerview dashboard`` typed in the chat: the link comes in the DM."""
        effects = in_dm(someone).command("dashboard")
        texts = [e.message.plain_text() for e in effects if isinstance(e, Reply | SendDM)]
        links = [link for text in texts for link in LINK.findall(text)]
        assert len(links) == 1, texts
        return links[0]


def seed(engine: Engine) -> tuple[User, User, User, int, int]:
    now = engine.clock()
    coach = person(engine, "amara", "Dr Amara Okafor", CHANNEL_A, manager=True)
    cohort_a = new_cohort(coach, "Bioscience PhD 2026")
    mai = person(engine, "mai", "Nguyễn Thị Mai", CHANNEL_A)
    mai.command("cohort", "join")
    mai_dm = in_dm(mai)
    jordan = add_contact(mai_dm, "Dr Jordan Lee", "Regulatory affairs manager", "Genentech",
                         "industry")
    maria = interview(mai_dm, jordan, now + timedelta(days=1),
                      {"name": "Maria Chen", "organisation": "Roche"})
    assert maria is not None
    interview(mai_dm, maria, now + timedelta(days=2),
              {"name": "Kwame Mensah", "organisation": "Novartis"})
    add_contact(mai_dm, "Sofia Álvarez", "Programme officer", "Wellcome Trust", "non-profit")
    henrik = person(engine, "henrik", "Prof. Henrik Larsen", CHANNEL_B, manager=True)
    cohort_b = new_cohort(henrik, "Data Science Bootcamp")
    add_contact(in_dm(henrik), XSS_NAME, "Analyst", XSS_ORGANISATION, "consulting")
    return coach, mai, henrik, cohort_a, cohort_b


@contextmanager
def installation(template: Path, folder: Path) -> Iterator[Installation]:
    path = folder / "web.db"
    shutil.copyfile(template, path)
    database_url = f"sqlite:///{path}"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    database = Database(database_url)
    clock = SimulatedClock(datetime.now(UTC).replace(microsecond=0))
    # the same links the bot's processes make: same public URL, same key (in the database)
    engine = Engine(database, clock=clock,
                    web_access=WebAccess(database, public_url=url))
    coach, mai, henrik, cohort_a, cohort_b = seed(engine)
    env = {**os.environ, "INFOINTERVIEW_PUBLIC_URL": url, "INFOINTERVIEW_LOG_LEVEL": "WARNING"}
    env.pop("INFOINTERVIEW_WEB_SECRET", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "infointerview", "web", "--db", database_url,
         "--port", str(port), "--user", "mai"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert server.stdout is not None
        printed = server.stdout.readline() + server.stdout.readline()
        links = LINK.findall(printed)
        assert links, printed + (server.stderr.read() if server.poll() is not None else "")
        wait_until_up(url)
        yield Installation(url, database_url, engine, coach, mai, henrik, cohort_a,
                           cohort_b, links[0])
    finally:
        server.terminate()
        server.wait(10)
        database.dispose()


def wait_until_up(url: str) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
