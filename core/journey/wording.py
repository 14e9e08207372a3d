"""Small grammar for the slots in our drafts: articles, roles, second person, notes, dates, cuts.

Each function takes what a student typed and returns a phrase that reads as English mid-sentence,
keeping the student's own words. Articles come from inflect; the rest are narrow rules that only
touch what they are sure of and otherwise leave the words as typed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, tzinfo

import inflect

_inflect = inflect.engine()

DETERMINERS = frozenset({"a", "an", "the", "my", "our", "your", "this", "that", "their", "his",
                         "her", "its", "one", "some"})
# Proper names English says with "the": "the University of Minnesota", "the World Bank".
_THE_PATTERN = re.compile(
    r"^(?:[A-Z][\w'’-]*\s+){1,3}of\s|^(?:World|United|European|National|International|Royal)\s")
_PLATFORMS = frozenset({"linkedin", "twitter", "x", "bluesky", "mastodon", "github",
                        "researchgate", "google scholar", "instagram", "facebook"})


def with_article(phrase: str) -> str:
    """"a senior data scientist", "an MBA student"; a phrase that has a determiner keeps it."""
    first = phrase.split(" ", 1)[0].casefold()
    return phrase if first in DETERMINERS else str(_inflect.a(phrase))


def _plain_word(word: str) -> bool:
    """A capitalised common word ("Senior"), not an acronym ("VP") or a mixed name ("iOS")."""
    return len(word) > 1 and word[0].isupper() and word[1:] == word[1:].lower() \
        and word.isalpha()


def role_phrase(role: str) -> str:
    """A role as typed, lower-cased where it is a capitalised common noun, with its article.
    Words after "of"/"at"/"for" are often names ("Head of Clinical AI") and stay as typed."""
    words = " ".join(role.split()).split(" ")
    if not words[0]:
        return ""
    out: list[str] = []
    for index, word in enumerate(words):
        if word.casefold() in {"of", "at", "for", "in"}:
            out.extend(words[index:])
            break
        out.append(word.lower() if _plain_word(word) else word)
    phrase = " ".join(out)
    if out[0] in {"head", "chair", "director", "dean"} and len(out) > 1 and out[1] == "of":
        return phrase  # "head of Clinical AI": one of a kind, no article
    return with_article(phrase)


def proper_name(name: str) -> str:
    """An organisation or institution with "the" where English puts one."""
    name = " ".join(name.split())
    if not name:
        return ""
    if name.split(" ", 1)[0] in {"The", "the"}:
        return "the" + name[3:]
    if _THE_PATTERN.match(name):
        return f"the {name}"
    return name


_PLACE_NOUNS = ("database", "directory", "network", "list", "conference", "meeting", "summit",
                "symposium", "congress", "workshop", "event", "meetup", "newsletter", "webinar",
                "panel", "group", "forum", "platform", "portal", "programme", "program", "fair")


def found_phrase(where: str) -> str:
    """Where a contact was found, ready to follow "through" or "at"."""
    where = " ".join(where.split()).rstrip(".")
    if not where:
        return ""
    first = where.split(" ", 1)[0].casefold()
    if first in DETERMINERS or where.casefold() in _PLATFORMS:
        return where[0].lower() + where[1:] if first in DETERMINERS else where
    if _THE_PATTERN.match(where):
        return f"the {where}"
    if where.casefold().endswith(_PLACE_NOUNS) and where[0].isupper():
        return f"the {where}"
    return where


# --- "why them": the student's reason, turned to speak to the person ------------------------

_SUBJECTS = re.compile(r"^(?:because|since|as)?\s*(?:he|she|they|you)\s+", re.IGNORECASE)
_POSSESSIVES = {"his": "your", "her": "your", "their": "your", "hers": "yours",
                "theirs": "yours", "him": "you", "them": "you", "himself": "yourself",
                "herself": "yourself", "themselves": "yourself"}
_CONTRACTIONS = {"he's": "you've", "she's": "you've", "they've": "you've", "he'd": "you'd",
                 "she'd": "you'd", "they'd": "you'd", "they're": "you're"}


@dataclass(frozen=True, slots=True)
class Reason:
    text: str
    verb_phrase: bool  # fits "I noticed that you …"; otherwise a noun phrase ("your work on …")


def _second_person_words(text: str) -> str:
    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        return _POSSESSIVES.get(word.casefold(), word)
    return re.sub(r"\b(?:his|her|their|hers|theirs|him|them|himself|herself|themselves)\b",
                  swap, text, flags=re.IGNORECASE)


def reason_clause(reason: str, contact_name: str) -> Reason:
    """"he did a chemistry PhD" → "did a chemistry PhD"; "her work on X" → "your work on X"."""
    text = " ".join(reason.split()).rstrip(".!;, ")
    if not text:
        return Reason("", False)
    text = re.sub(r"^(?:because|since)\s+", "", text, flags=re.IGNORECASE)
    first = text.split(" ", 1)[0]
    if first.casefold() in _CONTRACTIONS:  # "he's led" → "you've led" is its own subject
        return Reason(_second_person_words(text), False)
    names = {w.casefold() for w in contact_name.replace(",", " ").split() if len(w) > 2}
    subject = _SUBJECTS.match(text)
    if subject or first.casefold() in names:
        rest = text[subject.end():] if subject else text.split(" ", 1)[-1]
        verb, _, tail = rest.partition(" ")
        verb = str(_inflect.plural_verb(verb)) if verb.casefold() == verb else verb
        text = f"{verb} {tail}".strip()
        return Reason(_second_person_words(text), True)
    text = _second_person_words(text)
    lead = text.split(" ", 1)[0].casefold()
    if lead in DETERMINERS:
        return Reason(text[0].lower() + text[1:], False)
    return Reason(text[0].lower() + text[1:] if _plain_word(text.split(" ", 1)[0]) else text,
                  True)


# --- a note, quoted back to the person who said it --------------------------------------------

_LABEL = re.compile(r"^\s*(?:[\w ]{0,25}?(?:advice|tip|takeaway|point|lesson|idea|note)s?"
                    r"|key|main|important)\s*[:\-–—]\s*", re.IGNORECASE)
ADVICE_VERBS = frozenset("""
build join talk learn apply start read take focus ask get go keep try reach find look make use
write contact attend consider do be volunteer publish practise practice think spend stay network
follow sign register wait listen set connect speak present share create develop prepare update
tailor
""".split())  # noqa: SIM905 (a word list reads best as text)


def clean_note(text: str) -> str:
    """A note without emoji, ellipses, shorthand labels or trailing punctuation."""
    kept = "".join(ch for ch in text if unicodedata.category(ch) not in {"So", "Sk", "Cs"}
                   and ch not in "\u200d\ufe0f")
    kept = _LABEL.sub("", kept.replace("…", " ").replace("...", " "))
    kept = " ".join(kept.split())
    return kept.rstrip(".!?;:,-–— ")


def note_to_them(text: str) -> str:
    """A suggested phrase to finish "I especially valued …", or "" when unsure (then the
    person is asked to phrase it). Only advice in the imperative is turned confidently."""
    note = clean_note(text)
    first_sentence = re.split(r"(?<=[.!?])\s", note, maxsplit=1)[0].rstrip(".!? ")
    words = first_sentence.split(" ")
    negation = ""
    if words[0].casefold() in {"don't", "don’t", "never"} and len(words) > 1:
        negation = "never " if words[0].casefold() == "never" else "not "
        words = words[1:]
    if words[0].casefold() not in ADVICE_VERBS:
        return ""
    return f"your advice {negation}to {words[0].lower()} {' '.join(words[1:])}".rstrip()


# --- when, relative to now ----------------------------------------------------------------------


def spoken_when(then: datetime, now: datetime, zone: tzinfo) -> str:
    """"on Friday", "last week", "two weeks ago", "in March": a phrase that stays true."""
    local_then, local_now = then.astimezone(zone), now.astimezone(zone)
    days = (local_now.date() - local_then.date()).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 7:
        return f"on {local_then.strftime('%A')}"
    if days < 14:
        return "last week"
    if days < 28:
        return f"{_inflect.number_to_words(str(days // 7))} weeks ago"
    month = local_then.strftime("%B")
    return f"in {month}" if days < 300 else f"in {month} {local_then.year}"


# --- length -----------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
_CLAUSE_END = re.compile(r"[,;:—–](?=\s)|\s[—–](?=\s)")


def fit_at_boundary(text: str, limit: int) -> str:
    """The longest start of ``text`` within ``limit`` that ends at a sentence end, or failing
    that a clause boundary (without the dangling comma); never mid-word or mid-clause."""
    if len(text) <= limit:
        return text
    ends = [m.end() for m in _SENTENCE_END.finditer(text) if m.end() <= limit]
    if ends:
        return text[:ends[-1]]
    clauses = [m.start() for m in _CLAUSE_END.finditer(text) if m.start() <= limit]
    if clauses:
        return text[:clauses[-1]].rstrip(" ,;:—–")
    return ""


def join_names(names: list[str]) -> str:
    return str(_inflect.join(names)) if names else ""
