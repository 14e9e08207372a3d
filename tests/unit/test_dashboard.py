"""``/infointerview dashboard``: a one-time link to the web pages, only ever in private."""

from __future__ import annotations

from datetime import UTC, datetime

from infointerview.core import Place, Reply, SendDM, TextBlock
from infointerview.core.journey.catalog.commands import COMMANDS
from tests.unit.pure_journey import PureJourney

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
LINK = "https://careers.example.edu/web/signin?token=abc.def.ghi"


class Links:
    """The engine's port: a new link on each call, counted."""

    def __init__(self) -> None:
        self.made: list[str] = []

    def __call__(self) -> str:
        self.made.append(f"{LINK}{len(self.made)}")
        return self.made[-1]


def plain(effect: Reply | SendDM) -> str:
    return effect.message.plain_text()


def test_in_the_dm_the_link_is_the_answer() -> None:
    links = Links()
    sam = PureJourney(NOW, web_link=links)
    sam.onboard()
    effects = sam.command("dashboard")
    assert len(links.made) == 1
    [reply] = effects
    assert isinstance(reply, Reply) and reply.ephemeral and not reply.points_to_dm
    text = plain(reply)
    assert links.made[0] in text
    assert "works once, within 10 minutes" in text
    assert "/infointerview dashboard" in text and "8 hours" in text


def test_the_link_is_a_value_never_markup() -> None:
    """The URL reaches renderers as a marked value, escaped like anything not ours."""
    links = Links()
    [reply] = PureJourney(NOW, web_link=links).command("dashboard")
    assert isinstance(reply, Reply)
    user_parts = [s.text for block in reply.message.blocks if isinstance(block, TextBlock)
                  for s in block.text.segments if s.user]
    assert links.made[0] in user_parts


def test_in_a_channel_the_link_goes_to_the_dm_and_the_channel_hears_only_that() -> None:
    links = Links()
    sam = PureJourney(NOW, web_link=links, place=Place("C123", False))
    effects = sam.command("dashboard")
    assert len(links.made) == 1
    dms = [e for e in effects if isinstance(e, SendDM)]
    replies = [e for e in effects if isinstance(e, Reply)]
    assert [d.user_id for d in dms] == ["sam"]
    assert links.made[0] in plain(dms[0])
    [pointer] = replies
    assert pointer.ephemeral and pointer.points_to_dm  # said to them alone, in the channel
    assert "direct message" in plain(pointer)
    assert "signin" not in plain(pointer) and "token" not in plain(pointer)
    assert not any(links.made[0] in plain(r) for r in replies)


def test_each_request_makes_a_new_link() -> None:
    links = Links()
    sam = PureJourney(NOW, web_link=links)
    first, second = sam.command("dashboard"), sam.command("dashboard")
    assert len(links.made) == 2
    assert links.made[0] in plain(first[0]) and links.made[1] in plain(second[0])


def test_without_web_pages_the_answer_says_so_kindly() -> None:
    for place in (Place("dm", True), Place("C123", False)):
        [reply] = PureJourney(NOW, place=place).command("dashboard")
        assert isinstance(reply, Reply) and reply.ephemeral
        text = plain(reply)
        assert "web pages" in text and "aren't set up" in text
        assert "http" not in text


def test_during_an_interview_it_is_still_the_command() -> None:
    links = Links()
    sam = PureJourney(NOW, web_link=links)
    sam.onboard()
    number = sam.add_contact()
    sam.click("mark_sent", number)
    sam.click("replied", number)
    sam.submit(f"meeting:{number}", {"date": "2026-03-04", "time": "14:00", "duration": "30",
                                     "mode": "video", "detail": ""})
    sam.command("interview", number)
    assert sam.state.conversation.interview_no == int(number)
    effects = sam.command("dashboard")
    assert links.made and links.made[0] in plain(effects[0])
    assert not sam.state.contacts[int(number)].notes  # not taken as a note


def test_the_catalogue_lists_it() -> None:
    spec = COMMANDS["dashboard"]
    assert not spec.cohort and spec.in_help
    assert "browser" in spec.summary or "web" in spec.summary
