"""One plan step: sentences from pathway.yaml, each carrying the passages that back it."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..engines.base import Citation
from .citations import CitationBook, markers
from .pace import course_at_pace, hours_at_pace
from .pathway import Pathway, sources_of
from .profile import Understanding


@dataclass
class Step:
    key: str
    title: str
    detail: str  # Markdown with [n] markers
    timeframe: str
    cost: str
    citations: list[Citation] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"key": self.key, "title": self.title, "detail": self.detail, "timeframe": self.timeframe,
                "cost": self.cost, "citations": [c.to_dict() for c in self.citations]}


class Draft:
    """What step builders share: the pathway, the person, and the plan's citation numbering."""

    def __init__(self, pathway: Pathway, person: Understanding, shown: set[str], book: CitationBook):
        self.pathway, self.person, self.shown, self.book = pathway, person, shown, book
        self.notes: list[str] = []  # what the plan did with what the person said (pace, place), said once

    def paced(self, duration: str) -> str:
        """A course length from the guide, with what it means at the person's hours a week."""
        stretched = course_at_pace(duration, self.person.hours_per_week,
                                   self.pathway.data["planning"]["study_week_hours"])
        if stretched is None:
            return duration
        self.note(f"Course lengths are stretched to your {self.person.hours_per_week:g} hours a week.")
        return f"{duration} in the guide; {stretched}"

    def paced_hours(self, amount: str) -> str:
        """Hours of hands-on work from the guide, as weeks at the person's hours a week."""
        weeks = hours_at_pace(amount, self.person.hours_per_week)
        return f"{amount} ({weeks})" if weeks else amount

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def step(self, key: str, title: str, sentences: list[tuple[str, dict | list[str]]], timeframe: str,
             cost: str) -> Step:
        """A step from (sentence, item-or-passage-ids) pairs: each sentence is followed by its markers."""
        parts, cited = [], []
        for text, backing in sentences:
            ids = sources_of(backing) if isinstance(backing, dict) else list(backing)
            citations = self.book.cite(ids, text) if ids else []
            cited += [c for c in citations if c not in cited]
            parts.append(f"{text} {markers(citations)}".strip() if citations else text)
        return Step(key, title, " ".join(parts), timeframe, cost, cited)

    def guide_step(self, key: str, extra: list[tuple[str, dict | list[str]]] | None = None,
                   title: str | None = None) -> Step:
        """One of the guide's six steps as pathway.yaml words it, with tailored sentences after it."""
        item = self.pathway.steps[key]
        timeframe = self.paced_hours(item["timeframe"]) if item.get("hours") else item["timeframe"]
        return self.step(key, title or item["title"], [(item["detail"], item), *(extra or [])],
                         timeframe, item["cost"])

    def library_type_note(self) -> list[tuple[str, dict]]:
        kind = self.person.goal.library_type
        if not kind:
            return []
        item = self.pathway.library_types[kind]
        return [(f"For {item['name']}: {item['note']}", item)]

    def strengths(self) -> list[str]:
        """Words for what the person brings, for resume advice."""
        words = [self.pathway.backgrounds[k]["label"] for k in sorted(self.person.kinds)
                 if k in self.pathway.backgrounds]
        if self.person.education and self.person.education.level not in ("none", "high_school"):
            words.append(f"your {self.person.education.label}")
        return words
