"""`infointerview demo`: a scripted walk through the whole journey on a simulated clock.

The script is exactly what a person would type into the console, so the demo also exercises the
piped console end to end.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TextIO

from infointerview.adapters.console.adapter import ConsoleAdapter
from infointerview.adapters.console.repl import TextChat
from infointerview.core import Engine, SimulatedClock

# Monday 2 March 2026, 09:00 in Chicago.
DEMO_START = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
DEMO_USER = "sam"

DEMO_LINES = [
    "/infointerview start",
    # profile, asked once
    "Sam Rivera", "PhD student in biomedical sciences", "Lakeside University",
    "regulatory affairs and science policy", "America/Chicago",
    # the person to talk to
    "Dr. Jordan Lee", "Regulatory affairs manager", "Northwind Biologics", "Industry", "E-mail",
    "Referred by someone", "Prof. Ada Okafor", "jordan.lee@example.org", "",
    "moved from bench science into regulatory work",
    "Shorter",
    "Mark sent",
    "/advance 2d",
    "They replied",
    "Propose times",
    "Tue 2-4pm", "Wed 10-11:30am", "", "America/New_York",
    "Agreed a time",
    "2026-03-10", "14:00", "30", "Video call", "https://meet.example.org/jordan-lee",
    "/infointerview questions 1 custom How did you learn the regulatory submission process?",
    "Agenda ready",
    "/infointerview intro I'm Sam, a PhD student at Lakeside University. In my research I study "
    "how cells repair damaged DNA, which matters for understanding cancer. Lately I've enjoyed "
    "the writing and review side of science more than the bench, so I'm exploring careers in "
    "regulatory affairs and science policy. I'd love to hear how you made that move, what your "
    "days look like, and what skills helped you most.",
    "/advance 5d",
    "/advance 1d2h",
    "/advance 2h",
    "Start interview",
    "Took a RAPS regulatory writing course in her first year; says it paid off quickly",
    "Star this one",
    "Reword it for them",
    "your story about the RAPS regulatory writing course paying off in your first year",
    "Most of the job is negotiating timelines with the FDA reviewers",
    "Wrap up",
    "Add a referral",
    "Maria Chen", "Policy analyst", "US Food and Drug Administration", "",
    "made the move from academia to the agency",
    "End interview",
    "/advance 20h",
    "Mark thank-you sent",
    "Mark connected",
    "/infointerview list",
    "/advance 8w",
    "/infointerview applied Northwind Biologics",
    "/infointerview export",
]


def run_demo(engine: Engine, clock: SimulatedClock, out: TextIO) -> None:
    console = ConsoleAdapter(engine, DEMO_USER, tz="America/Chicago", clock=clock)
    TextChat(console, iter(DEMO_LINES), out, interactive=False, echo=True).run()
