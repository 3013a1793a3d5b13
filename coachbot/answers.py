"""The shapes the layers hand each other: a past turn of a conversation, and a cited answer.

Engines make answers; the coach, the coaching flows, history and operations read them. Living here,
below all of them, none of those has to import an engine to speak of an answer."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .knowledge import Passage


@dataclass(frozen=True)
class PastTurn:
    role: str
    content: str
    query: str = ""  # for a user turn: the question it was resolved to


@dataclass
class Citation:
    n: int
    passage: Passage
    quote: str

    def to_dict(self) -> dict:
        p = self.passage
        return {"n": self.n, "id": p.id, "title": p.title, "url": p.url, "quote": self.quote}


@dataclass
class Answer:
    text: str
    citations: list[Citation]
    suggestions: list[str]
    in_scope: bool
    engine: str
    notice: str | None = None

    def to_dict(self) -> dict:
        body = {
            "answer": self.text,
            "citations": [c.to_dict() for c in self.citations],
            "suggestions": self.suggestions,
            "in_scope": self.in_scope,
            "engine": self.engine,
        }
        if self.notice:
            body["notice"] = self.notice
        return body
