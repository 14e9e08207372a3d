"""The pure parts of the journey: introduction review, time windows, forms, text, the bank."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from infointerview.core.forms import email_error, parse_clock_time, timezone_error, url_error
from infointerview.core.journey.forms_catalog import contact_source_form, form_for, profile_form
from infointerview.core.journey.intro import review_intro
from infointerview.core.journey.questions import WHO_ELSE_ID, QuestionBank
from infointerview.core.journey.timeparse import WindowError, parse_window
from infointerview.core.journey.timing import next_morning, thank_you_nudge_at
from infointerview.core.richtext import RichText
from infointerview.core.templates import Templates

CHICAGO = ZoneInfo("America/Chicago")
NOW = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)  # a Wednesday


def test_intro_timing_and_jargon() -> None:
    short = review_intro("I study cells.")
    assert short.too_short and not short.too_long
    plain = review_intro(" ".join(["word"] * 225))  # 90 seconds at 150 words a minute
    assert plain.seconds == 90 and not plain.too_short and not plain.too_long
    long = review_intro(" ".join(["word"] * 400))
    assert long.too_long
    jargon = review_intro("I use CRISPR and immunohistochemistry to study transcriptomics "
                          "in my PhD at the university.")
    assert "CRISPR" in jargon.jargon
    assert "immunohistochemistry" in jargon.jargon
    assert "transcriptomics" in jargon.jargon
    assert "PhD" not in jargon.jargon and "university" not in jargon.jargon


@pytest.mark.parametrize(("text", "start", "end"), [
    ("Tue 2-4pm", "2026-12-01T14:00:00-06:00", "2026-12-01T16:00:00-06:00"),
    ("Friday 11-1pm", "2026-11-27T11:00:00-06:00", "2026-11-27T13:00:00-06:00"),
    ("2026-12-01 10:00-11:30", "2026-12-01T10:00:00-06:00", "2026-12-01T11:30:00-06:00"),
    ("tomorrow 9am to 11am", "2026-11-26T09:00:00-06:00", "2026-11-26T11:00:00-06:00"),
    ("March 3 10:00-11:30", "2027-03-03T10:00:00-06:00", "2027-03-03T11:30:00-06:00"),
    ("tomorrow 10am-noon", "2026-11-26T10:00:00-06:00", "2026-11-26T12:00:00-06:00"),
    ("Fri noon-1pm", "2026-11-27T12:00:00-06:00", "2026-11-27T13:00:00-06:00"),
    ("Fri 11am to Noon", "2026-11-27T11:00:00-06:00", "2026-11-27T12:00:00-06:00"),
    ("Fri 11-12pm", "2026-11-27T11:00:00-06:00", "2026-11-27T12:00:00-06:00"),
    ("Fri 11-midday", "2026-11-27T11:00:00-06:00", "2026-11-27T12:00:00-06:00"),
    ("Fri 10pm-midnight", "2026-11-27T22:00:00-06:00", "2026-11-28T00:00:00-06:00"),
    # bare hours are read as daytime hours, as people mean them
    ("Fri 10-12", "2026-11-27T10:00:00-06:00", "2026-11-27T12:00:00-06:00"),
    ("Fri 2-4", "2026-11-27T14:00:00-06:00", "2026-11-27T16:00:00-06:00"),
    ("Fri 11-1", "2026-11-27T11:00:00-06:00", "2026-11-27T13:00:00-06:00"),
    ("fri 10am-12", "2026-11-27T10:00:00-06:00", "2026-11-27T12:00:00-06:00"),
    ("Fri 9pm-11", "2026-11-27T21:00:00-06:00", "2026-11-27T23:00:00-06:00"),
    ("Fri 10:30-12", "2026-11-27T10:30:00-06:00", "2026-11-27T12:00:00-06:00"),
    ("Fri 2-3:30", "2026-11-27T14:00:00-06:00", "2026-11-27T15:30:00-06:00"),
    ("Fri 13:00-14:30", "2026-11-27T13:00:00-06:00", "2026-11-27T14:30:00-06:00"),
    ("next wednesday 9-11", "2026-12-02T09:00:00-06:00", "2026-12-02T11:00:00-06:00"),
])
def test_time_windows_are_read_in_the_users_zone(text: str, start: str, end: str) -> None:
    window = parse_window(text, CHICAGO, NOW)
    assert window.start.isoformat() == start
    assert window.end.isoformat() == end


@pytest.mark.parametrize(("text", "problem"), [
    ("whenever works", "could not read"),
    ("2020-01-01 10:00", "in the past"),
    ("Dec 2 4pm - 2pm", "end comes before the start"),
])
def test_bad_time_windows_explain_themselves(text: str, problem: str) -> None:
    with pytest.raises(WindowError, match=problem):
        parse_window(text, CHICAGO, NOW)


@pytest.mark.parametrize("text", ["March 14 2:30am", "March 14 2:30-3:30am",
                                  "March 14 1:30-2:30am"])
def test_a_time_the_clocks_skip_is_refused_with_the_time_it_would_be(text: str) -> None:
    # 14 March 2027, Chicago: at 2:00 the clocks go to 3:00, so 2:30 never happens there
    with pytest.raises(WindowError, match=r"2:30 AM on Sunday 14 March does not exist in "
                       r"America/Chicago.*clocks go forward.*3:30 AM"):
        parse_window(text, CHICAGO, NOW)


def test_the_hour_either_side_of_the_switch_is_read_in_its_own_offset() -> None:
    window = parse_window("March 14 1:00-3:30am", CHICAGO, NOW)
    assert window.start.isoformat() == "2027-03-14T01:00:00-06:00"
    assert window.end.isoformat() == "2027-03-14T03:30:00-05:00"
    # 90 minutes apart (same-zone datetimes subtract as wall clocks: compare the instants)
    assert window.end.astimezone(UTC) - window.start.astimezone(UTC) == timedelta(minutes=90)


def test_nine_am_stays_nine_am_across_daylight_saving() -> None:
    before_switch = datetime(2026, 3, 7, 20, 0, tzinfo=UTC)  # Saturday, CST
    morning = next_morning(before_switch, CHICAGO)
    assert morning.astimezone(CHICAGO).hour == 9
    assert morning.astimezone(UTC).hour == 14  # 9 a.m. CDT, not 8 a.m.
    early = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)  # 10 a.m. local: nudge the same afternoon
    assert thank_you_nudge_at(early, CHICAGO).astimezone(CHICAGO).hour == 14


def test_validators() -> None:
    assert email_error("jordan.lee@example.org") is None
    for bad in ("jordan", "a@b", "<!channel>@x.org", "a b@example.org"):
        assert email_error(bad)
    assert url_error("linkedin.com/in/jordan") is None
    assert url_error("javascript:alert(1)") and url_error("not a link")
    assert timezone_error("Europe/Berlin") is None and timezone_error("Mars/Olympus")
    assert parse_clock_time("2:30pm") is not None and parse_clock_time("14:30") is not None
    assert parse_clock_time("3") is None and parse_clock_time("25:00") is None


def test_forms_keep_every_value_and_name_the_faulty_field() -> None:
    form = contact_source_form(3)
    values = {"how_found": "referral", "found_detail": "Dr. Okafor", "email": "nope",
              "profile_url": "", "reason": "x" * 10_000}
    _, again = form.validate(values)
    assert again is not None
    assert set(again.errors) == {"email", "reason"}
    assert "10,000 characters" in again.errors["reason"]
    assert again.values["found_detail"] == "Dr. Okafor" and again.values["email"] == "nope"
    assert again.values["reason"] == "x" * 10_000
    assert all(len(f.fields) <= 5 for f in (profile_form(), form))
    assert form_for("meeting:2") is not None and form_for("meeting:x") is None


def test_rich_text_keeps_user_values_apart_and_bold_wraps_them() -> None:
    templates = Templates()
    blocks = templates.blocks("interview/referral_added.j2", {
        "contact": {"name": "*not bold* <!channel>"},
        "referral": {"name": "{{ 7*7 }}", "no": 2}})
    runs = blocks[0].text.runs()  # type: ignore[union-attr]
    user_runs = [r for r in runs if r.user]
    assert [r.text for r in user_runs] == ["{{ 7*7 }}", "2", "*not bold* <!channel>"]
    assert user_runs[0].bold  # *{{ referral.name }}* in the template
    assert not any("49" in r.text for r in runs)
    assert RichText.parse("a \ue000b\ue001 c").plain() == "a b c"


def test_question_bank_is_complete_and_replaceable(tmp_path: Path) -> None:
    bank = QuestionBank.load()
    assert len(bank.questions) >= 40
    assert {c.id for c in bank.categories} >= {"role", "path", "skills", "field", "advice",
                                               "culture", "closing"}
    for sector in ("academia", "industry", "government", "non-profit", "other"):
        agenda = bank.suggested_agenda(sector)
        assert agenda[-1] == f"q:{WHO_ELSE_ID}" and len(agenda) >= 7
    (tmp_path / "questions.toml").write_text(
        '[[category]]\nid = "closing"\ntitle = "Last"\n'
        '[[question]]\nid = "closing-who-else"\ncategory = "closing"\ntext = "Who else?"\n')
    custom = QuestionBank.load(tmp_path)
    assert [q.text for q in custom.questions] == ["Who else?"]


def test_templates_can_be_overridden_from_a_folder(tmp_path: Path) -> None:
    (tmp_path / "common").mkdir()
    (tmp_path / "common" / "stale_button.j2").write_text("Our office wording.\n")
    templates = Templates(tmp_path)
    assert templates.blocks("common/stale_button.j2", {})[0].text.plain() == "Our office wording."
    assert "kind" in templates.text("common/which_contact.j2", {"command": "kind"})
