"""What every engine takes and gives: a question with its sources in, a cited answer out."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Protocol, Union

from ..knowledge import Hit, Passage


@dataclass(frozen=True)
class Turn:
    role: str  # "user" | "assistant"
    content: str


@dataclass
class Question:
    message: str  # as the person typed it
    query: str  # the message resolved against the conversation ("and in Germany?" -> full question)
    hits: list[Hit]  # retrieved passages, best first
    history: list[Turn] = field(default_factory=list)


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


@dataclass
class Meta:
    """First event of a stream: the sources the answer may cite."""
    citations: list[Citation]


@dataclass
class Delta:
    text: str


Event = Union[Meta, Delta, Answer]


class Engine(Protocol):
    name: str

    def stream(self, question: Question) -> Iterator[Event]:
        """Yield one Meta, any number of Deltas, then exactly one Answer."""


def final_answer(events: Iterator[Event]) -> Answer:
    """Run a stream to its end and keep the answer (the non-streaming path)."""
    answer = None
    for event in events:
        if isinstance(event, Answer):
            answer = event
    if answer is None:
        raise RuntimeError("engine stream ended without an answer")
    return answer


def split_deltas(text: str, size: int = 120) -> list[str]:
    """Cut a finished answer into a few word-aligned pieces, so it streams like a model's."""
    pieces, start = [], 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            space = text.rfind(" ", start, end)
            end = space + 1 if space > start else end
        pieces.append(text[start:end])
        start = end
    return pieces
