"""The console as a person uses it: files written, multi-line text, notes, typed commands."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from infointerview.adapters.console.adapter import ConsoleAdapter
from infointerview.adapters.console.repl import JsonLines, TextChat
from infointerview.core import Engine, SimulatedClock


@pytest.fixture
def db_url(tmp_path: Path) -> str:  # the console's own behaviour: SQLite is enough
    return f"sqlite:///{tmp_path}/console.db"


def chat(session: ConsoleAdapter, lines: list[str], *, interactive: bool = False) -> str:
    out = io.StringIO()
    TextChat(session, iter(lines), out, interactive=interactive, echo=True).run()
    return out.getvalue()


def person(engine: Engine, tmp_path: Path, clock: SimulatedClock | None = None,
           user: str = "noor") -> ConsoleAdapter:
    return ConsoleAdapter(engine, user, tz="Asia/Kolkata", clock=clock, files=tmp_path / "out")


# --- attachments are written ------------------------------------------------------------------


def test_export_writes_its_files_and_never_overwrites(engine: Engine, tmp_path: Path) -> None:
    session = person(engine, tmp_path)
    out = chat(session, ["/infointerview export", "/infointerview export"])
    folder = tmp_path / "out"
    written = sorted(p.name for p in folder.iterdir())
    assert len(written) == 4, written
    stamp = written[0].split("-")[1].split(".")[0]
    assert f"infointerview-{stamp}.json" in written
    assert f"infointerview-{stamp}-2.json" in written
    assert f"infointerview-{stamp}-2.csv" in written
    assert str(folder / f"infointerview-{stamp}-2.json") in out
    data = json.loads((folder / f"infointerview-{stamp}.json").read_text())
    assert data["contacts"] == []


def test_jsonl_reports_where_an_attachment_was_written(engine: Engine, tmp_path: Path) -> None:
    session = person(engine, tmp_path)
    written: list[dict[str, object]] = []
    JsonLines(session, iter(['{"type": "command", "text": "export"}']), written.append).run()
    attachments = [a for item in written if item["type"] == "message"
                   for a in item["attachments"]]  # type: ignore[union-attr]
    assert attachments and all(Path(str(a["path"])).is_file() for a in attachments)
    assert {Path(str(a["path"])).parent for a in attachments} == {tmp_path / "out"}


def test_the_command_writes_into_files_or_the_current_folder(tmp_path: Path) -> None:
    env = {**os.environ, "INFOINTERVIEW_DATABASE_URL": f"sqlite:///{tmp_path}/cli.db"}
    here = tmp_path / "here"
    here.mkdir()
    run = [sys.executable, "-m", "infointerview", "console", "--user", "noor"]
    default = subprocess.run(run, input="/infointerview export\n", capture_output=True,
                             text=True, env=env, cwd=here, timeout=120, check=False)
    assert default.returncode == 0, default.stderr
    assert len(list(here.glob("infointerview-*.json"))) == 1
    chosen = subprocess.run([*run, "--files", str(tmp_path / "exports")],
                            input="/infointerview export\n", capture_output=True, text=True,
                            env=env, cwd=here, timeout=120, check=False)
    assert chosen.returncode == 0, chosen.stderr
    assert len(list((tmp_path / "exports").glob("infointerview-*.csv"))) == 1
    assert str(tmp_path / "exports") in chosen.stdout


# --- commands without the prefix, the console's own help, readable wording ----------------------


def test_help_and_start_work_without_the_prefix(engine: Engine, tmp_path: Path) -> None:
    for typed in ("help", "/help", "Help"):
        out = chat(person(engine, tmp_path), [typed])
        assert "start [name]" in out and "Commands start with" not in out, typed
        for own in ("/advance", "/as", "/cancel", "/quit"):
            assert own in out, (typed, own)
    started = chat(person(engine, tmp_path, user="lina"), ["start", "/cancel"])
    assert "📝" in started and "Your name" in started


def test_backticks_are_not_shown_raw(engine: Engine, tmp_path: Path) -> None:
    out = chat(person(engine, tmp_path), ["/infointerview help", "/infointerview forget-me",
                                          "Keep my data"])
    assert "`" not in out
    assert "start [name]" in out


def test_text_outside_an_interview_gets_short_help(engine: Engine, tmp_path: Path) -> None:
    out = chat(person(engine, tmp_path), ["what now?"])
    assert "I only take notes" not in out
    assert "start" in out and "help" in out
    assert len(out.split("what now?", 1)[1].strip().splitlines()) <= 6


def test_a_number_that_is_no_button_says_so(engine: Engine, tmp_path: Path) -> None:
    out = chat(person(engine, tmp_path), ["7"])
    assert "no choice numbered 7" in out.lower()


def test_select_defaults_show_labels_and_no_login_name(engine: Engine, tmp_path: Path) -> None:
    session = ConsoleAdapter(engine, "root", tz="Asia/Kolkata", files=tmp_path)
    out = chat(session, ["/infointerview start", "/cancel", "/infointerview settings",
                         "", "", "", "", "/cancel"])
    assert "[root]" not in out
    assert "choose [Every day]" in out and "choose [No, thanks]" in out  # labels, not values
    assert "choose [no]" not in out and "choose [off]" not in out


# --- interview mode -----------------------------------------------------------------------------

PROFILE = {"name": "Noor Haddad", "programme": "MSc student in chemistry",
           "institution": "Delta University", "interests": "science communication",
           "tz": "Asia/Kolkata"}
CONTACT = {"name": "Dr. Ilse Brandt", "role": "Science editor", "organisation": "Ridgeway Press",
           "sector": "industry", "channel": "email"}
SOURCE = {"how_found": "social", "found_detail": "a podcast", "email": "ilse@example.org",
          "profile_url": "", "reason": "writes about chemistry"}
MEETING = {"date": "2026-04-08", "time": "15:00", "duration": "30", "mode": "video",
           "detail": "https://meet.example.org/ilse"}


def booked(engine: Engine, tmp_path: Path, user: str = "noor") -> ConsoleAdapter:
    """Noor with contact 1 (Dr. Ilse Brandt) booked, at the console, no form open."""
    session = person(engine, tmp_path, user=user)
    session.line("/infointerview start")
    session.submit("profile", PROFILE)
    session.submit("contact:new", CONTACT)
    session.submit("contact2:1", SOURCE)
    for action in ("mark_sent", "replied"):
        session.click(action, "1")
    session.submit("meeting:1", MEETING)
    return session


def test_end_interview_typed_any_time(engine: Engine, tmp_path: Path) -> None:
    for typed in ("end", "End interview", "end interview."):
        session = booked(engine, tmp_path)
        out = chat(session, ["/infointerview interview 1", "They started as a lab technician",
                             typed, "this is after the end"])
        assert "Interview with Dr. Ilse Brandt done" in out, typed
        contact = export_contact(session)
        assert [n["text"] for n in contact["notes"]] == ["They started as a lab technician"]
        assert contact["stage"] == "interviewed"
        session.line("/infointerview forget-me")
        session.line("Yes, delete everything")


def test_end_interview_by_its_number(engine: Engine, tmp_path: Path) -> None:
    session = booked(engine, tmp_path)
    out = chat(session, ["/infointerview interview 1"])
    number = out.split("] End interview")[0].rsplit("[", 1)[1]
    out = chat(session, [number])
    assert "Interview with Dr. Ilse Brandt done" in out
    session = booked(engine, tmp_path, user="noor2")
    out = chat(session, ["/infointerview interview 1", "Editors read fast"])
    number = out.split("] End interview")[-2].rsplit("[", 1)[1]  # the note's own choices
    assert "Interview with Dr. Ilse Brandt done" in chat(session, [number])


def test_commands_and_labels_are_never_notes(engine: Engine, tmp_path: Path) -> None:
    session = booked(engine, tmp_path)
    out = chat(session, ["/infointerview interview 1", "Pitch editors with a one-line hook",
                         "help", "Wrap up", "star this one", "/infointerview list", "/list",
                         "star", "Add a referral", "/cancel"])
    assert "start [name]" in out and "Before you say goodbye" in out
    assert "Starred" in out
    contact = export_contact(session)
    assert [n["text"] for n in contact["notes"]] == ["Pitch editors with a one-line hook"]


def test_star_with_a_number_in_an_interview_stars_that_note(engine: Engine,
                                                            tmp_path: Path) -> None:
    session = booked(engine, tmp_path)
    chat(session, ["/infointerview interview 1", "Editors read fast", "Pitch with a hook",
                   "Freelance first, staff later", "star 2", "Star 1."])
    contact = export_contact(session)
    notes = contact["notes"]
    assert [n["text"] for n in notes] == [  # type: ignore[index]
        "Editors read fast", "Pitch with a hook", "Freelance first, staff later"]
    assert [n["starred"] for n in notes] == [True, False, False]  # type: ignore[index]


def export_contact(session: ConsoleAdapter) -> dict[str, object]:
    outputs = session.line("/infointerview export")
    data = next(json.loads(a.content) for o in outputs if o.message
                for a in o.message.attachments if a.filename.endswith(".json"))
    return data["contacts"][0]  # type: ignore[no-any-return]


# --- notes: read, edit, delete; star says which contact and note ---------------------------------


def with_notes(engine: Engine, tmp_path: Path, user: str = "noor") -> ConsoleAdapter:
    session = booked(engine, tmp_path, user)
    for line in ("/infointerview interview 1", "Editors read fast", "Pitch with a hook",
                 "Freelance first, staff later", "end"):
        session.line(line)
    return session


def test_notes_are_listed_edited_and_deleted(engine: Engine, tmp_path: Path) -> None:
    session = with_notes(engine, tmp_path)
    listed = chat(session, ["/infointerview notes 1"])
    for n, text in enumerate(("Editors read fast", "Pitch with a hook",
                              "Freelance first, staff later"), 1):
        assert f"\n{n}. {text}\n" in listed  # one note a line
    edited = chat(session, ["/infointerview notes 1 edit 2 Pitch with a one-line hook"])
    assert "Pitch with a one-line hook" in edited
    deleted = chat(session, ["/infointerview notes 1 delete 1"])
    assert "Editors read fast" in deleted  # says what went, so it can be typed again
    assert "moved up one number.\nTo add it back" in deleted
    assert [(n["number"], n["text"]) for n in export_contact(session)["notes"]] == [
        (1, "Pitch with a one-line hook"), (2, "Freelance first, staff later")]
    assert "no note 7" in chat(session, ["/infointerview notes 1 delete 7"])


def test_a_note_edited_in_its_form_keeps_several_lines(engine: Engine, tmp_path: Path) -> None:
    session = with_notes(engine, tmp_path)
    out = chat(session, ["/infointerview notes 1 edit 3", "", "Freelance first.", "",
                         "Then a staff job.", "."])
    assert "Freelance first, staff later" in out  # the current text is shown to edit
    assert export_contact(session)["notes"][2]["text"] == "Freelance first.\n\nThen a staff job."


def test_notes_work_on_every_platform(engine: Engine) -> None:
    from tests.helpers import User, messages
    slack = User(engine, "U1", platform="slack", tenant="T1")
    slack.onboard()
    slack.add_contact()
    slack.command("note", "1 Ask about the FDA")
    text = messages(slack.command("notes", "1"))[0].plain_text()
    assert "1. Ask about the FDA" in text
    slack.command("notes", "1 delete 1")
    assert "no notes" in messages(slack.command("notes", "1"))[0].plain_text()


def test_star_n_outside_an_interview_asks_which(engine: Engine, tmp_path: Path) -> None:
    session = with_notes(engine, tmp_path)
    session.line("/infointerview start")
    session.submit("contact:new", CONTACT | {"name": "Oskar Lind"})
    session.submit("contact2:2", SOURCE)
    session.line("/infointerview note 2 Runs a newsletter")
    session.line("/infointerview show 1")
    asked = chat(session, ["/infointerview star 2"])
    assert "Starred" not in asked
    assert "Note 2 of Dr. Ilse Brandt" in asked and "Oskar Lind" in asked
    picked = chat(session, ["Note 2 of Dr. Ilse Brandt"])
    assert "Starred" in picked and "Pitch with a hook" in picked
    same = chat(session, ["/infointerview show 1", "/infointerview star 1"])
    assert "Starred" not in same and "Note 1 of Dr. Ilse Brandt" in same
    assert "Latest note of Dr. Ilse Brandt" in same
    explicit = chat(session, ["/infointerview star 2 1"])
    assert "Starred" in explicit and "Runs a newsletter" in explicit


def test_a_typed_backslash_n_is_a_line_break(engine: Engine, tmp_path: Path) -> None:
    session = booked(engine, tmp_path)
    chat(session, ["/infointerview interview 1", r"Two things:\n1) read widely",
                   r"/infointerview note 1 Also:\nwrite daily", "end"])
    assert [n["text"] for n in export_contact(session)["notes"]] == [
        "Two things:\n1) read widely", "Also:\nwrite daily"]


# --- drafts: your edit is never thrown away silently ---------------------------------------------


def test_shorter_or_longer_asks_before_replacing_an_edit(engine: Engine, tmp_path: Path) -> None:
    session = person(engine, tmp_path)
    session.line("/infointerview start")
    session.submit("profile", PROFILE)
    session.submit("contact:new", CONTACT)
    session.submit("contact2:1", SOURCE)
    edited = chat(session, ["/infointerview show 1", "Edit draft", "", r"Hi Ilse,\n",
                            "a short note from me.", "."])
    assert "│ Hi Ilse,\n│\n│ a short note from me." in edited
    assert "Your edited outreach e-mail" in edited and "first draft" not in edited.split(
        "Edit draft")[-1]
    asked = chat(session, ["Shorter"])
    assert "a short note from me." in asked  # still on screen, still the draft
    assert export_contact(session)["outreach_edited"].endswith("a short note from me.")
    replaced = chat(session, ["Longer"])  # asks again, whatever the direction
    assert "Replace my edit" in replaced
    done = chat(session, ["Replace my edit with a longer draft"])
    assert "Dear Dr. Brandt," in done  # title and surname, as drafts greet
    assert "a short note from me." in done  # the edit you replaced, to copy back
    assert export_contact(session)["outreach_edited"] is None


def test_star_contact_latest_names_the_contact(engine: Engine, tmp_path: Path) -> None:
    session = with_notes(engine, tmp_path)
    out = chat(session, ["/infointerview star 1 latest"])
    assert "Starred" in out and "Freelance first, staff later" in out


def test_edit_opens_the_editor_and_a_broken_editor_is_survived(
        engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    session = with_notes(engine, tmp_path)
    monkeypatch.setenv("EDITOR", "sed -i s/Editors/Good-editors/")
    out = chat(session, ["/infointerview notes 1 edit 1", "", "/edit"], interactive=True)
    assert "from your editor" in out
    assert export_contact(session)["notes"][0]["text"] == "Good-editors read fast"
    monkeypatch.setenv("EDITOR", "no-such-editor-here")
    out = chat(session, ["/infointerview notes 1 edit 1", "", "/edit", "Typed instead", "."],
               interactive=True)
    assert "did not work" in out
    assert export_contact(session)["notes"][0]["text"] == "Typed instead"
