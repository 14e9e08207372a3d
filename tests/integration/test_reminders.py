"""Reminders in simulated time: every kind, quiet hours, snooze, cancel-on-progress, DST, and the
dispatcher's handling of the platform's answers."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from infointerview.core import Engine, Message, SimulatedClock
from infointerview.core.dispatch import Dispatcher, RateLimited, Undeliverable
from tests.helpers import User, text_of

CHICAGO = ZoneInfo("America/Chicago")


@dataclass
class Sent:
    at: datetime
    user_id: str
    message: Message
    key: str

    @property
    def local(self) -> datetime:
        return self.at.astimezone(CHICAGO)

    @property
    def text(self) -> str:
        return self.message.plain_text()


@dataclass
class RecordingGateway:
    """Stands in for the platform's servers, the far side of the network."""

    clock: SimulatedClock
    platform: str = "console"
    sent: list[Sent] = field(default_factory=list)
    failures: list[Exception] = field(default_factory=list)

    async def send_dm(self, tenant: str, user_id: str, message: Message, *,
                      idempotency_key: str, sent_since: datetime | None = None) -> str:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append(Sent(self.clock(), user_id, message, idempotency_key))
        return f"msg-{len(self.sent)}"


def run_until(engine: Engine, clock: SimulatedClock, gateway: RecordingGateway,
              until: datetime) -> list[Sent]:
    """Let simulated time pass, ticking the dispatcher at each moment something falls due."""
    dispatcher = Dispatcher(engine, gateway)
    before = len(gateway.sent)
    for _ in range(500):
        due = engine.next_reminder_due(gateway.platform)
        if due is None or due > until:
            break
        clock.set(due)
        asyncio.run(dispatcher.tick())
    clock.set(until)
    asyncio.run(dispatcher.tick())
    return gateway.sent[before:]


@pytest.fixture
def gateway(clock: SimulatedClock) -> RecordingGateway:
    return RecordingGateway(clock)


def contact_ready(engine: Engine) -> tuple[User, str]:
    sam = User(engine)
    sam.onboard()
    number = str(sam.add_contact())
    return sam, number


def interview_done(engine: Engine, clock: SimulatedClock, end_local: datetime) -> tuple[User, str]:
    sam, number = contact_ready(engine)
    sam.click("mark_sent", number)
    sam.click("replied", number)
    day = end_local.date().isoformat()
    sam.submit(f"meeting:{number}", {"date": day, "time": end_local.strftime("%H:%M"),
                                     "duration": "30", "mode": "video", "detail": ""})
    clock.set(end_local.astimezone(UTC))
    sam.click("start_interview", number)
    sam.command("note", f"{number} Join the regulatory society's mentoring scheme")
    sam.click("end_interview", number)
    return sam, number


def test_no_reply_series(engine: Engine, clock: SimulatedClock, gateway: RecordingGateway) -> None:
    sam, number = contact_ready(engine)  # Monday 09:00 Chicago
    sam.click("mark_sent", number)
    sent = run_until(engine, clock, gateway, clock() + timedelta(days=8))
    assert [s.text.split("\n")[0][:30] for s in sent] == [
        "No reply from Dr. Jordan Lee a", "It's been a week since you wro"]
    assert sent[0].local.strftime("%a %H:%M") == "Thu 09:00"  # three working days later
    assert "polite follow-up" in sent[1].text and "Following up" in sent[1].text
    sam.click("follow_up_sent", number)
    later = run_until(engine, clock, gateway, clock() + timedelta(days=8))
    assert len(later) == 1 and "fine to park them" in later[0].text


def test_reply_cancels_the_no_reply_nudges(engine: Engine, clock: SimulatedClock,
                                           gateway: RecordingGateway) -> None:
    sam, number = contact_ready(engine)
    sam.click("mark_sent", number)
    clock.advance(timedelta(days=1))
    sam.click("replied", number)
    assert run_until(engine, clock, gateway, clock() + timedelta(days=20)) == []


def test_thank_you_next_morning_then_last_call_then_nothing_after_sending(
        engine: Engine, clock: SimulatedClock, gateway: RecordingGateway) -> None:
    end = datetime(2026, 3, 18, 15, 0, tzinfo=CHICAGO)  # Wednesday afternoon
    _sam, _number = interview_done(engine, clock, end)
    sent = run_until(engine, clock, gateway, end + timedelta(hours=47))
    assert len(sent) == 2, [s.key for s in sent]
    assert sent[0].local.strftime("%a %H:%M") == "Thu 09:00"
    # the draft uses the note, phrased to the person who gave the advice
    assert "your advice to join the regulatory society" in sent[0].text
    assert sent[1].at <= end + timedelta(hours=48)
    assert "Last call" in sent[1].text
    assert [b.label for b in sent[0].message.buttons] == [  # "Next week" would miss the 48 h
        "Done", "Snooze 1 hour", "Tomorrow morning", "Skip"]


def test_marking_the_thank_you_sent_cancels_its_reminders(
        engine: Engine, clock: SimulatedClock, gateway: RecordingGateway) -> None:
    end = datetime(2026, 3, 18, 15, 0, tzinfo=CHICAGO)
    sam, number = interview_done(engine, clock, end)
    sam.click("thanked", number)
    sent = run_until(engine, clock, gateway, end + timedelta(days=2))
    assert sent == []  # the LinkedIn nudge comes three days after the thank-you
    linkedin = run_until(engine, clock, gateway, end + timedelta(days=4))
    assert len(linkedin) == 1 and "LinkedIn" in linkedin[0].text


def test_morning_interview_gets_the_nudge_the_same_afternoon(
        engine: Engine, clock: SimulatedClock, gateway: RecordingGateway) -> None:
    end = datetime(2026, 3, 18, 10, 0, tzinfo=CHICAGO)
    interview_done(engine, clock, end)
    sent = run_until(engine, clock, gateway, end + timedelta(hours=6))
    assert len(sent) == 1 and sent[0].local.strftime("%H:%M") == "14:00"


def test_dst_switch_keeps_nine_am_local(engine: Engine, clock: SimulatedClock,
                                        gateway: RecordingGateway) -> None:
    end = datetime(2026, 3, 7, 16, 0, tzinfo=CHICAGO)  # Saturday; clocks change that night
    interview_done(engine, clock, end)
    sent = run_until(engine, clock, gateway, end + timedelta(hours=20))
    assert sent and sent[0].local.strftime("%a %H:%M %Z") == "Sun 09:00 CDT"


def test_quiet_hours_hold_a_reminder_until_morning(
        engine: Engine, clock: SimulatedClock, gateway: RecordingGateway) -> None:
    sam, number = contact_ready(engine)
    clock.set(datetime(2026, 3, 2, 22, 30, tzinfo=CHICAGO).astimezone(UTC))  # Monday night
    sam.click("mark_sent", number)  # the follow-up would be due next Monday 22:30
    sent = run_until(engine, clock, gateway, clock() + timedelta(days=8))
    follow_up = [s for s in sent if "a week since" in s.text]
    assert follow_up and follow_up[0].local.strftime("%a %H:%M") == "Tue 08:00"


def test_settings_changed_after_scheduling_still_respected(
        engine: Engine, clock: SimulatedClock, gateway: RecordingGateway) -> None:
    sam, number = contact_ready(engine)
    sam.click("mark_sent", number)  # nudge due Thursday 09:00
    sam.submit("settings", {"tz": "America/Chicago", "quiet_start": "20:00",
                            "quiet_end": "10:30", "weekdays_only": "no",
                            "weekly_summary": "off"})
    sent = run_until(engine, clock, gateway, clock() + timedelta(days=4))
    assert sent and sent[0].local.strftime("%a %H:%M") == "Thu 10:30"


def test_snooze_and_skip(engine: Engine, clock: SimulatedClock,
                         gateway: RecordingGateway) -> None:
    end = datetime(2026, 3, 18, 15, 0, tzinfo=CHICAGO)
    sam, _number = interview_done(engine, clock, end)
    first = run_until(engine, clock, gateway, end + timedelta(hours=19))[0]
    snooze = next(b for b in first.message.buttons if b.label == "Snooze 1 hour")
    snoozed_at = clock()
    assert "I'll remind you again" in text_of(sam.click(snooze.action, snooze.value))
    again = run_until(engine, clock, gateway, clock() + timedelta(hours=2))
    assert len(again) == 1
    assert timedelta(hours=1) <= again[0].at - snoozed_at <= timedelta(hours=1, minutes=5)
    skip = next(b for b in again[0].message.buttons if b.label == "Skip")
    sam.click(skip.action, skip.value)
    assert run_until(engine, clock, gateway, end + timedelta(hours=60)) == []  # last call too


def test_done_on_a_reminder_moves_the_journey(engine: Engine, clock: SimulatedClock,
                                              gateway: RecordingGateway) -> None:
    end = datetime(2026, 3, 18, 15, 0, tzinfo=CHICAGO)
    sam, _number = interview_done(engine, clock, end)
    first = run_until(engine, clock, gateway, end + timedelta(hours=19))[0]
    done = first.message.buttons[0]
    assert "Thank-you sent" in text_of(sam.click(done.action, done.value))
    assert "Thank-you sent" in text_of(sam.command("list"))


def test_weekly_summary_is_opt_in(engine: Engine, clock: SimulatedClock,
                                  gateway: RecordingGateway) -> None:
    sam, _number = contact_ready(engine)
    assert run_until(engine, clock, gateway, clock() + timedelta(days=8)) == []
    sam.submit("settings", {"tz": "America/Chicago", "quiet_start": "21:00",
                            "quiet_end": "08:00", "weekdays_only": "no", "weekly_summary": "on"})
    sent = run_until(engine, clock, gateway, clock() + timedelta(days=15))
    weekly = [s for s in sent if "Your week" in s.text]
    assert len(weekly) == 2
    assert all(s.local.strftime("%a %H:%M") == "Mon 09:00" for s in weekly)


def test_rate_limit_backs_off_and_delivers_once(engine: Engine, clock: SimulatedClock,
                                                gateway: RecordingGateway) -> None:
    sam, number = contact_ready(engine)
    sam.click("mark_sent", number)
    gateway.failures = [RateLimited(retry_after=120)]
    sent = run_until(engine, clock, gateway, clock() + timedelta(days=4))
    assert len(sent) == 1
    assert sent[0].local.strftime("%a %H:%M") == "Thu 09:02"  # after Retry-After, not before


def test_closed_dms_are_recorded_bounded_and_shown_in_list(
        engine: Engine, clock: SimulatedClock, gateway: RecordingGateway) -> None:
    sam, number = contact_ready(engine)
    sam.click("mark_sent", number)
    gateway.failures = [Undeliverable("the user has closed their DMs")] * 10
    run_until(engine, clock, gateway, clock() + timedelta(days=5))
    assert len(gateway.failures) == 7  # three attempts, then given up
    listing = text_of(sam.command("list"))
    assert "could not reach you by direct message" in listing and "closed their DMs" in listing


def test_after_downtime_overdue_reminders_arrive_once_with_fitting_words(
        engine: Engine, clock: SimulatedClock, gateway: RecordingGateway) -> None:
    end = datetime(2026, 3, 18, 15, 0, tzinfo=CHICAGO)
    interview_done(engine, clock, end)
    clock.set((end + timedelta(hours=26)).astimezone(UTC))  # the bot was down all that time
    dispatcher = Dispatcher(engine, gateway)
    asyncio.run(dispatcher.tick())
    asyncio.run(dispatcher.tick())
    assert len(gateway.sent) == 1
    assert "late; I was offline" in gateway.sent[0].text


def test_real_ticker_delivers(engine: Engine, clock: SimulatedClock,
                              gateway: RecordingGateway) -> None:
    sam, number = contact_ready(engine)
    sam.click("mark_sent", number)
    clock.advance(timedelta(days=4))

    async def main() -> None:
        dispatcher = Dispatcher(engine, gateway, interval=0.05, jitter=0)
        dispatcher.start()
        for _ in range(100):
            await asyncio.sleep(0.05)
            if gateway.sent:
                break
        dispatcher.stop()

    asyncio.run(main())
    assert len(gateway.sent) == 1 and "three working days" in gateway.sent[0].text


