"""Set-up, part two: proposing time windows, recording the agreed time, the calendar file."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from infointerview.core.forms import parse_clock_time
from infointerview.core.journey import drafts
from infointerview.core.journey.agenda import suggested
from infointerview.core.journey.calendar_file import interview_ics
from infointerview.core.journey.cards import button, card_buttons
from infointerview.core.journey.catalog import reminders as kinds
from infointerview.core.journey.catalog.actions import enter
from infointerview.core.journey.context import Ctx
from infointerview.core.journey.forms_catalog import meeting_form, windows_form
from infointerview.core.journey.state import Contact, MeetingMode, OutreachChannel
from infointerview.core.journey.timeparse import (
    DayError,
    Window,
    WindowError,
    clock_text,
    in_zone,
    parse_day,
    parse_window,
)
from infointerview.core.model import Attachment, Button, DraftBlock
from infointerview.core.timezones import zone_label

PREP_DAY_BEFORE_HOUR = 17
PREP_BEFORE = timedelta(hours=1)
MAX_AHEAD = timedelta(days=731)
MODE_LABELS = {MeetingMode.VIDEO: "video call", MeetingMode.PHONE: "phone call",
               MeetingMode.IN_PERSON: "in person"}
HOW = {MeetingMode.VIDEO: "by video call", MeetingMode.PHONE: "by phone",
       MeetingMode.IN_PERSON: "in person"}


def act_propose(ctx: Ctx, contact: Contact, value: str) -> None:
    ctx.form(windows_form(contact.no).with_values({"contact_tz": contact.contact_tz}))


def submit_windows(ctx: Ctx, contact: Contact, values: dict[str, str]) -> None:
    errors: dict[str, str] = {}
    windows = []
    for name in ("window1", "window2", "window3"):
        if not values.get(name):
            continue
        try:
            windows.append(parse_window(values[name], ctx.zone, ctx.now))
        except WindowError as exc:
            errors[name] = str(exc)
    if errors:
        ctx.form(windows_form(contact.no).with_errors(values, errors))
        return
    contact.contact_tz = values.get("contact_tz", "")
    their_zone = _their_zone(contact)
    windows = sorted(set(windows), key=lambda w: (w.start, w.end))  # a window typed twice: once
    lines = [_window_line(ctx, window, ctx.zone, their_zone) for window in windows]
    contact.windows = lines
    draft = reply_with_times(ctx, contact, windows, their_zone)
    awkward = ([span_text(window, their_zone, ctx.now) for window in windows
                if outside_working_day(window, their_zone)]
               if their_zone is not None and their_zone.key != ctx.zone.key else [])
    ctx.private(ctx.message("logistics/windows.j2", contact=contact, windows=lines, extra=[draft],
                            awkward=awkward,
                            buttons=[*_window_buttons(ctx, contact, windows),
                                     *card_buttons(contact, "schedule")]))


def reply_with_times(ctx: Ctx, contact: Contact, windows: list[Window],
                      their_zone: ZoneInfo | None) -> DraftBlock:
    """The windows as the contact reads them: their own clock first. On LinkedIn, when both
    zones do not fit 200 characters, their zone alone, and then without the signature."""
    both = [_window_line(ctx, window, their_zone or ctx.zone, ctx.zone) for window in windows]
    context = drafts.draft_context(ctx, contact, windows=both)
    if contact.channel is not OutreachChannel.LINKEDIN:
        return ctx.templates.draft("Your reply with times", "drafts/propose_times.j2", context)
    theirs = [span_text(window, their_zone or ctx.zone, ctx.now) for window in windows]
    text = ""
    for lines in (both, theirs):  # never cut: a window left out would be worse than a long text
        text = drafts.fit_linkedin(ctx, ["drafts/propose_times.j2"], {**context, "windows": lines},
                                   cut=False)
        if len(text) <= drafts.LINKEDIN_LIMIT:
            break
    return drafts.linkedin_block("Your reply with times", text)


def _window_line(ctx: Ctx, window: Window, first: ZoneInfo, second: ZoneInfo | None) -> str:
    """ "Thu 09 Apr, 2–4 PM (CEST) / 1–3 PM (BST)": the window in ``first``, then ``second``
    (the day again only when it differs)."""
    line = span_text(window, first, ctx.now)
    if second is not None and second.key != first.key:
        there = span_text(window, second, ctx.now)
        same_day = (line.partition(", ")[0] == there.partition(", ")[0]
                    and there.count(", ") == 1)  # starts and ends on the first zone's day
        line += f" / {there.partition(', ')[2] if same_day else there}"
    return line


# Their clock's ordinary day: a window reaching outside it is pointed out before it is sent.
WORKING_DAY = (time(8, 0), time(19, 0))


def outside_working_day(window: Window, zone: ZoneInfo) -> bool:
    """Whether any part of ``window`` falls outside 8 AM-7 PM, or off their weekday, on the
    clock of ``zone``."""
    start, end = window.start.astimezone(zone), window.end.astimezone(zone)
    first, last = WORKING_DAY
    return (start.date() != end.date() or start.weekday() >= 5
            or start.time() < first or end.time() > last)


def _their_zone(contact: Contact) -> ZoneInfo | None:
    try:
        return ZoneInfo(contact.contact_tz) if contact.contact_tz else None
    except Exception:  # a zone name stored before names were checked must not break a handler
        return None


def _window_buttons(ctx: Ctx, contact: Contact, windows: list[Window]) -> list[Button]:
    """One button per window: it opens the agreed-time form with that window's start filled in."""
    picks = []
    for window in windows:
        local = window.start.astimezone(ctx.zone)
        label = f"Agreed: {local:%a %d %b}, {clock_text(local)}"
        picks.append(button("schedule", contact, label, window.start.isoformat()))
    return picks


def span_text(window: Window, zone: ZoneInfo, now: datetime) -> str:
    """A window as the bot writes it: "Thu 09 Apr, 12–5 PM (CEST)"; the year when it is not
    this year's, the end's day when it ends on another day."""
    start, end = window.start.astimezone(zone), window.end.astimezone(zone)
    day_format = "%a %d %b" if start.year == now.astimezone(zone).year else "%a %d %b %Y"
    first, last = clock_text(start), clock_text(end)
    if end.date() != start.date():
        last = f"{end:{day_format}}, {last}"
    elif first[-2:] == last[-2:]:  # "12–5 PM", not "12 PM–5 PM"
        first = first[:-3]
    return f"{start:{day_format}}, {first}–{last} ({zone_label(start)})"


def long_when(moment: datetime, zone: ZoneInfo) -> str:
    """The agreed time in full, for confirming it: "Wednesday 8 April 2026, 2 PM (CEST)"."""
    local = moment.astimezone(zone)
    return f"{local:%A} {local.day} {local:%B %Y}, {clock_text(local)} ({zone_label(local)})"


def act_schedule(ctx: Ctx, contact: Contact, value: str) -> None:
    form = meeting_form(contact.no)
    prefill = dict(form.values)
    if contact.meeting_at:
        local = ctx.local(contact.meeting_at)
        prefill.update(date=_day_text(local), time=local.strftime("%H:%M"),
                       duration=str(contact.duration_min),
                       mode=contact.mode.value if contact.mode else "",
                       detail=contact.mode_detail)
    picked = _picked_window(value)
    if picked is not None:  # a proposed window's button: its day and start
        local = ctx.local(picked)
        prefill.update(date=_day_text(local), time=local.strftime("%H:%M"))
    ctx.form(form.with_values(prefill))


def _day_text(local: datetime) -> str:
    """A day as the form shows it back, readable and read again the same way: "8 April 2026"."""
    return f"{local.day} {local:%B %Y}"


def _picked_window(value: str) -> datetime | None:
    try:
        picked = datetime.fromisoformat(value) if value else None
    except ValueError:  # a stale or hand-made button value: just open the form
        return None
    return picked if picked is not None and picked.tzinfo is not None else None


def submit_meeting(ctx: Ctx, contact: Contact, values: dict[str, str]) -> None:
    clock = parse_clock_time(values["time"])
    assert clock is not None  # the form validated it
    try:
        day = parse_day(values["date"], ctx.zone, ctx.now)
    except DayError as unreadable:
        ctx.form(meeting_form(contact.no).with_errors(values, {"date": str(unreadable)}))
        return
    try:
        start = in_zone(datetime.combine(day, clock), ctx.zone)
    except WindowError as skipped:  # a time the clocks jump over that night
        ctx.form(meeting_form(contact.no).with_errors(values, {"time": str(skipped)}))
        return
    problem = ""
    if start < ctx.now:
        problem = "That moment has already passed; please give the agreed date."
    elif start > ctx.now + MAX_AHEAD:
        problem = "That is more than two years away; please check the year."
    if problem:
        ctx.form(meeting_form(contact.no).with_errors(values, {"date": problem}))
        return
    was_scheduled = contact.meeting_at is not None
    contact.meeting_at = start
    contact.duration_min = int(values["duration"])
    contact.mode = MeetingMode(values["mode"])
    contact.mode_detail = values["detail"]
    enter(contact, "schedule")  # the catalogue's move, now the outcome is known
    if not contact.agenda:
        contact.agenda = suggested(ctx, contact)
    _schedule_prep(ctx, contact)
    their_zone = _their_zone(contact)
    their_when = ""
    if their_zone is not None and their_zone.key != ctx.zone.key:
        there = start.astimezone(their_zone)
        their_when = f"{clock_text(there)} ({zone_label(there)})"
        if there.date() != ctx.local(start).date():
            their_when = f"{there:%A}, {their_when}"
    ctx.private(ctx.message(
        "logistics/scheduled.j2", contact=contact, when=long_when(start, ctx.zone),
        their_when=their_when,
        mode=MODE_LABELS[contact.mode], rescheduled=was_scheduled,
        extra=[confirmation(ctx, contact)],
        attachments=[calendar_attachment(ctx, contact)],
        buttons=card_buttons(contact, "questions", "prepared"),
    ))


def confirmation(ctx: Ctx, contact: Contact) -> DraftBlock:
    """A short note confirming the agreed time, in their zone and the student's, the length and
    how (with the link, number or place)."""
    assert contact.meeting_at is not None and contact.mode is not None
    their_zone = _their_zone(contact)
    if their_zone is not None and their_zone.key == ctx.zone.key:
        their_zone = None
    their_when = long_when(contact.meeting_at, their_zone) if their_zone else ""
    there = contact.meeting_at.astimezone(their_zone or ctx.zone)  # the subject: their day
    mine = contact.meeting_at.astimezone(ctx.zone)
    my_when = long_when(contact.meeting_at, ctx.zone)
    if their_zone is not None:  # in brackets after theirs: the day only when it differs
        day = "" if mine.date() == there.date() else f"{mine:%A} {mine.day} {mine:%B}, "
        my_when = f"{day}{clock_text(mine)} {zone_label(mine)}"
    context = drafts.draft_context(
        ctx, contact, email=contact.channel is OutreachChannel.EMAIL,
        day=f"{there:%A} {there.day} {there:%B}", my_when=my_when, their_when=their_when,
        minutes=contact.duration_min, how=HOW[contact.mode], detail=contact.mode_detail)
    title = "Confirm the time with them"
    if contact.channel is OutreachChannel.LINKEDIN:
        title += " (LinkedIn message)"
    return ctx.templates.draft(title, "drafts/confirm_meeting.j2", context)


def _schedule_prep(ctx: Ctx, contact: Contact) -> None:
    assert contact.meeting_at is not None
    local = ctx.local(contact.meeting_at)
    evening_before = datetime.combine(local.date() - timedelta(days=1),
                                      datetime.min.time().replace(hour=PREP_DAY_BEFORE_HOUR),
                                      tzinfo=ctx.zone)
    if evening_before > ctx.now:
        ctx.remind(kinds.PREP_DAY, evening_before, contact)
    else:
        ctx.unremind(contact, kinds.PREP_DAY)
    hour_before = contact.meeting_at - PREP_BEFORE
    if hour_before > ctx.now:
        ctx.remind(kinds.PREP_HOUR, hour_before, contact)


def calendar_attachment(ctx: Ctx, contact: Contact) -> Attachment:
    assert contact.meeting_at is not None and contact.mode is not None
    agenda = "\n".join(f"- {ctx.bank.item_text(item)}" for item in contact.agenda)
    detail = contact.mode_detail
    is_link = detail.startswith(("http://", "https://"))
    created = contact.created_at or ctx.now
    content = interview_ics(
        uid=f"{ctx.user_id}-{contact.no}-{int(created.timestamp())}@infointerview",
        title=f"Informational interview with {contact.name}",
        start=contact.meeting_at,
        minutes=contact.duration_min,
        description=(f"{MODE_LABELS[contact.mode].capitalize()}. {detail}\n\n"
                     f"Questions:\n{agenda}\n\nBefore you finish: ask who else to talk to."),
        location="" if is_link else detail,
        url=detail if is_link else "",
        stamp=ctx.now,
    )
    return Attachment(f"interview-{contact.no}.ics", "text/calendar", content)


def act_calendar(ctx: Ctx, contact: Contact, value: str) -> None:
    if contact.meeting_at is None:
        act_schedule(ctx, contact, value)
        return
    ctx.private(ctx.message("logistics/calendar.j2", contact=contact,
                            attachments=[calendar_attachment(ctx, contact)]))
