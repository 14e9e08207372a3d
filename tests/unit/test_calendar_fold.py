"""Our folding of .ics content lines is byte for byte icalendar's own."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import example, given
from hypothesis import strategies as st
from icalendar import Calendar, Event
from icalendar.parser import Contentline

from infointerview.core.journey.calendar_file import fold, interview_ics, to_ical

LINES = st.text(alphabet=st.sampled_from("ab ,;:\\^\"é✓"), max_size=400) | st.text(max_size=300)


@given(LINES)
def test_a_line_folds_as_icalendar_folds_it(line: str) -> None:
    line = line.replace("\n", " ").replace("\r", " ")
    assert fold(line) == Contentline(line).to_ical()


@given(st.text(max_size=900), st.text(max_size=120))
@example("\\N", "")  # the case hypothesis once found: icalendar's "\N" line break
def test_a_whole_calendar_is_written_as_icalendar_writes_it(description: str,
                                                           place: str) -> None:
    calendar, event = Calendar(), Event()
    event.add("description", description)
    event.add("location", place)
    event.add("dtstart", datetime(2026, 3, 3, 15, tzinfo=UTC))
    calendar.add_component(event)
    assert to_ical(calendar) == calendar.to_ical()
    ours = interview_ics(uid="u-1@infointerview", title="Informational interview",
                         start=datetime(2026, 3, 3, 15, tzinfo=UTC), minutes=30,
                         description=description.replace("\r", ""), location=place, url="",
                         stamp=datetime(2026, 3, 2, tzinfo=UTC))
    # icalendar itself reads a lone CR back as LF, and takes a typed "\N" for RFC 5545's line
    # break (its escape_char turns "\N" into "\n" first, by design)
    typed = description.replace("\r", "").replace("\\N", "\n")
    assert Calendar.from_ical(ours).walk("VEVENT")[0]["DESCRIPTION"] == typed


def test_a_typed_backslash_n_is_a_line_break_as_icalendar_reads_it() -> None:
    ours = interview_ics(uid="u-1@infointerview", title="Informational interview",
                         start=datetime(2026, 3, 3, 15, tzinfo=UTC), minutes=30,
                         description="agenda\\Nnotes", location="", url="",
                         stamp=datetime(2026, 3, 2, tzinfo=UTC))
    assert Calendar.from_ical(ours).walk("VEVENT")[0]["DESCRIPTION"] == "agenda\nnotes"
