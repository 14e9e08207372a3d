"""Check a self-introduction: one to two minutes spoken, in lay language."""

from __future__ import annotations

import re
from dataclasses import dataclass

WORDS_PER_MINUTE = 150
MIN_SECONDS = 60
MAX_SECONDS = 120
LONG_WORD = 13  # letters; long words are often field vocabulary
_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*[A-Za-z]|[A-Za-z]")
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]{1,}[a-z]?\b")
_TECHNICAL_ENDINGS = (
    "omics", "itis", "ylation", "ocyte", "ogenesis", "plasmic", "phoresis", "scopy", "synthesis",
    "ectomy", "kinase", "merase",
)
_PLAIN_LONG = frozenset({
    "opportunities", "understanding", "communication", "international", "organisation",
    "organization", "responsibilities", "relationships", "collaboration", "professional",
    "conversations", "environmental", "entrepreneurship", "administration",
})
_ACRONYM_OK = frozenset({"PHD", "US", "UK", "EU", "MBA", "MSC", "BSC", "MA", "BA", "MS", "BS",
                         "OK"})


@dataclass(frozen=True, slots=True)
class IntroReview:
    words: int
    seconds: int
    too_short: bool
    too_long: bool
    jargon: tuple[str, ...]


def review_intro(text: str, max_flags: int = 8) -> IntroReview:
    words = _WORD.findall(text)
    seconds = round(len(words) * 60 / WORDS_PER_MINUTE)
    flagged: list[str] = []
    seen: set[str] = set()

    def flag(word: str) -> None:
        key = word.lower()
        if key not in seen and len(flagged) < max_flags:
            seen.add(key)
            flagged.append(word)

    for acronym in _ACRONYM.findall(text):
        if acronym.upper() not in _ACRONYM_OK:
            flag(acronym)
    for word in words:
        lower = word.lower().strip("'-")
        if lower in _PLAIN_LONG:
            continue
        technical_ending = len(lower) >= 7 and lower.endswith(_TECHNICAL_ENDINGS)
        if len(lower) >= LONG_WORD or technical_ending:
            flag(word)
    return IntroReview(
        words=len(words),
        seconds=seconds,
        too_short=seconds < MIN_SECONDS,
        too_long=seconds > MAX_SECONDS,
        jargon=tuple(flagged),
    )
