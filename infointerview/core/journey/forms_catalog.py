"""Every form the journey asks, each within Discord's five-field limit.

A form id may carry a contact number after a colon (``meeting:3``) so a submission routes back
to the right contact on any platform, even after a restart.
"""

from __future__ import annotations

from infointerview.core.forms import (
    LONG_TEXT_MAX,
    Choice,
    Field,
    FieldKind,
    Form,
    email_error,
    int_range,
    parse_number,
    url_error,
)
from infointerview.core.journey.state import HowFound, MeetingMode, OutreachChannel, Sector
from infointerview.core.timezones import normalise_timezone

NAME_MAX = 100
SHORT_MAX = 150
NOTE_MAX = 20_000

SECTOR_CHOICES = (
    Choice(Sector.ACADEMIA, "Academia"),
    Choice(Sector.CONSULTING, "Consulting"),
    Choice(Sector.FINANCE, "Finance"),
    Choice(Sector.GOVERNMENT, "Government"),
    Choice(Sector.HEALTHCARE, "Healthcare"),
    Choice(Sector.NON_PROFIT, "Non-profit"),
    Choice(Sector.TECHNOLOGY, "Technology"),
    Choice(Sector.INDUSTRY, "Other industry"),
    Choice(Sector.OTHER, "Other"),
)
CHANNEL_CHOICES = (
    Choice(OutreachChannel.EMAIL, "E-mail"),
    Choice(OutreachChannel.LINKEDIN, "LinkedIn"),
    Choice(OutreachChannel.OTHER, "Other"),
)
HOW_FOUND_CHOICES = (
    Choice(HowFound.EXISTING, "Someone I already know"),
    Choice(HowFound.REFERRAL, "Referred by someone"),
    Choice(HowFound.ALUMNI, "Alumni network"),
    Choice(HowFound.SOCIETY, "Professional society"),
    Choice(HowFound.SOCIAL, "Social media"),
    Choice(HowFound.CONFERENCE, "Met at a conference"),
    Choice(HowFound.OTHER, "Other"),
)
MODE_CHOICES = (
    Choice(MeetingMode.VIDEO, "Video call"),
    Choice(MeetingMode.PHONE, "Phone"),
    Choice(MeetingMode.IN_PERSON, "In person"),
)


def _tz_field(required: bool = True) -> Field:
    return Field("tz", "Time zone", required=required, max_length=64,
                 placeholder="Europe/Berlin", normaliser=normalise_timezone,
                 hint="A city (Mumbai), a zone (Asia/Tokyo) or US Central; "
                      "CET means Europe/Berlin.")


def profile_form() -> Form:
    return Form("profile", "About you", (
        Field("name", "Your name", max_length=NAME_MAX),
        Field("programme", "Programme or role", max_length=SHORT_MAX,
              placeholder="PhD student in neuroscience"),
        Field("institution", "Institution", required=False, max_length=SHORT_MAX),
        Field("interests", "Careers you are exploring", FieldKind.LONG, max_length=500,
              placeholder="science policy, regulatory affairs"),
        _tz_field(),
    ), intro="Asked once; change it any time with /infointerview profile.")


def settings_form() -> Form:
    return Form("settings", "Settings", (
        _tz_field(),
        Field("quiet_start", "Quiet hours start", FieldKind.TIME, max_length=8,
              placeholder="21:00"),
        Field("quiet_end", "Quiet hours end", FieldKind.TIME, max_length=8, placeholder="08:00"),
        Field("weekdays_only", "Reminders on weekends?", FieldKind.SELECT, options=(
            Choice("no", "Every day"), Choice("yes", "Weekdays only"))),
        Field("weekly_summary", "A weekly summary on Mondays?", FieldKind.SELECT, options=(
            Choice("off", "No, thanks"), Choice("on", "Yes, please"))),
    ), intro="Reminders wait until your quiet hours are over.")


def intro_form() -> Form:
    return Form("intro", "Your self-introduction", (
        Field("intro", "Introduce yourself (1-2 minutes)", FieldKind.LONG,
              max_length=LONG_TEXT_MAX,
              placeholder="Who you are, what you work on in plain words, what you are exploring."),
    ))


def contact_form(contact_no: int | None) -> Form:
    form_id = "contact:new" if contact_no is None else f"contact:{contact_no}"
    return Form(form_id, "Who do you want to talk to?", (
        Field("name", "Their name", max_length=NAME_MAX),
        Field("role", "Their role", required=False, max_length=SHORT_MAX,
              placeholder="Regulatory affairs manager"),
        Field("organisation", "Organisation", required=False, max_length=SHORT_MAX),
        Field("sector", "Sector", FieldKind.SELECT, options=SECTOR_CHOICES),
        Field("channel", "How will you reach out?", FieldKind.SELECT, options=CHANNEL_CHOICES),
    ), intro="Step 1 of 2.")


def contact_source_form(contact_no: int) -> Form:
    return Form(f"contact2:{contact_no}", "How you found them", (
        Field("how_found", "How did you find them?", FieldKind.SELECT, options=HOW_FOUND_CHOICES),
        Field("found_detail", "Who referred you, or where you found them", required=False,
              max_length=SHORT_MAX, placeholder="Dr. Lee, or the ACS alumni directory"),
        Field("email", "Their e-mail", required=False, max_length=254, validators=(email_error,)),
        Field("profile_url", "Profile link (LinkedIn or web)", required=False, max_length=300,
              validators=(url_error,)),
        Field("reason", "Why them? Finish: I noticed that you …", required=False,
              max_length=200,
              placeholder="moved from the lab into policy",
              hint="Finish the sentence: I noticed that you …"),
    ), intro="Step 2 of 2.")


def draft_form(contact_no: int, subject: str | None, body: str) -> Form:
    fields = [Field("body", "Message", FieldKind.LONG, max_length=LONG_TEXT_MAX)]
    values = {"body": body}
    if subject is not None:
        fields.insert(0, Field("subject", "Subject", required=False, max_length=SHORT_MAX))
        values["subject"] = subject
    return Form(f"draft:{contact_no}", "Edit your message", tuple(fields), values=values)


def windows_form(contact_no: int) -> Form:
    hint = "Free text such as 'Tue 2-4pm' or 'March 3 10:00-11:30'."
    return Form(f"windows:{contact_no}", "Propose time windows", (
        Field("window1", "First window", max_length=80, hint=hint, placeholder="Tue 2-4pm"),
        Field("window2", "Second window", required=False, max_length=80, hint=hint),
        Field("window3", "Third window", required=False, max_length=80, hint=hint),
        Field("contact_tz", "Their time zone (if different)", required=False, max_length=64,
              normaliser=normalise_timezone, placeholder="New York or America/New_York"),
    ))


def meeting_form(contact_no: int) -> Form:
    return Form(f"meeting:{contact_no}", "The agreed time", (
        Field("date", "Date", max_length=40, placeholder="next Wednesday, 8 April or 2026-04-08",
              hint="Read in your time zone; I'll show it back in full."),
        Field("time", "Start time (your time zone)", FieldKind.TIME, max_length=8,
              placeholder="14:30"),
        Field("duration", "Minutes (20-60)", max_length=3,
              validators=(int_range(20, 60, "Minutes"),),
              placeholder="30"),
        Field("mode", "How you will meet", FieldKind.SELECT, options=MODE_CHOICES),
        Field("detail", "Video link, phone number or place", required=False, max_length=300),
    ), values={"duration": "30"})


def referral_form(contact_no: int) -> Form:
    return Form(f"referral:{contact_no}", "Someone they suggested", (
        Field("name", "Their name", max_length=NAME_MAX),
        Field("role", "Their role", required=False, max_length=SHORT_MAX),
        Field("organisation", "Organisation", required=False, max_length=SHORT_MAX),
        Field("reach", "E-mail or profile link", required=False, max_length=300),
        Field("why", "Why they suggested this person", required=False, max_length=200),
    ))


def note_form(contact_no: int) -> Form:
    return Form(f"note:{contact_no}", "Add a note", (
        Field("text", "Note", FieldKind.LONG, max_length=LONG_TEXT_MAX),
    ))


def note_edit_form(contact_no: int) -> Form:
    return Form(f"notes:{contact_no}", "Edit a note", (
        Field("number", "Note number", max_length=6, validators=(_note_number_error,)),
        Field("text", "Note", FieldKind.LONG, max_length=LONG_TEXT_MAX),
    ))


def _note_number_error(value: str) -> str | None:
    return None if parse_number(value) else "Give the note's number, for example 2."


def phrase_form(contact_no: int, suggestion: str = "") -> Form:
    """The starred note in the student's words to its author, as it will appear in drafts."""
    return Form(f"phrase:{contact_no}", "Your starred note, for them", (
        Field("to_them", "Finish: I especially valued …", max_length=SHORT_MAX,
              placeholder="your advice to build one end-to-end project",
              hint="Written to them, e.g. your advice to …, your story about …"),
    ), values={"to_them": suggestion})


def custom_question_form(contact_no: int) -> Form:
    return Form(f"question:{contact_no}", "Add your own question", (
        Field("text", "Question", max_length=300),
    ))


def applied_form() -> Form:
    return Form("applied", "You applied somewhere", (
        Field("organisation", "Organisation", max_length=SHORT_MAX),
    ))


def form_for(form_id: str) -> Form | None:
    """Rebuild a form from its id (to validate a submission against its definition)."""
    kind, _, rest = form_id.partition(":")
    number = parse_number(rest) if rest and not rest.startswith("#") else None
    simple = {"profile": profile_form, "settings": settings_form, "intro": intro_form,
              "applied": applied_form}
    if kind in simple and not rest:
        return simple[kind]()
    if kind == "contact" and (rest == "new" or number is not None):
        return contact_form(number)
    if number is None:
        return None
    builders = {"contact2": contact_source_form, "windows": windows_form,
                "meeting": meeting_form, "referral": referral_form, "note": note_form,
                "notes": note_edit_form, "question": custom_question_form,
                "phrase": phrase_form}
    if kind in builders:
        return builders[kind](number)
    if kind == "draft":
        return draft_form(number, "", "")
    return None
