"""Set-up, part three: picking, ordering and writing the questions for the interview."""

from __future__ import annotations

from infointerview.core.journey.cards import button, card_buttons, focus, split_ref
from infointerview.core.journey.catalog.actions import allowed
from infointerview.core.journey.context import Ctx
from infointerview.core.journey.forms_catalog import custom_question_form
from infointerview.core.journey.questions import WHO_ELSE_ID
from infointerview.core.journey.state import Contact

MAX_AGENDA = 25
CUSTOM_MAX = 300


def suggested(ctx: Ctx, contact: Contact) -> list[str]:
    """The starting agenda for this contact's sector and role."""
    return ctx.bank.suggested_agenda(contact.sector.value, contact.role)


def insert_in_order(ctx: Ctx, contact: Contact, item: str) -> None:
    """Add a question after the others but before the closing ones; a closing one goes before
    "who else should I talk to?", which stays last."""
    agenda, who_else = contact.agenda, f"q:{WHO_ELSE_ID}"
    if item == who_else:
        agenda.append(item)
        return
    if ctx.bank.is_closing(item):
        at = agenda.index(who_else) if who_else in agenda else len(agenda)
    else:
        at = next((i for i, existing in enumerate(agenda) if ctx.bank.is_closing(existing)),
                  len(agenda))
    agenda.insert(at, item)


def agenda_lines(ctx: Ctx, contact: Contact) -> list[str]:
    return [ctx.bank.item_text(item) for item in contact.agenda]


def show_agenda(ctx: Ctx, contact: Contact, note: str = "") -> None:
    buttons = [button("custom_question", contact, "Add my own question"),
               button("bank", contact, "Show the question bank"),
               *card_buttons(contact, "prepared", "start_interview")]
    ctx.private(ctx.message("agenda/agenda.j2", contact=contact, items=agenda_lines(ctx, contact),
                            note=note, buttons=buttons))


def act_questions(ctx: Ctx, contact: Contact, value: str) -> None:
    if not contact.agenda:
        contact.agenda = suggested(ctx, contact)
    show_agenda(ctx, contact)


def act_bank(ctx: Ctx, contact: Contact, value: str) -> None:
    numbered = ctx.bank.numbered(contact.sector.value, contact.role)
    in_agenda = set(contact.agenda)
    groups = []
    for category in ctx.bank.categories:
        rows = [(n, q.text, f"q:{q.id}" in in_agenda) for n, q in numbered
                if q.category == category.id]
        if rows:
            groups.append((category.title, rows))
    ctx.private(ctx.message("agenda/bank.j2", contact=contact, groups=groups,
                            buttons=[button("questions", contact, "Back to my agenda")]))


def act_custom_question(ctx: Ctx, contact: Contact, value: str) -> None:
    ctx.form(custom_question_form(contact.no))


def submit_custom_question(ctx: Ctx, contact: Contact, values: dict[str, str]) -> None:
    _add_custom(ctx, contact, values["text"])


def _add_custom(ctx: Ctx, contact: Contact, text: str) -> None:
    if len(contact.agenda) >= MAX_AGENDA:
        show_agenda(ctx, contact, note=f"Your agenda already has {MAX_AGENDA} questions; "
                                       "drop one before adding another.")
        return
    insert_in_order(ctx, contact, f"c:{text}")
    show_agenda(ctx, contact, note="Added your question before the closing ones.")


def act_prepared(ctx: Ctx, contact: Contact, value: str) -> None:
    if not contact.agenda:
        contact.agenda = suggested(ctx, contact)
    ctx.private(ctx.message("agenda/ready.j2", contact=contact, items=agenda_lines(ctx, contact),
                            buttons=card_buttons(contact, "start_interview", "calendar")))


def _numbers(words: list[str]) -> list[int] | None:
    try:
        return [int(w.strip(",#")) for w in words if w.strip(",")]
    except ValueError:
        return None


def cmd_questions(ctx: Ctx, args: str) -> None:
    """``questions [N] [add 3 5 | drop 2 | up 4 | down 1 | custom <text> | bank | reset]``."""
    contact, rest, numbered = split_ref(ctx.state, args)
    if numbered and contact is None:
        ctx.say(ctx.message("common/unknown_contact.j2", ref=args.split(" ", 1)[0][:100]))
        return
    contact = contact or focus(ctx.state)
    if contact is None:
        ctx.say(ctx.message("common/which_contact.j2", command="questions"))
        return
    if not allowed("questions", contact.stage):
        ctx.say(ctx.message("common/not_now.j2", contact=contact, what="change the questions"))
        return
    ctx.state.conversation.focus_no = contact.no
    verb, _, tail = rest.partition(" ")
    verb = verb.lower()
    if verb in ("", "show"):
        act_questions(ctx, contact, "")
    elif verb == "bank":
        act_bank(ctx, contact, "")
    elif verb == "custom":
        if not tail.strip():
            act_custom_question(ctx, contact, "")
        elif len(tail.strip()) > CUSTOM_MAX:
            ctx.say(ctx.message("agenda/too_long.j2", limit=CUSTOM_MAX, text=tail.strip()))
        else:
            _add_custom(ctx, contact, " ".join(tail.split()))
    elif verb == "reset":
        contact.agenda = suggested(ctx, contact)
        show_agenda(ctx, contact, note="Back to the suggested questions.")
    elif verb in ("add", "drop", "up", "down"):
        numbers = _numbers(tail.split())
        if not numbers:
            ctx.say(ctx.message("agenda/usage.j2"))
            return
        _edit(ctx, contact, verb, numbers)
    else:
        ctx.say(ctx.message("agenda/usage.j2"))


def _edit(ctx: Ctx, contact: Contact, verb: str, numbers: list[int]) -> None:
    if verb == "add":
        bank = dict(ctx.bank.numbered(contact.sector.value, contact.role))
        missing = [n for n in numbers if n not in bank]
        for n in numbers:
            item = f"q:{bank[n].id}" if n in bank else None
            if item and item not in contact.agenda and len(contact.agenda) < MAX_AGENDA:
                insert_in_order(ctx, contact, item)
        note = "Added." if not missing else \
            f"Added what I could; the bank has no question {', '.join(map(str, missing))}."
        show_agenda(ctx, contact, note=note)
        return
    size = len(contact.agenda)
    bad = [n for n in numbers if not 1 <= n <= size]
    if bad:
        show_agenda(ctx, contact, note=f"Your agenda has questions 1 to {size}; "
                                       f"there is no {', '.join(map(str, bad))}.")
        return
    if verb == "drop":
        for index in sorted({n - 1 for n in numbers}, reverse=True):
            del contact.agenda[index]
    else:
        index = numbers[0] - 1
        target = index - 1 if verb == "up" else index + 1
        agenda, who_else = contact.agenda, f"q:{WHO_ELSE_ID}"
        if who_else in (agenda[index], agenda[target] if 0 <= target < size else None):
            show_agenda(ctx, contact, note="\u201cWho else should I talk to?\u201d stays last: "
                                           "it is how one conversation leads to the next.")
            return
        if 0 <= target < size:
            agenda[index], agenda[target] = agenda[target], agenda[index]
    show_agenda(ctx, contact)

