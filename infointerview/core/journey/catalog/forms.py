"""Every form the bot opens, by the kind that starts its id (``meeting:3``, ``share:2``).

A form's submission comes back as an event naming only its id; this table says who handles it
(the journey for one contact, the journey for the person, or the cohort features) and, for a
contact's form, which action's stage rules the submission obeys (a meeting form submitted after
the contact was parked is refused like the "Agreed a time" button would be). The router and the
cohort service take their lists from here; ``tests/unit/test_catalog_forms.py`` checks the handlers.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class FormOwner(StrEnum):
    CONTACT = "contact"  # the id's number is one of the person's contacts
    PERSON = "person"  # the person's own: profile, settings, a new contact…
    COHORT = "cohort"  # handled by core.cohorts


@dataclass(frozen=True, slots=True)
class FormKind:
    kind: str
    owner: FormOwner
    action: str | None = None  # a contact form: the action whose stage rules it obeys


_C, _P, _H = FormOwner.CONTACT, FormOwner.PERSON, FormOwner.COHORT

FORMS: dict[str, FormKind] = {form.kind: form for form in (
    FormKind("contact2", _C, "edit"), FormKind("draft", _C, "edit_draft"),
    FormKind("windows", _C, "propose"), FormKind("meeting", _C, "schedule"),
    FormKind("referral", _C, "add_referral"), FormKind("note", _C, "add_note"),
    FormKind("notes", _C, "add_note"), FormKind("question", _C, "custom_question"),
    FormKind("phrase", _C, "phrase_note"),
    FormKind("profile", _P), FormKind("contact", _P), FormKind("settings", _P),
    FormKind("intro", _P), FormKind("applied", _P),
    FormKind("share", _H), FormKind("warm_intro", _H),
)}

# A contact form's kind, to the action whose stage rules its submission obeys.
FORM_ACTIONS: dict[str, str] = {f.kind: f.action for f in FORMS.values()
                               if f.owner is _C and f.action is not None}
COHORT_FORMS = frozenset(f.kind for f in FORMS.values() if f.owner is _H)
