"""Text that remembers which parts a person typed.

Bot wording may carry a tiny neutral markup (``*bold*`` and line breaks). Anything a user typed is
kept in separate segments flagged ``user=True`` so every renderer escapes it for its own platform
and it can never become markup, a mention or a template.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Private-use characters bracket interpolated values in rendered templates; they are removed from
# user input first so a user can never forge one.
USER_START = "\ue000"
USER_END = "\ue001"
_MARKERS = re.compile(f"[{USER_START}{USER_END}]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def clean_user_text(text: str) -> str:
    """Normalise text typed by a person: no control characters, no forged markers."""
    if text.isascii() and text.isprintable():
        return text  # already normal (the common case, taken for speed): nothing to remove
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL.sub("", text)
    return _MARKERS.sub("", text)


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    user: bool = False


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of text with one style: what a renderer turns into platform markup."""

    text: str
    user: bool
    bold: bool


@dataclass(frozen=True, slots=True)
class RichText:
    segments: tuple[Segment, ...]

    @classmethod
    def bot(cls, text: str) -> RichText:
        return cls((Segment(text, False),))

    @classmethod
    def parse(cls, rendered: str) -> RichText:
        """Split template output at the user-value markers."""
        segments: list[Segment] = []
        pos = 0
        while True:
            start = rendered.find(USER_START, pos)
            if start < 0:
                break
            end = rendered.find(USER_END, start)
            if end < 0:
                break
            if start > pos:
                segments.append(Segment(rendered[pos:start], False))
            if end > start + 1:
                segments.append(Segment(rendered[start + 1 : end], True))
            pos = end + 1
        if pos < len(rendered):
            segments.append(Segment(_MARKERS.sub("", rendered[pos:]), False))
        return cls(tuple(segments))

    def runs(self) -> list[Run]:
        """Split into styled runs. Only an asterisk in bot wording toggles bold, so a bold span
        may wrap a user value (``*{{ name }}*``) while user text can never switch styles."""
        runs: list[Run] = []
        bold = False
        for segment in self.segments:
            if segment.user:
                runs.append(Run(segment.text, True, bold))
                continue
            for index, piece in enumerate(segment.text.split("*")):
                if index:
                    bold = not bold
                if piece:
                    runs.append(Run(piece, False, bold))
        return runs

    def plain(self) -> str:
        """The text with bot markup removed and user text as typed."""
        return "".join(s.text if s.user else s.text.replace("*", "") for s in self.segments)

    def __len__(self) -> int:
        return sum(len(s.text) for s in self.segments)
