"""How to greet someone by the name the student typed.

The rule (see docs/drafts.md): a formal greeting is title and surname ("Dr. Rahman") only when
the name has a title and splits cleanly into one given name and one family name; the informal
one is the given name ("Marcus") only when that split is clean. Otherwise both are the full name
as typed, because the full name is never wrong and a wrong first name always is. The split is
"clean" when, apart from a title, suffixes and middle initials, the name is exactly two words and
does not look family-name-first (Vietnamese, Chinese, Korean, Japanese order).
"""

from __future__ import annotations

from dataclasses import dataclass

# Family names common enough that a name starting with one is probably written family-first.
# Only used to avoid a guess; a Western "Kim Jones" then gets "Hi Kim Jones,", which is safe.
FAMILY_FIRST = frozenset("""
nguyễn nguyen trần tran lê le phạm pham hoàng hoang huỳnh huynh phan vũ vu võ vo đặng dang bùi
bui đỗ do hồ ho ngô ngo dương duong lý ly li wang zhang liu chen yang huang zhao wu zhou xu sun
ma zhu hu guo he lin gao luo zheng liang kim park choi jung jeong kang cho yoon jang lim han
shin seo kwon hwang ahn
sato satō suzuki takahashi tanaka watanabe ito itō yamamoto nakamura kobayashi kato katō yoshida
yamada sasaki yamaguchi matsumoto inoue kimura hayashi shimizu saito saitō
""".split())  # noqa: SIM905 (a word list reads best as text)
# Honorifics that others use for a person and nobody signs their own letter with (a
# professional title such as "Dr." or "Prof." is kept: people do sign with it).
SOCIAL_HONORIFICS = frozenset("""
mr mrs ms miss mx sr sra srta herr frau mme mlle sig sig.ra
""".split())  # noqa: SIM905 (a word list reads best as text)
# Vietnamese middle names that mark family-name-first order wherever they appear.
VIETNAMESE_MIDDLE = frozenset({"thị", "thi", "văn", "van"})


@dataclass(frozen=True, slots=True)
class NameForms:
    full: str      # as typed, without a trailing suffix such as "PhD"
    formal: str    # after "Dear"
    informal: str  # after "Hi"


def _is_initial(word: str) -> bool:
    return len(word.rstrip(".")) == 1


def _family_first(words: list[str]) -> bool:
    lowered = [w.casefold() for w in words]
    return lowered[0] in FAMILY_FIRST or any(w in VIETNAMESE_MIDDLE for w in lowered[1:])


def name_forms(name: str) -> NameForms:
    from nameparser import HumanName  # here, not at the top: 0.1 s of every start otherwise

    typed = " ".join(name.split())
    parsed = HumanName(typed)
    title = str(parsed.title).strip()
    given_and_family = [w for w in f"{parsed.first} {parsed.middle} {parsed.last}".split()]
    without_title = " ".join(given_and_family) or typed
    words = [w for w in given_and_family if not _is_initial(w)]
    clean = len(words) == 2 and not _family_first(words)
    if len(words) == 1 and not title:  # a single name ("Madonna") is the whole name
        return NameForms(without_title, without_title, without_title)
    formal = f"{title} {parsed.last}" if title and clean else \
        (f"{title} {without_title}" if title else without_title)
    informal = str(parsed.first) if clean else without_title
    full = f"{title} {without_title}" if title else without_title
    return NameForms(full, formal, informal)


def own_name(name: str) -> str:
    """The student's name as they sign it: as typed, without a social honorific in front."""
    typed = " ".join(name.split())
    first, _, rest = typed.partition(" ")
    if rest and first.casefold().rstrip(".") in SOCIAL_HONORIFICS:
        return rest
    return typed
