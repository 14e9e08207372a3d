"""The categorised question bank (a TOML data file a career office can replace) and agendas.

An agenda is a list of item strings: ``q:<bank id>`` for a bank question, ``c:<text>`` for one the
person wrote. Keeping bank ids (not copies) lets an office improve wording later.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

WHO_ELSE_ID = "closing-who-else"
CLOSING = "closing"


@dataclass(frozen=True, slots=True)
class Category:
    id: str
    title: str


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    category: str
    sectors: frozenset[str]
    text: str
    roles: tuple[str, ...] = ()  # words in a contact's role this question is for ("manager")

    def fits(self, sector: str, role: str = "") -> bool:
        return ("any" in self.sectors or sector in self.sectors) and self.fits_role(role)

    def fits_role(self, role: str) -> bool:
        """No roles named: any role. Otherwise one of the words (or its plural) is in the role."""
        if not self.roles:
            return True
        words = set(re.findall(r"[\w-]+", role.casefold()))
        return any(r in words or f"{r}s" in words for r in self.roles)


class QuestionBankError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class QuestionBank:
    categories: tuple[Category, ...]
    questions: tuple[Question, ...]

    @classmethod
    def load(cls, override_dir: Path | None = None) -> QuestionBank:
        if override_dir is not None and (override_dir / "questions.toml").is_file():
            raw = (override_dir / "questions.toml").read_bytes()
        else:
            raw = resources.files("infointerview.core").joinpath("data/questions.toml").read_bytes()
        return cls.parse(raw.decode("utf-8"))

    @classmethod
    def parse(cls, text: str) -> QuestionBank:
        try:
            data = tomllib.loads(text)
            categories = tuple(Category(str(c["id"]), str(c["title"])) for c in data["category"])
            known = {c.id for c in categories}
            questions = tuple(
                Question(str(q["id"]), str(q["category"]), frozenset(q.get("sectors", ["any"])),
                         str(q["text"]), tuple(str(r).casefold() for r in q.get("roles", [])))
                for q in data["question"]
            )
        except (tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
            raise QuestionBankError(f"the question bank cannot be read: {exc}") from exc
        ids = [q.id for q in questions]
        if len(ids) != len(set(ids)):
            raise QuestionBankError("the question bank has duplicate question ids")
        stray = [q.id for q in questions if q.category not in known]
        if stray:
            raise QuestionBankError(f"questions with an unknown category: {', '.join(stray)}")
        return cls(categories, questions)

    def by_id(self, question_id: str) -> Question | None:
        for q in self.questions:
            if q.id == question_id:
                return q
        return None

    def numbered(self, sector: str, role: str = "") -> list[tuple[int, Question]]:
        """Bank questions that fit the sector and role, numbered 1.. in category order (for
        `add N`)."""
        order = {c.id: i for i, c in enumerate(self.categories)}
        fitting = [q for q in self.questions if q.fits(sector, role)]
        fitting.sort(key=lambda q: order[q.category])
        return list(enumerate(fitting, start=1))

    def suggested_agenda(self, sector: str, role: str = "", sector_specific: int = 2,
                         role_specific: int = 1) -> list[str]:
        """A starting agenda: one general question per category, a couple written for the
        sector, one for the role (a manager: leading a team), and the who-else question last."""
        agenda: list[str] = []
        fitting = [q for q in self.questions if q.fits(sector, role)]
        specific = [q for q in fitting if "any" not in q.sectors and not q.roles]
        specific.sort(key=lambda q: len(q.sectors))  # those written for this sector alone first
        for_role = [q for q in fitting if q.roles][:role_specific]
        chosen = specific[:sector_specific] + for_role
        for category in self.categories:
            general = [q for q in fitting if q.category == category.id
                       and "any" in q.sectors and not q.roles and q.id != WHO_ELSE_ID]
            agenda.extend(f"q:{q.id}" for q in general[:1])
            agenda.extend(f"q:{q.id}" for q in chosen if q.category == category.id)
        if self.by_id(WHO_ELSE_ID) is not None:
            agenda.append(f"q:{WHO_ELSE_ID}")
        return agenda

    def is_closing(self, item: str) -> bool:
        """A bank question from the closing category (asked last, who-else at the very end)."""
        kind, _, rest = item.partition(":")
        question = self.by_id(rest) if kind == "q" else None
        return question is not None and question.category == CLOSING

    def item_text(self, item: str) -> str:
        kind, _, rest = item.partition(":")
        if kind == "q":
            question = self.by_id(rest)
            return question.text if question else "(a question no longer in the bank)"
        return rest
