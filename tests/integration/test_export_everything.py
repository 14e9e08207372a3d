"""`export` holds everything a person entered or chose (GDPR articles 15 and 20).

Every form of the catalogue is filled in, each field with a value derived from its definition
(a unique marker for free text); every marker, choice and setting must come back in the JSON,
and the contact fields in the CSV too. A new form, or a new field nobody exports, fails here.
"""

from __future__ import annotations

import csv
import inspect
import io
import json
from typing import Any

from infointerview.core import Engine, SendDM
from infointerview.core.cohorts import forms as cohort_forms
from infointerview.core.forms import Field, FieldKind, Form
from infointerview.core.journey import forms_catalog
from tests.helpers import PROFILE, User, forms, messages
from tests.integration.test_cohorts import cohort_of, dm, member, share

# form builder -> the form id it is submitted under in this test
FORM_IDS = {
    "profile_form": "profile", "settings_form": "settings", "intro_form": "intro",
    "contact_form": "contact:new", "contact_source_form": "contact2:1", "draft_form": "draft:1",
    "windows_form": "windows:1", "meeting_form": "meeting:1", "note_form": "note:1",
    "note_edit_form": "notes:1", "custom_question_form": "question:1", "phrase_form": "phrase:1",
    "referral_form": "referral:1", "applied_form": "applied",
    "share_form": "share:1", "warm_intro": "warm_intro",
}
# values a validator or parser needs; everything else typed is a unique marker
TYPED = {"tz": "Asia/Tokyo", "contact_tz": "America/Sao_Paulo", "quiet_start": "22:15",
         "quiet_end": "07:45", "date": "2026-03-12", "time": "14:30", "duration": "45",
         "number": "1", "window1": "Tue 2-4pm", "window2": "Wed 10-11am", "window3": "Thu 3-5pm"}
# what those come back as in the export
EXPORTED = {"date": "2026-03-12", "time": "T14:30", "window1": "Tue", "window2": "Wed",
            "window3": "Thu"}
# a choice other than the first (the default), except where the rest of the test needs one
CHOSEN = {("contact", "channel"): "email"}


def _builders() -> dict[str, Any]:
    found = {name: fn for name, fn in inspect.getmembers(forms_catalog, inspect.isfunction)
             if name.endswith("_form") and fn.__module__ == forms_catalog.__name__}
    found["share_form"] = cohort_forms.share_form
    found["warm_intro"] = cohort_forms.intro_form
    return found


def marker(form_id: str, name: str) -> str:
    return f"mk{form_id.partition(':')[0]}{name.replace('_', '')}mk"


def value_for(form_id: str, field: Field) -> str:
    if field.kind is FieldKind.SELECT:
        chosen = CHOSEN.get((form_id.partition(":")[0], field.name))
        return chosen or field.options[min(1, len(field.options) - 1)].value
    if field.name in TYPED:
        return TYPED[field.name]
    if field.name == "email":
        return f"{marker(form_id, field.name)}@example.org"
    if field.name in ("profile_url", "reach"):
        return f"https://example.org/{marker(form_id, field.name)}"
    return marker(form_id, field.name)


def exported_as(form_id: str, field: Field, value: str) -> str:
    """What must appear in the JSON for this field."""
    if field.name in EXPORTED:
        return EXPORTED[field.name]
    return value


class Filler:
    """Submits each form once, with every field filled in from its definition."""

    def __init__(self, person: User) -> None:
        self.person = person
        self.expected: dict[tuple[str, str], str] = {}
        self.choices: dict[tuple[str, str], str] = {}
        self.filled: set[str] = set()

    def submit(self, builder: str, form: Form, form_id: str | None = None,
               override: dict[str, str] | None = None) -> list[Any]:
        form_id = form_id or form.form_id
        values = {f.name: value_for(form_id, f) for f in form.fields} | (override or {})
        for f in form.fields:
            key = (form_id.partition(":")[0], f.name)
            if f.kind is FieldKind.SELECT:
                self.choices[key] = values[f.name]
            else:
                self.expected[key] = exported_as(form_id, f, values[f.name])
        self.filled.add(builder)
        return self.person.submit(form_id, values)


def test_every_field_and_setting_comes_back_in_the_export(engine: Engine) -> None:
    builders = _builders()
    assert set(builders) == set(FORM_IDS), "a form this test does not fill in"
    cohort_of(member(engine, "coach", manager=True))
    ari = member(engine, "ari")
    ari.command("cohort", "join")
    share(ari, ari.add_contact(), "intro")

    sam = User(engine, "sam", channel="cohort-a")
    sam.command("start")
    fill = Filler(dm(sam))
    fill.submit("profile_form", forms_catalog.profile_form(), "profile",
                {"name": marker("profile", "name")})
    sam.command("cohort", "join")
    sam.command("cohort", "shoutouts on")
    you = fill.person
    you.command("start")
    fill.submit("contact_form", forms_catalog.contact_form(None), "contact:new")
    fill.submit("contact_source_form", forms_catalog.contact_source_form(1))
    you.click("draft", "1")
    fill.submit("draft_form", forms_catalog.draft_form(1, "", ""))
    you.click("mark_sent", "1")
    you.click("replied", "1")
    fill.submit("windows_form", forms_catalog.windows_form(1))
    fill.submit("meeting_form", forms_catalog.meeting_form(1))
    fill.submit("custom_question_form", forms_catalog.custom_question_form(1))
    you.command("note", "1 a first note, edited next")
    fill.submit("note_form", forms_catalog.note_form(1))
    fill.submit("note_edit_form", forms_catalog.note_edit_form(1))
    you.command("star", "1 1")
    fill.submit("phrase_form", forms_catalog.phrase_form(1))
    you.click("start_interview", "1")
    you.click("end_interview", "1")
    fill.submit("referral_form", forms_catalog.referral_form(1))
    applied = f"{marker('contact', 'organisation')} {marker('applied', 'organisation')}"
    fill.submit("applied_form", forms_catalog.applied_form(), override={"organisation": applied})
    fill.submit("settings_form", forms_catalog.settings_form())
    fill.submit("intro_form", forms_catalog.intro_form())
    you.command("pause", "2026-04-30")
    share_form = forms(you.command("share", "1"))[0]
    fill.submit("share_form", share_form)
    ask = messages(you.command("cohort", "find regulatory"))[0].buttons[0]
    intro = forms(you.click(ask.action, ask.value))[0]
    sent = fill.submit("warm_intro", intro)
    assert any(isinstance(e, SendDM) and e.user_id == "ari" for e in sent)
    assert fill.filled == set(FORM_IDS)

    reply = messages(you.command("export"))[0]
    files = {a.filename.rsplit(".", 1)[1]: a.content.decode() for a in reply.attachments}
    data = json.loads(files["json"])
    everything = json.dumps(data, ensure_ascii=False)
    missing = {key: value for key, value in fill.expected.items() if value not in everything}
    assert not missing, f"typed but not exported: {missing}"
    assert data["schema"] == "infointerview-export/2"
    # choices and settings, each where it belongs
    contact = data["contacts"][0]
    assert contact["sector"] == fill.choices[("contact", "sector")]
    assert contact["channel"] == "email"
    assert contact["how_found"] == fill.choices[("contact2", "how_found")]
    assert contact["mode"] == fill.choices[("meeting", "mode")]
    assert contact["duration_minutes"] == 45 and len(contact["proposed_windows"]) == 3
    assert contact["their_time_zone"] == "America/Sao_Paulo"
    assert marker("question", "text") in contact["own_questions"]
    assert [n["text"] for n in contact["notes"]] == [marker("notes", "text"),
                                                    marker("note", "text")]
    assert contact["meeting_local"].startswith("2026-03-12T14:30:00+09:00")
    assert marker("draft", "subject") in contact["outreach_edited"]
    assert contact["applied_to"] == applied
    assert data["applications"] == [{"organisation": applied, "contact": 1,
                                     "applied_at": contact["applied_at"]}]
    assert data["settings"] == {
        "time_zone": "Asia/Tokyo", "quiet_hours": ["22:15", "07:45"],
        "weekdays_only": fill.choices[("settings", "weekdays_only")] == "yes",
        "weekly_summary": fill.choices[("settings", "weekly_summary")] == "on",
        "reminders_paused_until": "2026-04-30"}
    assert data["settings"]["weekdays_only"] and data["settings"]["weekly_summary"]
    assert data["profile"]["name"] == marker("profile", "name")
    assert [(c["name"], c["role"], c["shoutouts"], c["paused"]) for c in data["cohorts"]] == \
        [("Bootcamp Spring", "member", True, False)]
    assert data["shares"] == [{"contact": 1, "cohort": "Bootcamp Spring",
                               "visibility": fill.choices[("share", "visibility")],
                               "email": fill.choices[("share", "email")] == "yes",
                               "consent": fill.choices[("share", "consent")] == "yes",
                               "shared_at": data["shares"][0]["shared_at"]}]
    made = data["intro_requests_made"]
    assert [(r["reason"], r["status"]) for r in made] == \
        [(marker("warm_intro", "reason"), "pending")]
    assert "Dr. Jordan Lee" not in json.dumps(made)  # an intro-only share stays unnamed
    assert data["intro_requests_received"] == []
    # the CSV: every contact field typed in the two contact forms, and how it is shared
    rows = list(csv.DictReader(io.StringIO(files["csv"])))
    table = files["csv"]
    for (form, _), value in fill.expected.items():
        if form in ("contact", "contact2", "windows", "meeting", "draft", "question", "notes",
                    "applied"):
            assert value in table, (form, value)
    assert rows[0]["shared_with"].startswith("Bootcamp Spring (")


def test_an_owner_sees_the_requests_they_answered_but_not_who_asked(engine: Engine) -> None:
    cohort_of(member(engine, "coach", manager=True))
    owner, asker = member(engine, "olga"), member(engine, "ari")
    owner.command("cohort", "join")
    asker.command("cohort", "join")
    share(owner, owner.add_contact(), "card")
    ask = messages(asker.command("cohort", "find regulatory"))[0].buttons[0]
    intro = forms(asker.click(ask.action, ask.value))[0]
    request = next(e for e in asker.submit(intro.form_id, {"reason": "secretreason"})
                   if isinstance(e, SendDM)).message
    decline = next(b for b in request.buttons if b.action == "intro_decline")
    owner.click(decline.action, decline.value)
    reply = messages(dm(owner).command("export"))[0]
    data = json.loads(next(a for a in reply.attachments if a.filename.endswith(".json"))
                      .content)
    received = data["intro_requests_received"]
    assert [(r["contact"], r["status"]) for r in received] == [(1, "declined")]
    assert "secretreason" not in json.dumps(data) and "Ari" not in json.dumps(received)
    assert PROFILE["programme"] in json.dumps(data["profile"])


# --- every column a person fills in reaches the export ---------------------------------------

# columns that hold no choice of the person's: keys, bookkeeping, the conversation's position
NOT_ENTERED = {
    "users": {"id", "platform", "tenant", "user_id", "session_state", "next_contact_no",
              "undelivered_reminders", "delivery_error", "created_at", "updated_at"},
    "contacts": {"id", "user_pk", "platform", "tenant", "introduced_by_pk"},
    "cohort_members": {"id", "cohort_id", "user_pk"},
    "shares": {"id", "cohort_id", "owner_pk", "contact_pk"},
    "intro_requests": {"id", "share_id", "requester_pk"},
}
# column -> its key in the export, where the names differ
EXPORT_KEY = {
    "users": {"intro": "introduction", "tz": "time_zone", "quiet_start": "quiet_hours",
              "quiet_end": "quiet_hours", "paused_until": "reminders_paused_until"},
    "contacts": {"no": "number", "referred_by_no": "referred_by",
                 "outreach_custom": "outreach_edited", "contact_tz": "their_time_zone",
                 "windows": "proposed_windows", "duration_min": "duration_minutes",
                 "agenda": "questions"},
    "cohort_members": {},
    "shares": {"share_email": "email", "created_at": "shared_at"},
    "intro_requests": {"created_at": "asked_at"},
}
SECTIONS = {"users": ("display_name", "profile", "settings"), "contacts": ("contacts",),
            "cohort_members": ("cohorts",), "shares": ("shares",),
            "intro_requests": ("intro_requests_made",)}


def test_every_column_a_person_fills_in_has_an_export_key(engine: Engine) -> None:
    """Derived from the tables: a new column is exported, or declared not entered above."""
    from infointerview.core.store.models import Base

    cohort_of(member(engine, "coach", manager=True))
    owner, asker = member(engine, "olga"), member(engine, "ari")
    owner.command("cohort", "join")
    asker.command("cohort", "join")
    share(owner, owner.add_contact(), "intro")
    ask = messages(asker.command("cohort", "find regulatory"))[0].buttons[0]
    intro = forms(asker.click(ask.action, ask.value))[0]
    asker.submit(intro.form_id, {"reason": "why"})
    asker.add_contact()
    data = {}
    for person in (owner, asker):
        reply = messages(dm(person).command("export"))[0]
        data.update({k: v for k, v in json.loads(next(
            a for a in reply.attachments if a.filename.endswith(".json")).content).items()
            if v})
    for table, sections in SECTIONS.items():
        keys: set[str] = {"display_name"} if "display_name" in sections else set()
        for section in sections:
            value = data[section]
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, dict):
                    keys |= set(item)
        columns = {c.name for c in Base.metadata.tables[table].columns} - NOT_ENTERED[table]
        missing = {c for c in columns if EXPORT_KEY[table].get(c, c) not in keys}
        assert not missing, f"{table} columns not in the export: {missing}"
