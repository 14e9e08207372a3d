"""One entry point for the journey: an event in, the state changed and effects collected.

Pure: no database, no network, no clock of its own. The engine loads the state, calls
:func:`step`, and saves what changed in the same transaction.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from infointerview.core.cohorts import service as cohorts
from infointerview.core.forms import Form, parse_number
from infointerview.core.journey import (
    agenda,
    export,
    followup,
    interview,
    logistics,
    nudges,
    pipeline,
    setup,
)
from infointerview.core.journey.cards import button, focus, resolve, split_ref
from infointerview.core.journey.catalog import commands as grammar
from infointerview.core.journey.catalog import forms as catalog_forms
from infointerview.core.journey.catalog.actions import ACTIONS, STAGES, allowed, enter
from infointerview.core.journey.context import Ctx
from infointerview.core.journey.forms_catalog import form_for
from infointerview.core.journey.state import Contact, Stage
from infointerview.core.model import (
    ActionClicked,
    CommandInvoked,
    Event,
    FormSubmitted,
    ReminderDue,
    TextReceived,
)
from infointerview.core.richtext import clean_user_text

ContactAction = Callable[[Ctx, Contact, str], None]
Command = Callable[[Ctx, str], None]
ContactForm = Callable[[Ctx, Contact, dict[str, str]], None]
PlainForm = Callable[[Ctx, str, dict[str, str]], None]

CONTACT_ACTIONS: dict[str, ContactAction] = {
    "card": setup.act_card, "edit": setup.act_edit, "draft": setup.act_draft,
    "shorter": setup.act_shorter, "longer": setup.act_longer,
    "edit_draft": setup.act_edit_draft, "mark_sent": setup.act_mark_sent,
    "replied": setup.act_replied, "no_reply": setup.act_no_reply,
    "follow_up": setup.act_follow_up, "follow_up_sent": setup.act_follow_up_sent,
    "park": setup.act_park, "reopen": setup.act_reopen,
    "someone_else": setup.act_someone_else,
    "propose": logistics.act_propose, "schedule": logistics.act_schedule,
    "calendar": logistics.act_calendar,
    "questions": agenda.act_questions, "bank": agenda.act_bank,
    "custom_question": agenda.act_custom_question, "prepared": agenda.act_prepared,
    "start_interview": interview.act_start_interview, "add_note": interview.act_add_note,
    "star": interview.act_star, "add_referral": interview.act_add_referral,
    "wrap_up": interview.act_wrap_up, "end_interview": interview.act_end_interview,
    "thank_you": followup.act_thank_you, "thanked": followup.act_thanked,
    "linkedin": followup.act_linkedin, "connected": followup.act_connected,
    "keep_in_touch": followup.act_keep_in_touch, "logged_contact": followup.act_logged_contact,
    "phrase_note": interview.act_phrase_note, "second_thanked": followup.act_second_thanked,
}

CONTACT_FORMS: dict[str, ContactForm] = {
    "contact2": setup.submit_contact_source, "draft": setup.submit_draft,
    "windows": logistics.submit_windows, "meeting": logistics.submit_meeting,
    "referral": interview.submit_referral, "note": interview.submit_note,
    "notes": interview.submit_note_edit, "question": agenda.submit_custom_question,
    "phrase": interview.submit_phrase,
}

# The action whose stage rules a contact form's submission obeys (the forms catalogue's).
FORM_ACTIONS = catalog_forms.FORM_ACTIONS

PLAIN_FORMS: dict[str, PlainForm] = {
    "profile": setup.submit_profile, "contact": setup.submit_contact,
    "settings": pipeline.submit_settings, "intro": pipeline.submit_intro,
    "applied": followup.submit_applied,
}


def _contact_command(action: str) -> Command:
    """A subcommand that runs a contact action on ``[N]`` or the contact in focus."""

    def run(ctx: Ctx, args: str) -> None:
        contact = _named_or_focus(ctx, args, action.replace("_", "-"))
        if contact is not None:
            run_contact_action(ctx, action, contact, "")

    return run


def _named_or_focus(ctx: Ctx, args: str, command: str) -> Contact | None:
    """The contact named in ``args``, else the one in focus; says why when there is none."""
    if args.strip():
        contact = resolve(ctx.state, args)
        if contact is None:
            ctx.say(ctx.message("common/unknown_contact.j2", ref=args.strip()[:100]))
        return contact
    contact = focus(ctx.state)
    if contact is None:
        ctx.say(ctx.message("common/which_contact.j2", command=command))
    return contact


def cmd_note(ctx: Ctx, args: str) -> None:
    contact, text, numbered = split_ref(ctx.state, args)
    if numbered and contact is None:
        ctx.say(ctx.message("interview/note_unknown_contact.j2",
                            ref=args.split(" ", 1)[0][:100], text=text))
        return
    contact = contact or interview.in_interview(ctx) or focus(ctx.state)
    if contact is None:
        ctx.say(ctx.message("common/which_contact.j2", command="note"))
        return
    if not text:
        interview.act_add_note(ctx, contact, "")
        return
    interview.add_note(ctx, contact, text)


NOTE_VERBS = {"edit": "edit", "change": "edit", "delete": "delete", "del": "delete",
              "remove": "delete", "rm": "delete"}


def cmd_notes(ctx: Ctx, args: str) -> None:
    """``notes [N]`` lists contact N's notes; ``notes [N] edit M [text]``; ``notes [N] delete M``.
    Without N: the interview's contact, else the one in focus."""
    words = args.split()
    verb_at = next((i for i, w in enumerate(words) if w.lower() in NOTE_VERBS), len(words))
    ref = " ".join(words[:verb_at])
    contact = _named_or_focus(ctx, ref, "notes") if ref else \
        interview.in_interview(ctx) or _named_or_focus(ctx, "", "notes")
    if contact is None:
        return
    if verb_at == len(words):
        interview.list_notes(ctx, contact)
        return
    verb = NOTE_VERBS[words[verb_at].lower()]
    number = parse_number(words[verb_at + 1]) if len(words) > verb_at + 1 else None
    if number is None:
        ctx.say(ctx.message("interview/notes_usage.j2", contact=contact))
        return
    if verb == "delete":
        interview.delete_note(ctx, contact, number)
        return
    text = args.split(None, verb_at + 2)[verb_at + 2] if len(words) > verb_at + 2 else ""
    interview.edit_note(ctx, contact, number, text)


def _star_which(ctx: Ctx, number: int) -> bool:
    """Outside an interview ``star N`` could mean note N of the contact in focus or the latest
    note of contact N. Unless it can only be the first, ask with a button for each reading
    (True when it asked), so a contact's number never stars some other note silently."""
    here = focus(ctx.state)
    there = ctx.state.contacts.get(number)
    note_here = next((n for n in here.notes if n.no == number), None) if here else None
    if there is None or not there.notes or (there is here and note_here is there.notes[-1]):
        return False
    buttons = [button("star", there, f"Latest note of {there.name}"[:75],
                      str(there.notes[-1].no))]
    if here is not None and note_here is not None:
        buttons.insert(0, button("star", here, f"Note {number} of {here.name}"[:75],
                                 str(number)))
    ctx.say(ctx.message("interview/star_which.j2", number=number, here=here,
                        note_here=note_here, there=there, buttons=buttons))
    return True


def cmd_star(ctx: Ctx, args: str) -> None:
    running = interview.in_interview(ctx)
    contact = running or focus(ctx.state)
    words = args.split()
    if len(words) == 2 and words[1].lower() in ("latest", "last"):  # star N latest
        words = words[:1] + ([str(len(c.notes))] if (c := resolve(ctx.state, words[0]))
                             and c.notes else ["0"])
    numbers = [parse_number(w) for w in words]
    if len(words) == 1 and numbers[0] is not None and running is None \
            and _star_which(ctx, numbers[0]):
        return
    if len(words) == 2 and None not in numbers:
        contact = ctx.state.contacts.get(numbers[0] or 0)
        words, numbers = words[1:], numbers[1:]
        if contact is None:
            ctx.say(ctx.message("common/unknown_contact.j2", ref=args.split()[0]))
            return
    if contact is None:
        ctx.say(ctx.message("common/which_contact.j2", command="star"))
        return
    if words and numbers[0] is None:
        ctx.say(ctx.message("interview/star_usage.j2"))
        return
    interview.star(ctx, contact, numbers[0] if numbers else None)


def cmd_done(ctx: Ctx, args: str) -> None:
    contact = _named_or_focus(ctx, args, "done")
    if contact is None:
        return
    primary = STAGES[contact.stage].primary
    if primary is None:
        ctx.say(ctx.message("common/nothing_to_do.j2", contact=contact,
                            next=STAGES[contact.stage].next_action))
        return
    run_contact_action(ctx, primary, contact, "")


# Each journey command of the catalogue (core/journey/catalog/commands.py), to its handler; the
# names and aliases are the catalogue's, and a test keeps these keys equal to its journey names.
COMMANDS: dict[str, Command] = {
    "start": setup.cmd_start, "list": pipeline.cmd_list, "note": cmd_note, "done": cmd_done,
    "thanks": followup.cmd_thanks, "applied": followup.cmd_applied,
    "profile": setup.cmd_profile, "settings": pipeline.cmd_settings,
    "export": export.cmd_export, "forget-me": pipeline.cmd_forget, "help": pipeline.cmd_help,
    "intro": pipeline.cmd_intro, "questions": agenda.cmd_questions, "star": cmd_star,
    "notes": cmd_notes,
    "who": pipeline.cmd_who, "show": _contact_command("card"),
    "interview": _contact_command("start_interview"), "linkedin": _contact_command("linkedin"),
    "times": _contact_command("propose"), "meeting": _contact_command("schedule"),
    "end": _contact_command("end_interview"), "referral": _contact_command("add_referral"),
    "pause": pipeline.cmd_pause, "dashboard": pipeline.cmd_dashboard,
}
ALIASES = grammar.aliases(grammar.COMMANDS)

GLOBAL_ACTIONS: dict[str, Command] = {
    "start": setup.cmd_start, "list": pipeline.cmd_list, "who": pipeline.cmd_who,
    "help": pipeline.cmd_help, "intro": pipeline.cmd_intro, "profile": setup.cmd_profile,
    "settings": pipeline.cmd_settings, "export": export.cmd_export,
    "reminder_done": lambda ctx, value: nudges.reminder_done(ctx, value, run_contact_action),
    "snooze": nudges.snooze, "skip_reminder": nudges.skip,
    "forget_confirm": lambda ctx, _: pipeline.forget_confirmed(ctx),
    "forget_cancel": lambda ctx, _: pipeline.forget_cancelled(ctx),
}


REMINDER_ACTIONS = frozenset({"reminder_done", "snooze", "skip_reminder"})


def run_contact_action(ctx: Ctx, action: str, contact: Contact, value: str) -> None:
    if not allowed(action, contact.stage):
        ctx.say(ctx.message("common/not_now.j2", contact=contact,
                            what=ACTIONS[action].label.lower()))
        return
    stage = contact.stage
    if not ACTIONS[action].moved_by_handler:
        # the catalogue's move, applied as the action begins: its handler's messages offer the
        # buttons of the stage the contact is moving to (see catalog/actions.py)
        enter(contact, action)
    CONTACT_ACTIONS[action](ctx, contact, value)
    _after_move(ctx, contact, stage)


def _after_move(ctx: Ctx, contact: Contact, stage_before: Stage) -> None:
    """A contact whose stage moved drops the reminders that no longer apply."""
    if contact.stage is not stage_before:
        nudges.cancel_irrelevant(ctx, contact)


def step(ctx: Ctx, event: Event) -> None:
    """Apply one event to ``ctx.state``, appending effects to ``ctx.effects``."""
    if cohorts.claims(ctx, event):  # cohort, share and unshare; their buttons, forms and digests
        cohorts.handle(ctx, event)
    elif isinstance(event, CommandInvoked):
        on_command(ctx, clean_user_text(event.name), clean_user_text(event.args))
    elif isinstance(event, TextReceived):
        on_text(ctx, clean_user_text(event.text))
    elif isinstance(event, ActionClicked):
        on_click(ctx, event.action, clean_user_text(event.value))
    elif isinstance(event, FormSubmitted):
        on_form(ctx, event.form_id, event.values)
    elif isinstance(event, ReminderDue):
        nudges.on_reminder(ctx, event.kind, event.contact_no, event.due_at)


def on_command(ctx: Ctx, name: str, args: str) -> None:
    key = name.strip().lower()
    key = ALIASES.get(key, key)
    handler = COMMANDS.get(key)
    if handler is None:
        pipeline.cmd_help(ctx, "", unknown=name.strip() or "(nothing)")
        return
    handler(ctx, args)


# During an interview these typed words are what a button or command would do, never a note.
INTERVIEW_WORDS = {
    "end": "end_interview", "end interview": "end_interview", "wrap up": "wrap_up",
    "star": "star", "star this one": "star", "add a referral": "add_referral",
    "referral": "add_referral", "add another": "add_referral", "add a note": "add_note",
}
INTERVIEW_COMMANDS = {"help", "?", "list"}
_STAR_NOTE = re.compile(r"^star \d{1,4}$")


def on_text(ctx: Ctx, text: str) -> None:
    contact = interview.in_interview(ctx)
    if contact is not None:
        key = " ".join(text.casefold().split()).rstrip(".!")
        if key in INTERVIEW_WORDS:
            run_contact_action(ctx, INTERVIEW_WORDS[key], contact, "")
        elif _STAR_NOTE.match(key):  # "star 2": note 2 of this interview, as the command says
            cmd_star(ctx, key.split()[1])
        elif key.lstrip("/") in INTERVIEW_COMMANDS:
            on_command(ctx, key.lstrip("/"), "")
        elif key.startswith("/"):
            ctx.say(ctx.message("interview/not_a_note.j2"))
        else:
            interview.add_note(ctx, contact, text)
        return
    ctx.say(ctx.message("common/free_text.j2", text=text[:200]))


def on_click(ctx: Ctx, action: str, value: str) -> None:
    if action in GLOBAL_ACTIONS:
        GLOBAL_ACTIONS[action](ctx, value if action in REMINDER_ACTIONS else "")
        return
    if action not in CONTACT_ACTIONS:
        ctx.say(ctx.message("common/stale_button.j2"))
        return
    number, _, extra = value.partition(":")
    parsed = parse_number(number)
    contact = ctx.state.contacts.get(parsed) if parsed is not None else None
    if contact is None:
        ctx.say(ctx.message("common/stale_button.j2"))
        return
    run_contact_action(ctx, action, contact, extra)


def on_form(ctx: Ctx, form_id: str, values: dict[str, str]) -> None:
    form = form_for(form_id)
    if form is None:
        ctx.say(ctx.message("common/stale_button.j2"))
        return
    cleaned, again = form.validate(values)
    if again is not None:
        ctx.say(ctx.message("common/form_errors.j2", count=len(again.errors)))
        ctx.form(_keep_shape(again, form_id, ctx))
        return
    kind, _, rest = form_id.partition(":")
    if kind in PLAIN_FORMS:
        PLAIN_FORMS[kind](ctx, rest, cleaned)
        return
    number = parse_number(rest)
    contact = ctx.state.contacts.get(number) if number is not None else None
    if contact is None:
        ctx.say(ctx.message("common/stale_button.j2"))
        return
    action = FORM_ACTIONS[kind]
    if not allowed(action, contact.stage):
        ctx.say(ctx.message("common/not_now.j2", contact=contact,
                            what=ACTIONS[action].label.lower()))
        return
    stage = contact.stage
    CONTACT_FORMS[kind](ctx, contact, cleaned)
    _after_move(ctx, contact, stage)


def _keep_shape(form: Form, form_id: str, ctx: Ctx) -> Form:
    """The draft form's shape depends on the contact's channel; rebuild it with the errors."""
    kind, _, rest = form_id.partition(":")
    number = parse_number(rest) if kind == "draft" else None
    contact = ctx.state.contacts.get(number) if number is not None else None
    if contact is None or ("subject" in form.values and contact.channel.value == "email"):
        return form
    fields = tuple(f for f in form.fields if f.name != "subject")
    return Form(form.form_id, form.title, fields, form.values, form.errors, form.intro,
                form.submit_label)
