"""Cohort commands, buttons and forms: run by the engine inside the event's transaction.

Unlike the journey, which sees one person's state, a cohort spans people, so these handlers read
and write the cohort tables directly. Consent rules: nobody is enrolled without asking to join; a
contact is visible only after its owner shares it, only in the cohort chosen, only as much as the
owner chose (:func:`core.cohorts.store.visible`); an owner's notes are never read here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, RowMapping

from core.cohorts import progress, store
from core.cohorts.forms import intro_form, share_form
from core.cohorts.search import rank
from core.forms import parse_number
from core.journey.context import Ctx
from core.journey.state import Contact, HowFound, OutreachChannel, Sector
from core.model import (
    ActionClicked,
    Actor,
    Attachment,
    Button,
    ButtonStyle,
    Cancel,
    CommandInvoked,
    Event,
    FormSubmitted,
    PostToChannel,
    ReminderDue,
    Schedule,
    SendDM,
)
from core.richtext import clean_user_text
from core.store import repo

DIGEST = "cohort_digest"
COMMANDS = frozenset({"cohort", "share", "unshare"})
ACTIONS = frozenset({"cohort_join", "ask_intro", "intro_accept", "intro_decline",
                     "share_contact"})
FORMS = frozenset({"share", "warm_intro"})
MAX_RESULTS = 10


def claims(event: Event) -> bool:
    """Is this event for the cohort features rather than the person's own journey?"""
    if isinstance(event, CommandInvoked):
        return event.name.strip().lower() in COMMANDS
    if isinstance(event, ActionClicked):
        return event.action in ACTIONS
    if isinstance(event, FormSubmitted):
        return event.form_id.partition(":")[0] in FORMS
    if isinstance(event, ReminderDue):
        return event.kind == DIGEST
    return False


@dataclass
class Scope:
    c: Connection
    ctx: Ctx
    user: RowMapping
    actor: Actor

    @property
    def pk(self) -> int:
        return int(self.user["id"])

    def say(self, template: str, buttons: tuple[Button, ...] = (), **values: Any) -> None:
        self.ctx.say(self.ctx.message(template, buttons=buttons, **values))

    def here(self) -> RowMapping | None:
        """The cohort of the channel this happens in, if it is one."""
        if self.ctx.place.is_dm:
            return None
        return store.cohort_in_channel(self.c, self.actor.platform, self.actor.tenant,
                                       self.ctx.place.channel_id)

    def mine(self) -> list[RowMapping]:
        return [r for r in store.my_cohorts(self.c, self.pk)
                if r["platform"] == self.actor.platform and r["tenant"] == self.actor.tenant]

    def target(self, role: str | None = None) -> RowMapping | None:
        """This channel's cohort, or in a DM the only cohort (with that role) the person is in."""
        here = self.here()
        if here is not None:
            return here
        candidates = [r for r in self.mine() if role is None or r["role"] == role]
        if len(candidates) == 1:
            return candidates[0]
        self.say("cohort/which.j2", count=len(candidates))
        return None


def handle(scope: Scope, event: Event) -> None:
    if isinstance(event, CommandInvoked):
        name, args = event.name.strip().lower(), clean_user_text(event.args).strip()
        if name == "cohort":
            sub, _, rest = args.partition(" ")
            SUBCOMMANDS.get(sub.lower(), cohort_status)(scope, rest.strip())
        elif name == "share":
            cmd_share(scope, args)
        else:
            cmd_unshare(scope, args)
    elif isinstance(event, ActionClicked):
        CLICKS[event.action](scope, event.value)
    elif isinstance(event, FormSubmitted):
        kind, _, rest = event.form_id.partition(":")
        SUBMITS[kind](scope, rest, event.values)
    elif isinstance(event, ReminderDue):
        post_digest(scope, event.contact_no, event.due_at)


# --- cohort lifecycle ------------------------------------------------------------------------


def cohort_status(scope: Scope, rest: str) -> None:
    scope.say("cohort/status.j2", cohorts=scope.mine())


def create(scope: Scope, name: str) -> None:
    if scope.ctx.place.is_dm:
        scope.say("cohort/use_in_channel.j2", what="create")
        return
    if not scope.actor.manager:
        scope.say("cohort/not_allowed.j2")
        return
    if scope.here() is not None:
        scope.say("cohort/already_cohort.j2")
        return
    now, tz = scope.ctx.now, scope.ctx.state.settings.tz or "UTC"
    cohort_id = store.create_cohort(scope.c, scope.actor.platform, scope.actor.tenant,
                                    scope.ctx.place.channel_id, name or "Cohort", tz, now)
    store.join(scope.c, cohort_id, scope.pk, "coach", now)
    scope.ctx.state.session.in_cohort = True
    scope.ctx.effects.append(Schedule(f"{DIGEST}:{cohort_id}", DIGEST,
                                      progress.next_digest(now, 4, "16:00", tz), cohort_id))
    scope.say("cohort/created.j2", name=name or "Cohort")
    scope.ctx.effects.append(PostToChannel(scope.ctx.place.channel_id, scope.ctx.message(
        "cohort/announce.j2", name=name or "Cohort",
        buttons=[Button("cohort_join", "Join this cohort", str(cohort_id), ButtonStyle.PRIMARY)])))


def join(scope: Scope, rest: str) -> None:
    here = scope.here()
    if here is None:
        scope.say("cohort/use_in_channel.j2", what="join")
        return
    _join(scope, here)


def click_join(scope: Scope, value: str) -> None:
    number = parse_number(value)
    found = store.cohort(scope.c, number, scope.actor.platform, scope.actor.tenant) \
        if number is not None else None
    if found is None:
        scope.say("common/stale_button.j2")
        return
    _join(scope, found)


def _join(scope: Scope, cohort: RowMapping) -> None:
    member = store.membership(scope.c, cohort["id"], scope.pk)
    if member is not None:
        if member["paused"]:
            store.set_member(scope.c, cohort["id"], scope.pk, paused=False)
        scope.say("cohort/joined.j2", cohort=cohort, again=True)
        return
    store.join(scope.c, cohort["id"], scope.pk, "member", scope.ctx.now)
    scope.ctx.state.session.in_cohort = True
    scope.say("cohort/joined.j2", cohort=cohort, again=False)


def leave(scope: Scope, rest: str) -> None:
    cohort = scope.target()
    if cohort is None or store.membership(scope.c, cohort["id"], scope.pk) is None:
        if cohort is not None:
            scope.say("cohort/not_member.j2")
        return
    store.leave(scope.c, cohort["id"], scope.pk)
    scope.ctx.state.session.in_cohort = bool(store.my_cohorts(scope.c, scope.pk)) or None
    _rehome_digest(scope, cohort)
    scope.say("cohort/left.j2", cohort=cohort)


def _rehome_digest(scope: Scope, cohort: RowMapping) -> None:
    """The weekly digest is a reminder owned by one member; it moves on when they leave."""
    key = f"{DIGEST}:{cohort['id']}"
    scope.ctx.effects.append(Cancel(key))
    remaining = sorted(store.members(scope.c, cohort["id"]), key=lambda m: m["role"] != "coach")
    if remaining:
        heir = store.user_row(scope.c, remaining[0]["user_pk"])
        if heir is not None:
            due = progress.next_digest(scope.ctx.now, cohort["digest_day"],
                                       cohort["digest_time"], cohort["tz"])
            repo.apply_reminders(scope.c, heir, [Schedule(key, DIGEST, due, cohort["id"])],
                                 scope.ctx.now)


def pause(scope: Scope, rest: str, paused: bool = True) -> None:
    cohort = scope.target()
    if cohort is None:
        return
    if store.membership(scope.c, cohort["id"], scope.pk) is None:
        scope.say("cohort/not_member.j2")
        return
    store.set_member(scope.c, cohort["id"], scope.pk, paused=paused)
    scope.say("cohort/paused.j2", cohort=cohort, paused=paused)


def shoutouts(scope: Scope, rest: str) -> None:
    cohort = scope.target()
    if cohort is None:
        return
    if store.membership(scope.c, cohort["id"], scope.pk) is None:
        scope.say("cohort/not_member.j2")
        return
    on = rest.strip().lower() not in ("off", "no", "stop")
    store.set_member(scope.c, cohort["id"], scope.pk, shoutouts=on)
    scope.say("cohort/shoutouts.j2", on=on)


def digest_settings(scope: Scope, rest: str) -> None:
    """``cohort digest fri 16:00 [Europe/Berlin]`` (coaches)."""
    from core.forms import parse_clock_time, timezone_error

    cohort = scope.target(role="coach")
    if cohort is None:
        return
    if not _is_coach(scope, cohort):
        return
    words = rest.split()
    day = progress.DAYS.index(words[0][:3].lower()) \
        if words and words[0][:3].lower() in progress.DAYS else None
    at = parse_clock_time(words[1]) if len(words) > 1 else None
    tz = words[2] if len(words) > 2 else cohort["tz"]
    if day is None or at is None or timezone_error(tz):
        scope.say("cohort/digest_usage.j2")
        return
    when = at.strftime("%H:%M")
    store.set_digest(scope.c, cohort["id"], day, when, tz)
    due = progress.next_digest(scope.ctx.now, day, when, tz)
    scope.ctx.effects.append(Schedule(f"{DIGEST}:{cohort['id']}", DIGEST, due, cohort["id"]))
    scope.say("cohort/digest_set.j2", day=progress.DAYS[day].capitalize(), at=when, tz=tz)


def _is_coach(scope: Scope, cohort: RowMapping) -> bool:
    member = store.membership(scope.c, cohort["id"], scope.pk)
    if member is None or member["role"] != "coach":
        scope.say("cohort/coaches_only.j2")
        return False
    return True


# --- sharing ---------------------------------------------------------------------------------


def cmd_share(scope: Scope, args: str) -> None:
    number = parse_number(args.split(" ")[0]) if args else scope.ctx.state.session.focus_no
    contact = scope.ctx.state.contacts.get(number) if number is not None else None
    if contact is None:
        scope.say("cohort/share_which.j2")
        return
    cohorts = [r for r in scope.mine() if not r["paused"]]
    if not cohorts:
        scope.say("cohort/join_first.j2")
        return
    here = scope.here()
    default = str(here["id"]) if here is not None else str(cohorts[0]["id"])
    scope.ctx.form(share_form(contact, cohorts).with_values(
        {"cohort": default, "visibility": store.INTRO, "email": "no"}))


def submit_share(scope: Scope, rest: str, values: dict[str, str]) -> None:
    number = parse_number(rest)
    contact = scope.ctx.state.contacts.get(number) if number is not None else None
    cohorts = [r for r in scope.mine() if not r["paused"]]
    if contact is None or not cohorts:
        scope.say("common/stale_button.j2")
        return
    form = share_form(contact, cohorts)
    cleaned, again = form.validate(values)
    if again is not None:
        scope.ctx.form(again)
        return
    chosen = next(r for r in cohorts if str(r["id"]) == cleaned["cohort"])
    row = store.contact_row(scope.c, scope.pk, contact.no)
    if row is None:  # added in this very event; nothing to share yet
        scope.say("common/stale_button.j2")
        return
    share_email = cleaned["email"] == "yes" and bool(contact.email)
    store.share(scope.c, chosen["id"], scope.pk, row["id"], cleaned["visibility"], share_email,
                scope.ctx.now)
    scope.say("cohort/shared.j2", contact=contact, cohort=chosen,
              card=cleaned["visibility"] == store.CARD, email=share_email)


def cmd_unshare(scope: Scope, args: str) -> None:
    number = parse_number(args.split(" ")[0]) if args else None
    contact = scope.ctx.state.contacts.get(number) if number is not None else None
    row = store.contact_row(scope.c, scope.pk, contact.no) if contact is not None else None
    if contact is None or row is None:
        scope.say("cohort/share_which.j2")
        return
    removed = store.unshare(scope.c, scope.pk, row["id"])
    scope.say("cohort/unshared.j2", contact=contact, removed=removed)


# --- finding and warm intros -----------------------------------------------------------------


def find(scope: Scope, words: str) -> None:
    here = scope.here()
    mine = scope.mine()
    ids = [here["id"]] if here is not None else [r["id"] for r in mine]
    if not mine or (here is not None and here["id"] not in {r["id"] for r in mine}):
        scope.say("cohort/join_first.j2")
        return
    if not words:
        scope.say("cohort/find_usage.j2")
        return
    rows = rank(store.findable(scope.c, scope.pk, scope.actor.platform, scope.actor.tenant,
                               ids), words)[:MAX_RESULTS]
    results = [{"n": i, "seen": store.visible(row), "card": row["visibility"] == store.CARD}
               for i, row in enumerate(rows, 1)]
    buttons = tuple(Button("ask_intro", f"Intro to result {i}", str(row["share_id"]))
                    for i, row in enumerate(rows, 1))
    scope.say("cohort/results.j2", words=words, results=results, buttons=buttons)


def _visible_share(scope: Scope, share_id: int | None) -> RowMapping | None:
    """The share, only if this person may see it right now."""
    row = store.shared(scope.c, share_id) if share_id is not None else None
    if row is None or row["owner_pk"] == scope.pk or row["platform"] != scope.actor.platform \
            or row["tenant"] != scope.actor.tenant \
            or store.membership(scope.c, row["cohort_id"], scope.pk) is None:
        return None
    return row


def ask_intro(scope: Scope, value: str) -> None:
    row = _visible_share(scope, parse_number(value))
    if row is None:
        scope.say("cohort/gone.j2")
        return
    scope.ctx.form(intro_form(int(row["share_id"])))


def submit_intro(scope: Scope, rest: str, values: dict[str, str]) -> None:
    row = _visible_share(scope, parse_number(rest))
    if row is None:
        scope.say("cohort/gone.j2")
        return
    cleaned, again = intro_form(int(row["share_id"])).validate(values)
    if again is not None:
        scope.ctx.form(again)
        return
    request_id = store.request_intro(scope.c, row["share_id"], scope.pk, cleaned["reason"],
                                     scope.ctx.now)
    if request_id is None:
        scope.say("cohort/intro_pending.j2")
        return
    requester = scope.ctx.state.profile.name or scope.ctx.state.display_name or \
        scope.actor.user_id
    scope.ctx.effects.append(SendDM(str(row["owner_user_id"]), scope.ctx.message(
        "cohort/intro_request.j2", requester=requester, contact=row, reason=cleaned["reason"],
        cohort=row["cohort_name"],
        buttons=[Button("intro_accept", "Accept", str(request_id), ButtonStyle.PRIMARY),
                 Button("intro_decline", "Not now", str(request_id))])))
    scope.say("cohort/intro_asked.j2")


def _decision(scope: Scope, value: str) -> tuple[RowMapping, RowMapping, RowMapping] | None:
    request = store.intro(scope.c, parse_number(value) or 0)
    row = store.shared(scope.c, request["share_id"]) if request is not None else None
    requester = store.user_row(scope.c, request["requester_pk"]) if request else None
    if request is None or row is None or requester is None or row["owner_pk"] != scope.pk:
        scope.say("cohort/gone.j2")
        return None
    return request, row, requester


def accept_intro(scope: Scope, value: str) -> None:
    found = _decision(scope, value)
    if found is None:
        return
    request, row, requester = found
    if not store.decide(scope.c, request["id"], "accepted", scope.ctx.now):
        scope.say("cohort/intro_decided.j2")
        return
    owner = scope.ctx.state.profile.name or scope.ctx.state.display_name or scope.actor.user_id
    asker = requester["name"] or requester["display_name"] or requester["user_id"]
    seen = store.visible(row, revealed=True)
    number = _add_to_pipeline(scope, requester, row, seen, owner)
    names = {"asker": asker, "asker_first": _first(asker), "owner": owner,
             "owner_first": _first(owner), "contact_name": row["name"],
             "contact_first": _first(str(row["name"])), "reason": request["reason"]}
    context = {**scope.ctx.base_context(), **names}
    templates = scope.ctx.templates
    scope.ctx.private(scope.ctx.message(
        "cohort/intro_accepted_owner.j2", contact=row, asker=asker,
        extra=[templates.draft("Introduction e-mail", "drafts/intro_email.j2", context)]))
    scope.ctx.effects.append(SendDM(str(requester["user_id"]), scope.ctx.message(
        "cohort/intro_accepted.j2", seen=seen, owner=owner, number=number,
        extra=[templates.draft("Your reply once introduced", "drafts/intro_followup.j2",
                               context)],
        buttons=[Button("draft", f"Draft outreach to {number}", str(number),
                        ButtonStyle.PRIMARY)] if number else [])))


def _first(name: str) -> str:
    """A first name for a greeting; titles such as "Dr." keep the surname."""
    parts = name.split()
    if len(parts) > 1 and parts[0].rstrip(".").lower() in ("dr", "prof", "mr", "ms", "mrs", "mx"):
        return " ".join(parts[:2])
    return parts[0] if parts else name


def _add_to_pipeline(scope: Scope, requester: RowMapping, row: RowMapping,
                     seen: dict[str, str], owner: str) -> int | None:
    """The contact joins the requester's own pipeline, referred by the owner."""
    actor = Actor(str(requester["platform"]), str(requester["tenant"]),
                  str(requester["user_id"]))
    locked = repo.find_user(scope.c, actor)
    if locked is None:
        return None
    rows = repo.load_contacts(scope.c, locked["id"])
    state = repo.to_state(locked, rows)
    email = seen.get("email", "")
    contact = Contact(
        no=state.new_contact_no(), name=seen["name"], role=seen["role"],
        organisation=seen["organisation"], sector=Sector(seen["sector"] or "other"),
        channel=OutreachChannel.EMAIL if email else (
            OutreachChannel.LINKEDIN if seen.get("profile_url") else OutreachChannel.OTHER),
        how_found=HowFound.REFERRAL, found_detail=owner, email=email,
        profile_url=seen.get("profile_url", ""), created_at=scope.ctx.now)
    state.contacts[contact.no] = contact
    repo.save_state(scope.c, locked, state, rows, scope.ctx.now)
    return contact.no


def decline_intro(scope: Scope, value: str) -> None:
    found = _decision(scope, value)
    if found is None:
        return
    request, _, requester = found
    if not store.decide(scope.c, request["id"], "declined", scope.ctx.now):
        scope.say("cohort/intro_decided.j2")
        return
    scope.say("cohort/intro_declined_owner.j2")
    scope.ctx.effects.append(SendDM(str(requester["user_id"]),
                                    scope.ctx.message("cohort/intro_declined.j2")))


# --- digest and coach report -----------------------------------------------------------------


def post_digest(scope: Scope, cohort_id: int | None, due_at: datetime) -> None:
    """The week that ended when the digest was due (it may be sent late after downtime)."""
    cohort = store.cohort(scope.c, cohort_id or 0, scope.actor.platform, scope.actor.tenant)
    if cohort is None or store.membership(scope.c, cohort["id"], scope.pk) is None:
        return  # the cohort is gone, or this reminder's owner left (it was moved on)
    members = store.members(scope.c, cohort["id"])
    end = min(due_at, scope.ctx.now)
    figures = progress.digest(members, store.member_contacts(
        scope.c, [m["user_pk"] for m in members]),
        store.shared_between(scope.c, cohort["id"], end - progress.WEEK, end), end)
    scope.ctx.effects.append(PostToChannel(str(cohort["channel_id"]), scope.ctx.message(
        "cohort/digest.j2", cohort=cohort, d=figures)))
    due = progress.next_digest(scope.ctx.now, cohort["digest_day"], cohort["digest_time"],
                               cohort["tz"])
    scope.ctx.effects.append(Schedule(f"{DIGEST}:{cohort['id']}", DIGEST, due, cohort["id"]))


def coach_report(scope: Scope, rest: str) -> None:
    cohort = scope.target(role="coach")
    if cohort is None or not _is_coach(scope, cohort):
        return
    members = store.members(scope.c, cohort["id"])
    rows = progress.report(members, store.member_contacts(
        scope.c, [m["user_pk"] for m in members]), scope.ctx.now)
    scope.ctx.private(scope.ctx.message(
        "cohort/report.j2", cohort=cohort, rows=[
            {"r": r, "stages": "; ".join(f"{label} {n}" for label, n in r.stages),
             "last": scope.ctx.fmt(r.last_active)} for r in rows],
        attachments=[Attachment(f"cohort-{cohort['id']}-progress.csv", "text/csv",
                                progress.report_csv(rows))]))


SUBCOMMANDS: dict[str, Callable[[Scope, str], None]] = {
    "create": create, "join": join, "leave": leave, "pause": pause,
    "resume": lambda scope, rest: pause(scope, rest, paused=False),
    "find": find, "search": find, "report": coach_report, "digest": digest_settings,
    "shoutouts": shoutouts, "shoutout": shoutouts,
}
CLICKS: dict[str, Callable[[Scope, str], None]] = {
    "cohort_join": click_join, "ask_intro": ask_intro, "intro_accept": accept_intro,
    "intro_decline": decline_intro, "share_contact": cmd_share,
}
SUBMITS: dict[str, Callable[[Scope, str, dict[str, str]], None]] = {
    "share": submit_share, "warm_intro": submit_intro,
}
