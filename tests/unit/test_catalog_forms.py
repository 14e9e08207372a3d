"""The forms catalogue names every form kind once; the handlers and builders follow it."""

from __future__ import annotations

from infointerview.core.cohorts import service
from infointerview.core.journey import router
from infointerview.core.journey.catalog.actions import ACTIONS
from infointerview.core.journey.catalog.forms import COHORT_FORMS, FORMS, FormOwner
from infointerview.core.journey.forms_catalog import form_for


def _kinds(owner: FormOwner) -> set[str]:
    return {kind for kind, form in FORMS.items() if form.owner is owner}


def test_each_form_kind_has_one_handler() -> None:
    assert set(router.CONTACT_FORMS) == _kinds(FormOwner.CONTACT)
    assert set(router.PLAIN_FORMS) == _kinds(FormOwner.PERSON)
    assert set(service.SUBMITS) == _kinds(FormOwner.COHORT) == service.FORMS == COHORT_FORMS


def test_a_contact_form_obeys_an_actions_stage_rules() -> None:
    for kind in _kinds(FormOwner.CONTACT):
        assert FORMS[kind].action in ACTIONS, kind
        assert router.FORM_ACTIONS[kind] == FORMS[kind].action
    assert all(FORMS[k].action is None for k in FORMS if FORMS[k].owner is not FormOwner.CONTACT)


def test_the_journeys_forms_can_be_rebuilt_from_their_ids() -> None:
    """A submission is validated against the form rebuilt from its id."""
    for kind in _kinds(FormOwner.CONTACT):
        assert form_for(f"{kind}:1") is not None, kind
    for kind in _kinds(FormOwner.PERSON):
        assert form_for(kind) is not None or form_for(f"{kind}:new") is not None, kind
