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
from typing import Literal

import inflect

_inflect = inflect.engine()

DETERMINERS = frozenset({"a", "an", "the", "my", "our", "your", "this", "that", "their", "his",
                         "her", "its", "one", "some"})
# Proper names English says with "the": "the University of Minnesota", "the World Bank".
_THE_PATTERN = re.compile(
    r"^(?:[A-Z][\w'’-]* ){0,2}(?:Institute|Museum|Academy|Society|Ministry|Department|Office|Bank|"
    r"Council|Board|Centre|Center|Foundation|Agency|Library|Hospital|Bureau|Commission|"
    r"Association|Federation|Union|Laborator(?:y|ies)) of\s"
    r"|^(?:University|College|School) of\s"
    r"|^(?:[A-Z][\w'’-]* ){1,3}(?:Trust|Foundation|Institute)$"
    r"|^(?:World|United|European|International|National|Royal|American|British) [A-Z]")
PLATFORMS = frozenset({"linkedin", "twitter", "x", "bluesky", "mastodon", "github",
                        "researchgate", "google scholar", "instagram", "facebook"})


def with_article(phrase: str) -> str:
    """"a senior data scientist", "an MBA student"; a phrase that has a determiner keeps it."""
    first = phrase.split(" ", 1)[0].casefold()
    return phrase if first in DETERMINERS else str(_inflect.a(phrase))


# Words of job titles that are common nouns or adjectives: lower-cased mid-sentence when typed
# capitalised ("Senior Data Scientist"). Any other capitalised word may be a name ("Google
# engineer") and stays as typed.
ROLE_WORDS = frozenset("""
senior junior lead principal staff chief head director manager scientist engineer analyst
consultant associate assistant advisor adviser officer researcher professor lecturer curator
editor writer designer developer specialist coordinator president vice partner founder
co-founder owner fellow postdoc postdoctoral student data research product program programme
project policy regulatory affairs clinical medical science scientific software marketing sales
operations strategy business technical executive administrator architect counsel attorney
lawyer teacher nurse physician pharmacist economist statistician epidemiologist biologist
chemist physicist intern trainee entrepreneur recruiter talent communications public health
quality assurance governance compliance finance financial investment portfolio quantitative
trader banker archivist librarian conservator producer journalist reporter translator liaison
strategist planner organiser organizer leader team group technician development learning
education outreach community content user experience deputy general managing visiting
adjunct tenured emeritus distinguished global regional national undergraduate graduate
candidate doctoral master's masters bachelor's
""".split())  # noqa: SIM905 (a word list reads best as text)


def _plain_word(word: str) -> bool:
    """A capitalised common word ("Senior"), not an acronym ("VP") or a mixed name ("iOS")."""
    return len(word) > 1 and word[0].isupper() and word[1:] == word[1:].lower() \
        and word.replace("'", "").replace("’", "").isalpha()


def role_phrase(role: str) -> str:
    """A role as typed, lower-cased where it is a capitalised common noun, with its article.
    Words after "of"/"at"/"for" are often names ("Head of Clinical AI") and stay as typed."""
    words = " ".join(role.split()).split(" ")
    if not words[0]:
        return ""
    out: list[str] = []
    head = next((i for i, w in enumerate(words) if w.casefold() in {"of", "at", "for", "in"}),
                len(words))
    # a capitalised word that is no role word may be a name or may not ("Cell Engineering
    # Manager"): lower-casing the others around it would read half-changed, so none is
    unsure = any(_plain_word(w) and w[:1].isupper() and w.casefold() not in ROLE_WORDS
                 for w in words[:head])
    for word in words[:head]:
        common = not unsure and _plain_word(word) and word.casefold() in ROLE_WORDS
        out.append(word.lower() if common else word)
    out.extend(words[head:])
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
                "panel", "group", "forum", "platform", "portal", "programme", "program", "fair",
                "dialogue", "dialog", "expo", "festival", "lecture", "seminar", "series",
                "colloquium", "week", "days", "retreat", "hackathon")


def found_phrase(where: str) -> str:
    """Where a contact was found, ready to follow "through" or "at"."""
    where = " ".join(where.split()).rstrip(".")
    if not where:
        return ""
    first = where.split(" ", 1)[0].casefold()
    if first in DETERMINERS or where.casefold() in PLATFORMS:
        return where[0].lower() + where[1:] if first in DETERMINERS else where
    if _THE_PATTERN.match(where):
        return f"the {where}"
    if where.casefold().endswith(_PLACE_NOUNS) and where[0].isupper():
        return f"the {where}"
    return where


def referrer_name(typed: str) -> str:
    """Who referred the student, from what they typed ("Dr. Lee suggested I contact you")."""
    text = " ".join(typed.split()).rstrip(".")
    text = re.sub(r"^(?:referred by|introduced by|via|through|from)\s+", "", text,
                  flags=re.IGNORECASE)
    text = re.split(r",?\s+(?:suggested|recommended|referred|told|said|pointed|introduced|"
                    r"mentioned|put me)\b", text, maxsplit=1)[0]
    return text.rstrip(" ,")


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
    # "verb" fits "I noticed that you …", "clause" fits "I noticed that …" and "noun" fits
    # "I'm especially interested in …".
    kind: Literal["verb", "clause", "noun"]
    brief: str  # the start of it up to a clause boundary, for tight LinkedIn notes


_AUXILIARIES = frozenset({"is", "was", "are", "were", "has", "had", "have", "does", "did",
                          "won", "led", "built", "ran", "made", "wrote", "became", "got"})
_BRIEF_CUT = re.compile(r"[,;:—–(]|\s(?:before|after|and|while|then|where|which|who|when|"
                        r"because|since|with|to become)\s")


def _second_person_words(text: str) -> str:
    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        return _POSSESSIVES.get(word.casefold(), word)

    def subject(match: re.Match[str]) -> str:  # "the team she leads" → "the team you lead"
        verb = match.group(2)
        return f"you {_inflect.plural_verb(verb) if verb.islower() else verb}"
    text = re.sub(r"\b(he|she|they)\s+([\w’']+)", subject, text, flags=re.IGNORECASE)
    return re.sub(r"\b(?:his|her|their|hers|theirs|him|them|himself|herself|themselves)\b",
                  swap, text, flags=re.IGNORECASE)


def brief(text: str) -> str:
    """The start of a phrase up to its first clause boundary ("a and b" → "a")."""
    cut = _BRIEF_CUT.search(text, 8)
    return text[:cut.start()].rstrip() if cut else text


def _looks_like_clause(words: list[str]) -> bool:
    """"your team hires …": a determiner, a noun or two, then a verb."""
    for word in words[1:5]:
        lowered = word.casefold()
        if lowered in _AUXILIARIES or lowered.endswith("ed"):
            return True
    return len(words) > 2 and words[2].casefold().endswith("s") and \
        not words[1].casefold().endswith("s")


def _reason(text: str, kind: Literal["verb", "clause", "noun"]) -> Reason:
    return Reason(text, kind, brief(text))


def reason_clause(reason: str, contact_name: str) -> Reason:
    """"he did a chemistry PhD" → "did a chemistry PhD"; "her work on X" → "your work on X"."""
    text = " ".join(reason.split()).rstrip(".!;, ")
    text = re.sub(r"^(?:because|since)\s+", "", text, flags=re.IGNORECASE)
    if not text:
        return Reason("", "noun", "")
    first = text.split(" ", 1)[0]
    if first.casefold() in _CONTRACTIONS:  # "he's led" → "you've led": it has its own subject
        text = _CONTRACTIONS[first.casefold()] + text[len(first):]
        return _reason(_second_person_words(text), "clause")
    names = {w.casefold() for w in contact_name.replace(",", " ").split() if len(w) > 2}
    subject = _SUBJECTS.match(text)
    if subject or (first.casefold() in names and " " in text):
        rest = text[subject.end():] if subject else text.split(" ", 1)[1]
        verb, _, tail = rest.partition(" ")
        verb = str(_inflect.plural_verb(verb)) if verb.islower() else verb
        return _reason(_second_person_words(f"{verb} {tail}".strip()), "verb")
    text = _second_person_words(text)
    words = text.split(" ")
    if words[0].casefold() in DETERMINERS:
        text = text[0].lower() + text[1:]
        return _reason(text, "clause" if _looks_like_clause(words) else "noun")
    lead = words[0].casefold()
    verbish = lead in _AUXILIARIES or lead in ADVICE_VERBS or lead.endswith(("ed", "s"))
    if words[0][0].isupper() and not verbish:  # "Google hired you …": its own subject
        return _reason(text, "clause")
    verb = str(_inflect.plural_verb(lead)) if _plain_word(words[0]) or lead == words[0] \
        else words[0]
    return _reason(" ".join([verb, *words[1:]]), "verb")


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


def to_them_wording(typed: str) -> str:
    """What the student typed to finish "I especially valued …", ready for that slot."""
    text = " ".join(typed.split()).rstrip(".!;, ")
    text = re.sub(r"^I especially valued\s+", "", text, flags=re.IGNORECASE)
    if not text:
        return ""
    if text.split(" ", 1)[0].casefold() == "you":  # "You told me to …" needs a noun frame
        return f"how {text[0].lower()}{text[1:]}"
    return text[0].lower() + text[1:] if text[:4] in {"Your", "The ", "How ", "What"} else text


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
