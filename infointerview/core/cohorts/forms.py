"""The two cohort forms: how to share a contact, and why you would like an introduction."""

from __future__ import annotations

from collections.abc import Sequence

from infointerview.core.cohorts.ports import Row
from infointerview.core.forms import Choice, Field, FieldKind, Form
from infointerview.core.journey.state import Contact

VISIBILITY = (Choice("intro", "Intro on request (role and organisation only)"),
              Choice("card", "Card (name, role, organisation, profile link)"))
YES_NO = (Choice("no", "No"), Choice("yes", "Yes"))


def share_form(contact: Contact, cohorts: Sequence[Row]) -> Form:
    fields = [
        Field("cohort", "Share with", FieldKind.SELECT,
              options=tuple(Choice(str(r["id"]), str(r["name"])[:75]) for r in cohorts)),
        Field("visibility", "What others see", FieldKind.SELECT, options=VISIBILITY,
              hint="Your notes are never shared."),
    ]
    fields.append(Field("consent", "They said it's fine to pass on their details", FieldKind.SELECT,
                        options=YES_NO, required=False,  # not answered: not asked
                        hint="Needed before their e-mail address is shared; members see "
                             "whether they agreed."))
    if contact.email:
        fields.append(Field("email", "Include their e-mail address?", FieldKind.SELECT,
                            options=YES_NO))
    else:
        fields.append(Field("email", "Include their e-mail address?", FieldKind.SELECT,
                            options=YES_NO, required=False,
                            hint="You have no e-mail address for them."))
    return Form(f"share:{contact.no}", "Share a contact with your cohort", tuple(fields),
                intro=f"Sharing {contact.name}. You can un-share any time.",
                submit_label="Share")


def intro_form(share_id: int) -> Form:
    return Form(f"warm_intro:{share_id}", "Ask for an introduction", (
        Field("reason", "Why would you like to talk to them?", FieldKind.LONG, max_length=300,
              placeholder="I'm exploring regulatory careers and would value 20 minutes of "
                          "their time."),
    ), intro="The member who shared this contact decides; you'll hear back in your DM.",
        submit_label="Ask")


def consent_error(cleaned: dict[str, str]) -> dict[str, str]:
    """The share form's one rule across fields: an e-mail address is shared only for a contact
    who said it's fine to pass on their details."""
    if cleaned.get("email") == "yes" and cleaned.get("consent") != "yes":
        return {"email": "Their e-mail address can be shared only once they've said it's fine "
                         "to pass on their details. Choose Yes above if they have, or No here "
                         "to share without it."}
    return {}
