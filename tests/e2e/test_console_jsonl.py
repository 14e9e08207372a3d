"""The whole journey through the console's JSONL machine mode, in a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from icalendar import Calendar

from infointerview.adapters.console.demo import DEMO_LINES

LINES: list[dict[str, Any]] = [
    {"type": "command", "text": "/infointerview start"},
    {"type": "submit", "form": "profile", "values": {
        "name": "Sam Rivera", "programme": "PhD student in biomedical sciences",
        "institution": "Lakeside University",
        "interests": "regulatory affairs and science policy", "tz": "America/Chicago"}},
    {"type": "submit", "form": "contact:new", "values": {
        "name": "Dr. Jordan Lee", "role": "Regulatory affairs manager",
        "organisation": "Northwind Biologics", "sector": "industry", "channel": "email"}},
    {"type": "submit", "form": "contact2:1", "values": {
        "how_found": "referral", "found_detail": "Prof. Ada Okafor",
        "email": "jordan.lee@example.org", "profile_url": "linkedin.com/in/jordanlee",
        "reason": "moved from bench science into regulatory work"}},
    {"type": "click", "label": "Mark sent"},
    {"type": "advance", "by": "1d"},
    {"type": "click", "label": "They replied"},
    {"type": "click", "label": "Propose times"},
    {"type": "submit", "form": "windows:1", "values": {
        "window1": "Tue 2-4pm", "window2": "Wed 10-11:30am", "window3": "",
        "contact_tz": "America/New_York"}},
    {"type": "click", "label": "Agreed a time"},
    {"type": "submit", "form": "meeting:1", "values": {
        "date": "2026-03-10", "time": "14:00", "duration": "45", "mode": "video",
        "detail": "https://meet.example.org/jordan"}},
    {"type": "command", "text": "/infointerview questions 1 custom What surprised you most?"},
    {"type": "click", "label": "Agenda ready"},
    {"type": "advance", "by": "8d"},
    {"type": "click", "label": "Start interview"},
    {"type": "text", "text": "Take the RAPS regulatory writing course early"},
    {"type": "click", "label": "Star this one"},
    {"type": "text", "text": "Most of the job is negotiating timelines"},
    {"type": "click", "label": "Wrap up"},
    {"type": "click", "label": "Add a referral"},
    {"type": "submit", "form": "referral:1", "values": {
        "name": "Maria Chen", "role": "Policy analyst", "organisation": "FDA",
        "reach": "maria.chen@example.org", "why": "moved from academia to the agency"}},
    {"type": "click", "label": "End interview"},
    {"type": "advance", "by": "20h"},
    {"type": "click", "label": "Mark thank-you sent"},
    {"type": "click", "action": "draft", "value": "2"},
    {"type": "command", "text": "/infointerview applied Northwind"},
    {"type": "command", "text": "/infointerview list"},
    {"type": "command", "text": "/infointerview export"},
]


def run_console(tmp_path: Path, lines: list[str], *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "INFOINTERVIEW_DATABASE_URL": f"sqlite:///{tmp_path}/jsonl.db"}
    return subprocess.run(
        [sys.executable, "-m", "infointerview", "console", "--user", "sam",
         "--start-at", "2026-03-02T09:00:00-06:00", *extra],
        input="\n".join(lines) + "\n", capture_output=True, text=True, env=env, timeout=120,
        check=False, cwd=tmp_path,  # attachments are written into the current folder
    )


def drafts(outputs: list[dict[str, Any]], title_part: str) -> list[dict[str, Any]]:
    return [b for o in outputs if o["type"] == "message" for b in o["blocks"]
            if b["type"] == "draft" and title_part in b["title"]]


def test_complete_journey_through_jsonl(tmp_path: Path) -> None:
    result = run_console(tmp_path, [json.dumps(line) for line in LINES], "--jsonl")
    assert result.returncode == 0, result.stderr
    outputs = [json.loads(line) for line in result.stdout.splitlines()]
    assert not [o for o in outputs if o["type"] == "error"], outputs

    outreach = drafts(outputs, "outreach e-mail")
    assert outreach, "no outreach draft"
    assert "Prof. Ada Okafor" in outreach[0]["body"]
    assert "30 minutes" in outreach[0]["body"]
    assert "not asking about jobs" in outreach[0]["body"]

    calendars = [a for o in outputs if o["type"] == "message" for a in o["attachments"]
                 if a["filename"].endswith(".ics")]
    assert len(calendars) == 1
    assert Path(calendars[0]["path"]) == tmp_path / "interview-1.ics"
    assert (tmp_path / "interview-1.ics").read_bytes().decode() == calendars[0]["content"]
    event = Calendar.from_ical(calendars[0]["content"]).walk("VEVENT")[0]
    assert event.decoded("dtstart").isoformat() == "2026-03-10T19:00:00+00:00"  # 14:00 CDT
    assert (event.decoded("dtend") - event.decoded("dtstart")).total_seconds() == 45 * 60
    assert event.walk("VALARM"), "the calendar file carries an alarm"

    thank_yous = drafts(outputs, "thank-you")
    # the starred note, phrased to the person who gave the advice (issue 13)
    assert thank_yous and all("your advice to take the RAPS regulatory writing course early"
                              in d["body"] for d in thank_yous)
    reminder_dms = [o for o in outputs if o["type"] == "message" and o["dm"]
                    and "Time for your thank-you" in o["text"]]
    assert len(reminder_dms) == 1, "one thank-you reminder inside the 48 hours"

    linkedin = drafts(outputs, "LinkedIn connection note")
    assert linkedin and len(linkedin[-1]["body"]) <= 200
    assert "Jordan" in linkedin[-1]["body"]

    referral_outreach = [d for d in outreach if "Maria Chen" in d["body"]]
    assert referral_outreach and "Dr. Jordan Lee" in referral_outreach[0]["body"]

    second = drafts(outputs, "second thank-you")
    assert len(second) == 1 and "Northwind" in second[0]["body"]
    assert "nothing you need to do" in second[0]["body"].lower()

    export = [a for o in outputs if o["type"] == "message" for a in o["attachments"]
              if a["filename"].endswith(".json")]
    data = json.loads(export[-1]["content"])
    stages = {c["name"]: c["stage"] for c in data["contacts"]}
    assert stages == {"Dr. Jordan Lee": "thanked", "Maria Chen": "outreach_drafted"}
    jordan = data["contacts"][0]
    assert [n["text"] for n in jordan["notes"] if n["starred"]] == [
        "Take the RAPS regulatory writing course early"]
    assert jordan["profile_url"] == "https://linkedin.com/in/jordanlee"


def test_malformed_jsonl_lines_get_an_error_and_the_session_goes_on(tmp_path: Path) -> None:
    lines = ["{not json", json.dumps([1, 2]), json.dumps({"type": "dance"}),
             json.dumps({"type": "click", "label": "No such button"}),
             json.dumps({"type": "command", "text": "/infointerview help"})]
    result = run_console(tmp_path, lines, "--jsonl")
    outputs = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["type"] for o in outputs] == ["error", "error", "error", "error", "message"]
    assert "`start [name]`" in outputs[-1]["text"]


def test_piped_text_console_runs_the_demo_script(tmp_path: Path) -> None:
    result = run_console(tmp_path, DEMO_LINES, "--tz", "America/Chicago")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Prof. Ada Okafor suggested I get in touch" in out
    assert "Booked: your conversation with *Dr. Jordan Lee*" not in out  # no raw user markup
    assert "Time for your thank-you" in out
    assert "A second thank-you (contact 1)" in out
