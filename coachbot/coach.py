"""The question pipeline: follow-up -> retrieval -> scope -> engine (with fallback) -> suggestions."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Protocol


from .engines.base import Answer, Delta, Engine, Event, Meta, Question, Turn, split_deltas
from .engines.extractive import ExtractiveEngine
from .followup import resolve
from .knowledge import Hit, SearchIndex
from .yamlfile import read_yaml

log = logging.getLogger(__name__)

RETRIEVE_K = 5
# With no topic word at all, a question is in scope only if most of its words are the guide's.
MIN_COVERAGE = 0.5
MIN_SCORE = 1.0


@dataclass(frozen=True)
class PastTurn:
    role: str
    content: str
    query: str = ""  # for a user turn: the question it was resolved to


@dataclass
class ChatContext:
    """What the API knows about the person and the conversation, for flows that need it."""
    state: dict = field(default_factory=dict)  # the conversation's stored state
    profile: dict = field(default_factory=dict)  # the user's stored profile


@dataclass
class Reply:
    query: str  # the resolved question, stored with the user's message
    events: Iterator[Event]
    state: dict | None = None  # new conversation state to store, if it changed
    profile: dict | None = None  # new profile to store, if it changed
    plan: dict | None = None  # a plan to store with the answer: {"id", "profile", "body"}


class Flow(Protocol):
    """A guided conversation (such as building a plan) that may take a message before Q&A does."""

    def respond(self, message: str, history: list[PastTurn], context: ChatContext) -> Reply | None: ...


class Coach:
    def __init__(self, index: SearchIndex, engine: Engine, extractive: ExtractiveEngine, replies_file: Path):
        self.index = index
        self.vocabulary = index.vocabulary
        self.extractive = extractive
        self.engine = engine
        self.replies = read_yaml(replies_file)
        self.flows: list[Flow] = []

    def respond(self, message: str, history: list[PastTurn], context: ChatContext | None = None) -> Reply:
        context = context or ChatContext()
        for flow in self.flows:
            reply = flow.respond(message, history, context)
            if reply is not None:
                return reply
        smalltalk = self.vocabulary.smalltalk_kind(message)
        if smalltalk:
            return Reply(message, self._canned(self.replies[smalltalk]))
        previous = next((t.query or t.content for t in reversed(history) if t.role == "user"), None)
        query = resolve(message, previous, self.index)
        hits = self.index.search(query, k=RETRIEVE_K)
        if not self.in_scope(message, query, hits):
            return Reply(query, self._canned(self.replies["out_of_scope"]))
        question = Question(message, query, hits, [Turn(t.role, t.content) for t in history])
        return Reply(query, self._answer(question))

    def answer(self, message: str, history: list[PastTurn] | None = None) -> Answer:
        reply = self.respond(message, history or [])
        return next(e for e in reply.events if isinstance(e, Answer))

    def in_scope(self, message: str, query: str, hits: list[Hit]) -> bool:
        if not hits:
            return False
        vocabulary = self.vocabulary
        names_career = vocabulary.has_topic_term(message) or bool(vocabulary.entities(message))
        if vocabulary.has_off_topic_term(message) and not _names_library(message):
            return False
        if names_career or vocabulary.has_topic_term(query):
            return True
        asked = self.index.tokenize(message)
        known = self.index.query_terms(message)
        coverage = len(set(known)) / max(1, len(set(asked)))
        return coverage >= MIN_COVERAGE and hits[0].score >= MIN_SCORE

    def _answer(self, question: Question) -> Iterator[Event]:
        suggestions = self.suggestions(question)
        events = self.engine.stream(question)
        try:
            for event in events:
                if isinstance(event, Answer):
                    event.suggestions = event.suggestions or suggestions
                yield event
        finally:
            events.close()  # a client that left stops the engine (and its model call) now

    def suggestions(self, question: Question, count: int = 3) -> list[str]:
        """What to ask next: the knowledge's own questions from the pages the answer drew on,
        then from the other pages retrieval found, leaving out what was just asked."""
        asked = set(self.index.tokenize(question.query))
        documents = self.index.knowledge.documents
        doc_ids = list(dict.fromkeys(hit.passage.doc_id for hit in question.hits))
        picked: list[str] = []
        for round_ in range(2):  # one question per page first, for variety
            for doc_id in doc_ids:
                fresh = [q for q in documents[doc_id].suggestions
                         if q not in picked and not _same_question(self.index.tokenize(q), asked)]
                picked += fresh[:1] if round_ == 0 else fresh
        starters = [q for q in self.replies["starters"] if q not in picked]
        return (picked + starters)[:count]

    def _canned(self, text: str) -> Iterator[Event]:
        # No passage backs a fixed reply, so by the contract it is not "in scope" (no citations).
        answer = Answer(text.strip(), [], list(self.replies["starters"][:3]), in_scope=False,
                        engine=self.extractive.name)
        yield Meta([])
        for piece in split_deltas(answer.text):
            yield Delta(piece)
        yield answer


def _same_question(terms: list[str], asked: set[str]) -> bool:
    terms_set = set(terms)
    return bool(terms_set) and len(terms_set & asked) / len(terms_set) >= 0.6


def _names_library(message: str) -> bool:
    text = message.lower()
    return "librar" in text or " lta" in f" {text}"
