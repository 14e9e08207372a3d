"""The categorised question bank (a TOML data file a career office can replace) and agendas.

An agenda is a list of item strings: ``q:<bank id>`` for a bank question, ``c:<text>`` for one the
person wrote. Keeping bank ids (not copies) lets an office improve wording later.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

WHO_ELSE_ID = "closing-who-else"


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

    def fits(self, sector: str) -> bool:
        return "any" in self.sectors or sector in self.sectors


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
            raw = resources.files("core").joinpath("data/questions.toml").read_bytes()
        return cls.parse(raw.decode("utf-8"))

    @classmethod
    def parse(cls, text: str) -> QuestionBank:
        try:
            data = tomllib.loads(text)
            categories = tuple(Category(str(c["id"]), str(c["title"])) for c in data["category"])
            known = {c.id for c in categories}
            questions = tuple(
                Question(str(q["id"]), str(q["category"]), frozenset(q.get("sectors", ["any"])),
                         str(q["text"]))
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

    def numbered(self, sector: str) -> list[tuple[int, Question]]:
        """Bank questions that fit the sector, numbered 1.. in category order (for `add N`)."""
        order = {c.id: i for i, c in enumerate(self.categories)}
        fitting = [q for q in self.questions if q.fits(sector)]
        fitting.sort(key=lambda q: order[q.category])
        return list(enumerate(fitting, start=1))

    def suggested_agenda(self, sector: str, sector_specific: int = 2) -> list[str]:
        """A starting agenda: one general question per category, a couple written for the
        sector, and the who-else question last."""
        agenda: list[str] = []
        specific = [q for q in self.questions if "any" not in q.sectors and sector in q.sectors]
        for category in self.categories:
            general = [q for q in self.questions if q.category == category.id
                       and "any" in q.sectors and q.id != WHO_ELSE_ID]
            agenda.extend(f"q:{q.id}" for q in general[:1])
            agenda.extend(f"q:{q.id}" for q in specific[:sector_specific]
                          if q.category == category.id)
        if self.by_id(WHO_ELSE_ID) is not None:
            agenda.append(f"q:{WHO_ELSE_ID}")
        return agenda

    def item_text(self, item: str) -> str:
        kind, _, rest = item.partition(":")
        if kind == "q":
            question = self.by_id(rest)
            return question.text if question else "(a question no longer in the bank)"
        return rest
