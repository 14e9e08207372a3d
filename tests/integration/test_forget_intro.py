"""After forget-me, a person's name leaves the contacts their introductions created for others;
the introduced contact itself stays (it was shared with consent)."""

from __future__ import annotations

import json

from infointerview.core import Engine, SendDM
from tests.helpers import User, forms, messages, text_of
from tests.integration.test_cohorts import dm, owner_and_asker, share


def _export(person: User) -> dict:  # type: ignore[type-arg]
    reply = messages(dm(person).command("export"))[0]
    return json.loads(next(a for a in reply.attachments if a.filename.endswith(".json"))
                      .content)


def _introduce(engine: Engine) -> tuple[User, User]:
    owner, asker = owner_and_asker(engine)
    share(owner, owner.add_contact(), "intro")
    ask = messages(asker.command("cohort", "find regulatory"))[0].buttons[0]
    form = forms(asker.click(ask.action, ask.value))[0]
    request = next(e for e in asker.submit(form.form_id, {"reason": "moving into regulation"})
                   if isinstance(e, SendDM)).message
    accept = next(b for b in request.buttons if b.action == "intro_accept")
    owner.click(accept.action, accept.value)
    return owner, asker


def test_forget_me_replaces_the_introducers_name_in_contacts_it_created(engine: Engine) \
        -> None:
    owner, asker = _introduce(engine)
    assert "Olga Example" in text_of(dm(asker).command("show", "1"))
    # a contact of the asker's own, whose referrer has the same name, is not theirs to change
    typed = asker.add_contact({"name": "Pat Doe", "role": "", "organisation": "",
                               "sector": "other", "channel": "email"},
                              {"how_found": "referral", "found_detail": "Olga Example",
                               "email": "", "profile_url": "", "reason": ""})
    dm(owner).command("forget-me")
    dm(owner).click("forget_confirm")
    card = text_of(dm(asker).command("show", "1"))
    assert "Olga" not in card and "a cohort member" in card
    assert "Dr. Jordan Lee" in card  # the shared card stays
    contacts = {c["number"]: c for c in _export(asker)["contacts"]}
    assert contacts[1]["found_detail"] == "a cohort member"
    assert contacts[1]["name"] == "Dr. Jordan Lee"
    assert contacts[typed]["found_detail"] == "Olga Example"
