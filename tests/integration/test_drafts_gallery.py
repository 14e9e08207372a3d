"""docs/drafts.md shows every draft for six personas; it must match what the code writes today."""

from __future__ import annotations

from tools.drafts_gallery import PAGE, PERSONAS, render


def test_the_committed_gallery_is_up_to_date() -> None:
    assert PAGE.read_text(encoding="utf-8") == render(), \
        "docs/drafts.md is out of date: run `python -m tools.drafts_gallery` and commit it"


def test_the_gallery_covers_varied_personas() -> None:
    assert len(PERSONAS) >= 6
    channels = {p.contact.channel for p in PERSONAS}
    sources = {p.contact.how_found for p in PERSONAS} | {"referral" for p in PERSONAS
                                                         if p.referrer}
    assert len(channels) >= 2 and {"alumni", "conference", "referral"} <= set(sources)
    page = render()
    for name in ("Dear Dr. Rahman,", "Hi Nguyễn Thị Lan,", "Dear Madonna,", "Dear Marcus Webb,",
                 "Hi María José García-López,"):
        assert name in page
