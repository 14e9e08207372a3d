"""Sharing a contact with a cohort, finding what others shared, and warm introductions.

What another member may see is decided in one place (:func:`core.cohorts.visibility.visible`); an
owner's notes are never read here.
"""

from __future__ import annotations

from datetime import datetime

from infointerview.core.cohorts import asking
from infointerview.core.cohorts.forms import consent_error, intro_form, share_form
from infointerview.core.cohorts.ports import Row
from infointerview.core.cohorts.results import numbered
from infointerview.core.cohorts.scope import Scope
from infointerview.core.cohorts.search import rank
from infointerview.core.cohorts.visibility import CARD, INTRO, visible
from infointerview.core.forms import parse_number
from infointerview.core.journey.drafts import first_name
from infointerview.core.journey.state import Contact, HowFound, OutreachChannel, Sector
from infointerview.core.model import Button, ButtonStyle, SendDM

MAX_RESULTS = 10


def cmd_share(scope: Scope, args: str) -> None:
    number = parse_number(args.split(" ")[0]) if args else scope.ctx.state.conversation.focus_no
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
        {"cohort": default, "visibility": INTRO, "consent": "no", "email": "no"}))


def submit_share(scope: Scope, rest: str, values: dict[str, str]) -> None:
    number = parse_number(rest)
    contact = scope.ctx.state.contacts.get(number) if number is not None else None
    cohorts = [r for r in scope.mine() if not r["paused"]]
    if contact is None or not cohorts:
        scope.say("common/stale_button.j2")
        return
    form = share_form(contact, cohorts)
    cleaned, again = form.validate(values)
    if again is None and (errors := consent_error(cleaned)):
        again = form.with_errors(cleaned, errors)
    if again is not None:
        scope.ctx.form(again)
        return
    chosen = next(r for r in cohorts if str(r["id"]) == cleaned["cohort"])
    contact_pk = scope.store.contact_pk(scope.pk, contact.no)
    if contact_pk is None:  # added in this very event; nothing to share yet
        scope.say("common/stale_button.j2")
        return
    consent = cleaned["consent"] == "yes"
    share_email = cleaned["email"] == "yes" and bool(contact.email) and consent
    scope.store.share(chosen["id"], scope.pk, contact_pk, cleaned["visibility"], share_email,
                      consent, scope.ctx.now)
    scope.say("cohort/shared.j2", contact=contact, cohort=chosen,
              card=cleaned["visibility"] == CARD, email=share_email, consent=consent)


def cmd_unshare(scope: Scope, args: str) -> None:
    number = parse_number(args.split(" ")[0]) if args else None
    contact = scope.ctx.state.contacts.get(number) if number is not None else None
    contact_pk = scope.store.contact_pk(scope.pk, contact.no) if contact is not None else None
    if contact is None or contact_pk is None:
        scope.say("cohort/share_which.j2")
        return
    removed = scope.store.unshare(scope.pk, contact_pk)
    scope.say("cohort/unshared.j2", contact=contact, removed=removed)


def my_shares(scope: Scope, rest: str) -> None:
    """``cohort shared``: what the owner shared, and how often each was asked for."""
    asked: dict[int, list[datetime]] = {}
    for request in scope.store.intros_asked_of(scope.pk):
        asked.setdefault(int(request["share_id"]), []).append(request["created_at"])
    shares = [{"no": s["contact_no"], "name": s["name"], "cohort": s["cohort_name"],
               "card": s["visibility"] == CARD, "email": bool(s["share_email"] and s["consent"]),
               "consent": bool(s["consent"]), "asked": len(asked.get(int(s["share_id"]), [])),
               "last": scope.ctx.fmt(max(asked.get(int(s["share_id"]), []), default=None))}
              for s in sorted(scope.store.shares_of(scope.pk, active_only=False),
                              key=lambda s: (s["contact_no"], s["cohort_name"]))]
    scope.say("cohort/my_shares.j2", shares=shares)


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
    rows = rank(scope.store.findable(scope.pk, scope.actor.platform, scope.actor.tenant,
                               ids), words)[:MAX_RESULTS]
    results, buttons = numbered(rows)
    scope.say("cohort/results.j2", words=words, results=results, buttons=buttons)


def _visible_share(scope: Scope, share_id: int | None) -> Row | None:
    """The share, only if this person may see it right now."""
    row = scope.store.shared(share_id) if share_id is not None else None
    if row is None or row["owner_pk"] == scope.pk or row["platform"] != scope.actor.platform \
            or row["tenant"] != scope.actor.tenant \
            or scope.store.membership(row["cohort_id"], scope.pk) is None:
        return None
    return row


def ask_intro(scope: Scope, value: str) -> None:
    row = _visible_share(scope, parse_number(value))
    if row is None:
        scope.say("cohort/gone.j2")
        return
    if any(r["share_id"] == row["share_id"] and r["status"] == "pending"
           for r in scope.store.intros_asked_by(scope.pk)):
        scope.say("cohort/intro_pending.j2")
        return
    free_from = scope.store.intro_free_from(int(row["share_id"]), scope.ctx.now)
    if free_from is not None:  # before they write a reason that cannot be sent
        _asked_recently(scope, row, free_from)
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
    asked = scope.store.request_intro_capped(int(row["share_id"]), scope.pk, cleaned["reason"],
                                             scope.ctx.now)
    if asked.free_from is not None:
        _asked_recently(scope, row, asked.free_from)
        return
    if asked.request_id is None:
        scope.say("cohort/intro_pending.j2")
        return
    request_id = asked.request_id
    requester = scope.ctx.state.profile.name or scope.ctx.state.display_name or \
        scope.actor.user_id
    scope.ctx.effects.append(SendDM(str(row["owner_user_id"]), scope.ctx.message(
        "cohort/intro_request.j2", requester=requester, contact=row, reason=cleaned["reason"],
        cohort=row["cohort_name"], consent=bool(row["consent"]),
        buttons=[Button("intro_accept", "Accept", str(request_id), ButtonStyle.PRIMARY),
                 Button("intro_decline", "Not now", str(request_id))])))
    scope.say("cohort/intro_asked.j2")


def _asked_recently(scope: Scope, row: Row, free_from: datetime) -> None:
    """The kind refusal: this person was asked recently (never by whom or when), when to try
    again, and others at the same organisation or in the same sector to ask instead."""
    seen = visible(row)
    others = scope.store.findable(scope.pk, scope.actor.platform, scope.actor.tenant,
                                  [row["cohort_id"]])
    same = asking.matching(row, others)
    words = " ".join(w for w in (seen["organisation"], seen["sector"]) if w and w != "other")
    alternatives = [r for r in rank(others, words) if r["share_id"] not in same][:3]
    results, buttons = numbered(alternatives)
    cohort = scope.store.cohort(int(row["cohort_id"]), scope.actor.platform, scope.actor.tenant)
    weeks = int(cohort["intro_period_days"]) // 7 if cohort is not None else 4
    scope.say("cohort/intro_asked_recently.j2", buttons=buttons, results=results,
              organisation=seen["organisation"], again=scope.ctx.fmt(free_from), weeks=weeks)


def _decide(scope: Scope, value: str,
            status: str) -> tuple[Row, Row, Row] | None:
    """The owner answers a pending request once: (request, share, requester), or None when it
    is gone, not theirs, or already answered (the person has been told which)."""
    request = scope.store.intro(parse_number(value) or 0)
    row = scope.store.shared(request["share_id"]) if request is not None else None
    requester = scope.store.user(request["requester_pk"]) if request else None
    if request is None or row is None or requester is None or row["owner_pk"] != scope.pk:
        scope.say("cohort/gone.j2")
        return None
    if not scope.store.decide(request["id"], status, scope.ctx.now):
        scope.say("cohort/intro_decided.j2")
        return None
    return request, row, requester


def accept_intro(scope: Scope, value: str) -> None:
    found = _decide(scope, value, "accepted")
    if found is None:
        return
    request, row, requester = found
    owner = scope.ctx.state.profile.name or scope.ctx.state.display_name or scope.actor.user_id
    asker = requester["name"] or requester["display_name"] or requester["user_id"]
    seen = visible(row, revealed=True)
    number = _add_to_pipeline(scope, requester, row, seen, owner)
    names = {"asker": asker, "asker_first": first_name(asker), "owner": owner,
             "owner_first": first_name(owner), "contact_name": row["name"],
             "contact_first": first_name(str(row["name"])), "reason": request["reason"]}
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


def _add_to_pipeline(scope: Scope, requester: Row, row: Row,
                     seen: dict[str, str], owner: str) -> int | None:
    """The contact joins the requester's own pipeline, referred by the owner."""
    email = seen.get("email", "")

    def contact(no: int) -> Contact:
        return Contact(
            no=no, name=seen["name"], role=seen["role"], organisation=seen["organisation"],
            sector=Sector(seen["sector"] or "other"),
            channel=OutreachChannel.EMAIL if email else (
                OutreachChannel.LINKEDIN if seen.get("profile_url") else OutreachChannel.OTHER),
            how_found=HowFound.REFERRAL, found_detail=owner, email=email,
            profile_url=seen.get("profile_url", ""), created_at=scope.ctx.now)

    return scope.store.add_referred_contact(requester, contact, scope.pk, scope.ctx.now)


def decline_intro(scope: Scope, value: str) -> None:
    found = _decide(scope, value, "declined")
    if found is None:
        return
    _, _, requester = found
    scope.say("cohort/intro_declined_owner.j2")
    scope.ctx.effects.append(SendDM(str(requester["user_id"]),
                                    scope.ctx.message("cohort/intro_declined.j2")))
