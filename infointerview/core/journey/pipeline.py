"""The whole picture: the pipeline list, help, settings, the introduction and forget-me."""

from __future__ import annotations

from datetime import timedelta

from infointerview.core.clock import parse_duration
from infointerview.core.forms import parse_clock_time, parse_iso_date
from infointerview.core.journey.cards import due_date
from infointerview.core.journey.catalog.actions import STAGES
from infointerview.core.journey.context import Ctx
from infointerview.core.journey.forms_catalog import intro_form, settings_form
from infointerview.core.journey.intro import review_intro
from infointerview.core.journey.nudges import schedule_weekly
from infointerview.core.journey.setup import active_contacts, who_to_ask
from infointerview.core.journey.someone_else import still_exploring
from infointerview.core.journey.state import Contact, Stage
from infointerview.core.model import Button, ButtonStyle, Message

# What the sign-in link's message promises; core.access keeps them (LINK_TTL, SESSION_TTL), and
# tests/integration/test_web_link.py checks they agree (the journey does not import the store).
LINK_MINUTES = 10
SESSION_HOURS = 8


def cmd_list(ctx: Ctx, args: str) -> None:
    by_stage: dict[Stage, list[Contact]] = {}
    for contact in ctx.state.contacts.values():
        by_stage.setdefault(contact.stage, []).append(contact)
    exploring = still_exploring(ctx)
    groups = []
    for stage, spec in STAGES.items():
        if stage not in by_stage:
            continue
        rows = []
        for contact in by_stage[stage]:
            due = due_date(contact, ctx.zone)
            rows.append({"contact": contact, "due": due.phrase(ctx) if due else "",
                         "applied": _applied(ctx, contact)})
        groups.append({"label": spec.label, "next": spec.next_action, "rows": rows,
                       "exploring": [{"no": c.no, **exploring[c.no]}
                                     for c in by_stage[stage] if c.no in exploring]})
    if ctx.state.undelivered_reminders:
        ctx.say(ctx.message("pipeline/undelivered.j2", count=ctx.state.undelivered_reminders,
                            error=ctx.state.delivery_error))
    ctx.private(ctx.message("pipeline/list.j2", groups=groups,
                            buttons=[Button("start", "Add a contact", style=ButtonStyle.PRIMARY),
                                     Button("who", "Who could I ask?")]))
    active = len(active_contacts(ctx))
    if active == 0:
        who_to_ask(ctx)
    elif active < ctx.config.thin_pipeline:
        # one line, not the seven places to look on every `list`: the button beside it has them
        ctx.say(ctx.message("pipeline/thin.j2", active=active))


def _applied(ctx: Ctx, contact: Contact) -> str:
    if contact.applied_at is None:
        return ""
    where = contact.organisation or "their organisation"
    return f"applied to {where} on {ctx.fmt(contact.applied_at)}"


def cmd_help(ctx: Ctx, args: str, unknown: str = "") -> None:
    ctx.say(ctx.message("pipeline/help.j2", unknown=unknown))


def cmd_dashboard(ctx: Ctx, args: str) -> None:
    """A one-time link to the person's web pages (a coach's show their cohorts too). A link
    signs its holder in, so it is said only in the DM, never in a channel."""
    if ctx.web_link is None:
        ctx.say(ctx.message("web/not_set_up.j2"))
        return
    ctx.private(ctx.message("web/link.j2", url=ctx.web_link(), minutes=LINK_MINUTES,
                            hours=SESSION_HOURS), pointer="web/link_sent.j2")


def cmd_who(ctx: Ctx, args: str) -> None:
    who_to_ask(ctx, intro=True)


def cmd_settings(ctx: Ctx, args: str) -> None:
    """``settings [zone]``: a zone given (typed, or picked from a platform's list) is pre-filled;
    the form validates it like anything else."""
    s = ctx.state.settings
    ctx.form(settings_form().with_values(
        {"tz": args.strip() or s.tz, "quiet_start": s.quiet_start, "quiet_end": s.quiet_end,
         "weekdays_only": "yes" if s.weekdays_only else "no",
         "weekly_summary": "on" if s.weekly_summary else "off"}))


def submit_settings(ctx: Ctx, rest: str, values: dict[str, str]) -> None:
    s = ctx.state.settings
    s.tz = values["tz"]
    start, end = parse_clock_time(values["quiet_start"]), parse_clock_time(values["quiet_end"])
    s.quiet_start = start.strftime("%H:%M") if start else s.quiet_start
    s.quiet_end = end.strftime("%H:%M") if end else s.quiet_end
    s.weekdays_only = values["weekdays_only"] == "yes"
    s.weekly_summary = values["weekly_summary"] == "on"
    schedule_weekly(ctx)
    ctx.say(ctx.message("pipeline/settings_saved.j2", settings=s))


def cmd_pause(ctx: Ctx, args: str) -> None:
    """``pause 2026-12-01`` / ``pause 2w`` / ``pause off``."""
    text = args.strip().lower()
    s = ctx.state.settings
    if text in ("off", "resume", "stop", "no"):
        s.paused_until = None
        ctx.say(ctx.message("pipeline/paused.j2", until=""))
        return
    until = parse_iso_date(text)
    length = parse_duration(text) if until is None and text else None
    if until is None and length is not None:
        until = (ctx.local(ctx.now) + length).date()
    today = ctx.local(ctx.now).date()
    if until is None or until <= today or until > today + timedelta(days=366):
        ctx.say(ctx.message("pipeline/pause_usage.j2"))
        return
    s.paused_until = until
    ctx.say(ctx.message("pipeline/paused.j2", until=until.strftime("%a %d %b %Y")))


def cmd_intro(ctx: Ctx, args: str) -> None:
    text = args.strip()
    if not text:
        ctx.form(intro_form().with_values({"intro": ctx.state.profile.intro}))
        return
    save_intro(ctx, text)


def submit_intro(ctx: Ctx, rest: str, values: dict[str, str]) -> None:
    save_intro(ctx, values["intro"])


def save_intro(ctx: Ctx, text: str) -> None:
    if len(text) > 4000:
        ctx.say(ctx.message("pipeline/intro_too_long.j2", length=len(text), text=text))
        return
    ctx.state.profile.intro = text
    review = review_intro(text)
    ctx.private(ctx.message("pipeline/intro_review.j2", review=review,
                            buttons=[Button("intro", "Rewrite it")]))


def cmd_forget(ctx: Ctx, args: str) -> None:
    ctx.say(ctx.message("pipeline/forget_confirm.j2", contacts=len(ctx.state.contacts),
                        buttons=[Button("forget_confirm", "Yes, delete everything",
                                        style=ButtonStyle.DANGER),
                                 Button("forget_cancel", "Keep my data")]))


def forget_confirmed(ctx: Ctx) -> None:
    ctx.state.forgotten = True
    ctx.say(ctx.message("pipeline/forgotten.j2"))


def forget_cancelled(ctx: Ctx) -> None:
    ctx.say(ctx.message("pipeline/forget_cancelled.j2"))


DUE_SOON = timedelta(days=7)


def overview(ctx: Ctx) -> Message:
    """Counts by stage and what falls due within a week: a home screen's content."""
    contacts = list(ctx.state.contacts.values())
    counts = [(spec.label, n) for stage, spec in STAGES.items()
              if (n := sum(1 for c in contacts if c.stage is stage))]
    due = []
    for contact in contacts:
        when = due_date(contact, ctx.zone)
        if when and when.at <= ctx.now + DUE_SOON:  # overdue ones too, first
            due.append((when.at, contact, when.phrase(ctx)))
    due.sort(key=lambda item: item[0])
    rows = [{"contact": c, "what": phrase} for _, c, phrase in due]
    return ctx.message("pipeline/home.j2", total=len(contacts), counts=counts, due=rows,
                       buttons=[Button("start", "Add a contact", style=ButtonStyle.PRIMARY),
                                Button("list", "My pipeline"),
                                Button("settings", "Settings")])
