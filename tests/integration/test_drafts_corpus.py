"""Rule checks over every draft and variant for 240 generated students and contacts.

A seeded generator (so a failure reproduces) mixes titles, single, hyphenated and non-Western
names, e-mail and LinkedIn, referrals, alumni databases, conferences, third-person reasons and
shorthand notes with emoji. The drafts come from the real templates through
infointerview.core.journey.drafts.
"""

from __future__ import annotations

import random
import re
import unicodedata

import pytest

from infointerview.core.journey.names import name_forms
from infointerview.core.journey.state import Contact, HowFound, OutreachChannel, Profile
from infointerview.core.model import DraftBlock
from tools.drafts_gallery import Persona, every_draft

COUNT = 240
NAMES = ["Dr. Aisha Rahman", "Marcus Webb", "Nguyễn Thị Lan", "María José García-López",
         "Oluwaseun Adeyemi", "Prof. Li Wei", "Madonna", "Ms. Jo-Anne O'Neil", "John F. Kennedy",
         "Prof. Hans-Peter Müller", "Kim Min-jun", "Dr. Siobhán Ní Bhriain", "Rahul Sharma",
         "Dr. Ana Lúcia da Silva", "Chen Jing", "Fatima Al-Zahra", "Björk", "Dr. Kwame Mensah",
         "Mary Ann Smith", "Professor Ada Okafor"]
STUDENTS = ["Sam Rivera", "Jonas Becker", "Mei Tanaka", "Aroha Ngata", "Priya Natarajan",
            "Trần Văn Minh", "Zoë Dubois"]
PROGRAMMES = ["PhD student in chemistry", "Master's student in biology",
              "Postdoctoral researcher in physics", "Undergraduate in history",
              "PhD candidate in mechanical engineering", "MSc student in public health"]
INSTITUTIONS = ["University of Minnesota", "Lakeside University", "The Francis Crick Institute",
                "MIT", "", "University of Lagos", "Victoria University of Wellington"]
INTERESTS = ["clinical data science and health tech", "science policy",
             "regulatory affairs, medical writing and consulting", "museum and archive careers",
             "renewable energy policy", "quantitative finance"]
ROLES = ["Senior data scientist", "VP of Engineering", "CTO", "Policy advisor", "",
         "Director of Clinical AI", "Associate Director", "Head of Research", "curator",
         "Regulatory affairs manager"]
ORGANISATIONS = ["Northwind Health", "University of Minnesota", "World Bank", "NeuroLoop",
                 "International Energy Agency", "", "Museum of New Zealand", "Harbour Capital"]
REASONS = ["he did a chemistry PhD before moving into clinical data science",
           "she built the clinical AI team", "her work on grid regulation",
           "his team hires physicists straight from the lab", "moved from the lab to policy",
           "they lead the regulatory team at a start-up", "", "she's written about careers "
           "beyond academia", "the podcast episode he recorded on data ethics"]
NOTES = ["Biggest advice: build one end-to-end project … 🚀", "Join the regulatory society",
         "Tip - talk to hiring managers early.", "Regulators read the methods section first",
         "don't wait for the perfect job!!", "Key takeaway: networking > applications 💡"]
SOURCES = [(HowFound.ALUMNI, "University of Minnesota alumni database"),
           (HowFound.ALUMNI, ""), (HowFound.CONFERENCE, "ACS Spring Meeting"),
           (HowFound.SOCIETY, "American Chemical Society"), (HowFound.SOCIAL, "LinkedIn"),
           (HowFound.OTHER, "a talk at the Wellcome Trust"), (HowFound.REFERRAL, "Dr. Anna Kim")]
SHORTHAND = re.compile(r"(?:Biggest advice|Tip|Key takeaway)\s*[:\-]")
LINKEDIN_LIMIT = 200


def persona(seed: int) -> Persona:
    rng = random.Random(seed)
    how, detail = rng.choice(SOURCES)
    contact = Contact(
        0, rng.choice(NAMES), role=rng.choice(ROLES), organisation=rng.choice(ORGANISATIONS),
        channel=rng.choice([OutreachChannel.EMAIL, OutreachChannel.LINKEDIN]),
        how_found=how, found_detail=detail, reason=rng.choice(REASONS))
    return Persona(
        f"generated {seed}",
        Profile(rng.choice(STUDENTS), rng.choice(PROGRAMMES), rng.choice(INSTITUTIONS),
                rng.choice(INTERESTS)),
        rng.choice(["America/New_York", "Europe/Berlin", "Asia/Tokyo"]), contact,
        referrer=rng.choice(["", "", "Prof. Li Wei", "Marcus Webb"]),
        referrals=tuple(rng.sample(NAMES, rng.choice([0, 0, 1, 2, 3]))),
        notes=tuple(rng.sample(NOTES, rng.choice([0, 1, 2]))),
        interviewed_days_ago=rng.choice([0.5, 1, 3, 9]),
        applied_to=rng.choice(["", "Acme Analytics"]),
    )


CORPUS = [(seed, persona(seed)) for seed in range(COUNT)]
DRAFTS = [(seed, p, label, draft) for seed, p in CORPUS for label, draft in every_draft(p)]


def test_the_corpus_is_big_enough() -> None:
    assert len(CORPUS) >= 200 and len(DRAFTS) >= 200 * 10


def _problems(p: Persona, label: str, draft: DraftBlock) -> list[str]:
    text, body = draft.body, draft.body
    linkedin = p.contact.channel is OutreachChannel.LINKEDIN or label.startswith("LinkedIn")
    names = name_forms(p.contact.name)
    found: list[str] = []
    if linkedin:
        if not text.startswith(f"Hi {names.informal},"):
            found.append("LinkedIn greeting")
        if len(text) > LINKEDIN_LIMIT:
            found.append(f"LinkedIn text of {len(text)} characters")
        if draft.subject is not None or "Dear " in text or "Best wishes" in text:
            found.append("a letter on LinkedIn")
        signature = name_forms(p.student.name).informal
        if not (text.endswith((".", "?", "!")) or text.endswith(signature)):
            found.append("cut mid-sentence")
    elif not text.startswith(f"Dear {names.formal},\n"):
        found.append("e-mail greeting")
    if re.search(r"\byou (?:he|she|they|his|her|their)\b", text, re.IGNORECASE):
        found.append("you he/she")
    if re.search(r"\b(?:he|she) (?:is|was|has|did|built|leads)\b", text):
        found.append("third person left in")
    for match in re.finditer(r"(\S+) University of", text):
        if match.group(1) not in {"the", "Victoria"}:
            found.append(f"no 'the' before University of: {match.group(0)!r}")
    if text.startswith("University of") or re.search(r"^\s*University of", text, re.M):
        found.append("University of without 'the'")
    if SHORTHAND.search(text) or any(unicodedata.category(ch) == "So" for ch in text):
        found.append("shorthand or emoji pasted")
    if " ," in text or ",." in text or ".." in text or re.search(r"\s[.,;]|  ", text):
        found.append("dangling punctuation")
    if label.startswith("Outreach"):
        found += _outreach_problems(p, text, linkedin)
    if label.startswith("Thank-you"):
        for name in p.referrals:
            if name_forms(name).full not in text:
                found.append(f"referral {name} not thanked")
        if "late" in label and "yesterday" in text:
            found.append("late thank-you says yesterday")
    if label.startswith("Second thank-you"):
        for sentence in re.split(r"(?<=[.!?])\s", body):
            organisation = p.contact.organisation
            if organisation and sentence.count(organisation) > 1:
                found.append("organisation twice in a sentence")
        if not re.search(r"\b(?:in [A-Z][a-z]+|weeks? ago|last week|on [A-Z][a-z]+day)\b",
                         text):
            found.append("no 'when we spoke'")
    return found


def _outreach_problems(p: Persona, text: str, linkedin: bool) -> list[str]:
    found: list[str] = []
    if not linkedin and len(text.split()) >= 150:
        found.append("outreach of 150 words or more")
    if "20" not in text or ("minutes?" not in text and "minutes for" not in text):
        found.append("no bounded request")
    if "exploring" not in text:
        found.append("no 'what you explore'")
    contact = p.contact
    if p.referrer:
        if name_forms(p.referrer).full not in text:
            found.append("referrer missing")
    elif contact.how_found is HowFound.REFERRAL:
        if contact.found_detail not in text:
            found.append("referrer missing")
    elif contact.found_detail and contact.found_detail.split()[-1] not in text \
            and "profile here" not in text:
        found.append("where found missing")
    why = ("noticed", "interested in", "curious about", "your view", "Your work", "Your path")
    if not any(w in text for w in why):
        found.append("no 'why them'")
    return found


@pytest.mark.parametrize("chunk", range(4))
def test_every_draft_follows_the_rules(chunk: int) -> None:
    problems = []
    for seed, p, label, draft in DRAFTS[chunk::4]:
        problems += [f"#{seed} {label}: {problem}\n{draft.body}\n"
                     for problem in _problems(p, label, draft)]
    kinds = sorted({line.split(": ", 1)[1] for line in (p.split("\n")[0] for p in problems)})
    assert not problems, f"{len(problems)} problems {kinds}:\n" + "\n".join(problems[:6])
