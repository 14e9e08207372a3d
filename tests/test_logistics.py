"""Issue 13, part 4: logistics and questions — zones as people type them, the agreed date, the
windows, the confirmation draft, sectors and the questions that fit them."""

from __future__ import annotations

import pytest

from core.journey.forms_catalog import profile_form, settings_form, windows_form
from core.timezones import normalise_timezone, resolve_timezone

# --- time zones as people type them --------------------------------------------------------------


@pytest.mark.parametrize(("typed", "zone"), [
    ("Europe/Berlin", "Europe/Berlin"), ("europe/berlin", "Europe/Berlin"),
    ("Central", "America/Chicago"), ("US Central", "America/Chicago"),
    ("US/Central", "America/Chicago"), ("Eastern", "America/New_York"),
    ("Pacific", "America/Los_Angeles"), ("CET", "Europe/Berlin"), ("CEST", "Europe/Berlin"),
    ("Berlin", "Europe/Berlin"), ("New York", "America/New_York"), ("Mumbai", "Asia/Kolkata"),
    ("Kolkata", "Asia/Kolkata"), ("São Paulo", "America/Sao_Paulo"),
    ("sao paulo", "America/Sao_Paulo"), ("Auckland", "Pacific/Auckland"), ("UTC", "UTC"),
])
def test_common_zone_names_and_cities_are_stored_as_iana_names(typed: str, zone: str) -> None:
    assert normalise_timezone(typed) == zone


def test_cet_says_which_zone_it_is_read_as() -> None:
    assert resolve_timezone("CET").note == "\u201cCET\u201d is read as Europe/Berlin."
    assert "Europe/Berlin" in settings_form().field("tz").hint


def test_an_ambiguous_abbreviation_gets_suggestions_not_a_guess() -> None:
    answer = resolve_timezone("IST")
    assert answer.zone is None and "Asia/Kolkata" in answer.suggestions
    with pytest.raises(ValueError, match=r"more than one zone.*Asia/Kolkata.*Europe/Dublin"):
        normalise_timezone("IST")


@pytest.mark.parametrize(("typed", "suggested"), [
    ("Berlinn", "Europe/Berlin"), ("Chicgo", "America/Chicago"), ("New Yrok", "America/New_York"),
])
def test_a_near_miss_suggests_the_closest_names(typed: str, suggested: str) -> None:
    with pytest.raises(ValueError, match=rf"Did you mean: .*{suggested}"):
        normalise_timezone(typed)


def test_an_unknown_zone_still_explains_what_to_type() -> None:
    with pytest.raises(ValueError, match="time zone name such as Europe/Berlin"):
        normalise_timezone("../../etc/passwd")


def test_the_forms_store_the_iana_name_and_keep_what_was_typed_on_error() -> None:
    values = {"name": "Sam", "programme": "PhD", "interests": "policy", "tz": "US Central"}
    cleaned, again = profile_form().validate(values)
    assert again is None and cleaned["tz"] == "America/Chicago"
    cleaned, again = windows_form(1).validate({"window1": "Tue 2-4pm", "contact_tz": "Mumbai"})
    assert again is None and cleaned["contact_tz"] == "Asia/Kolkata"
    _, again = settings_form().validate({"tz": "IST", "quiet_start": "21:00",
                                         "quiet_end": "08:00", "weekdays_only": "no",
                                         "weekly_summary": "off"})
    assert again is not None and again.values["tz"] == "IST"
    assert "Asia/Kolkata" in again.errors["tz"]
