"""The model engine: an OpenAI-compatible model phrases the answer from numbered passages.

The guard checks what it wrote against those passages; when the model is unavailable, or too
little of its answer survives the guard, the built-in engine answers instead.
"""
from __future__ import annotations

import logging
from collections.abc import Generator
from contextlib import closing

from ..text import wants_figure
from .base import Answer, Citation, Delta, Event, Meta, Question
from .extractive import ExtractiveEngine
from .guard import Guard, GuardStats, Verdict, figures, log_verdict, quote_for
from .model_client import ModelClient, ModelUnavailable
from .prompting import PromptBuilder, pick_sources

log = logging.getLogger(__name__)

UNAVAILABLE_NOTICE = "The language model was unavailable, so this answer quotes the guide directly."


class LLMEngine:
    name = "llm"

    def __init__(self, client: ModelClient, prompts: PromptBuilder, fallback: ExtractiveEngine, guard: Guard,
                 history_budget: int):
        self.client = client
        self.prompts = prompts
        self.fallback = fallback
        self.guard = guard
        self.history_budget = history_budget
        self.guard_stats = GuardStats()

    def sources(self, question: Question) -> list[Citation]:
        """The numbered passages the model may cite (the stream's Meta)."""
        return [Citation(n, passage, quote_for(passage)) for n, passage in enumerate(pick_sources(question), 1)]

    def build_messages(self, question: Question) -> tuple[list[Citation], list[dict]]:
        """Exactly what is sent to the model for `question` (benchmarks replay it directly)."""
        sources = self.sources(question)
        return sources, self.prompts.answer_messages(question, sources, self.history_budget)

    def stream(self, question: Question) -> Generator[Event, None, None]:
        sources, messages = self.build_messages(question)
        yield Meta(sources)
        pieces: list[str] = []
        finish = None
        try:
            # closing(): when the person goes away mid-answer, the HTTP call to the model ends too.
            with closing(self.client.stream_chat(messages)) as chunks:
                for chunk in chunks:
                    finish = chunk.finish_reason or finish
                    if chunk.text:
                        pieces.append(chunk.text)
                        yield Delta(chunk.text)
        except ModelUnavailable as fault:
            log.warning("model unavailable (%s); the built-in engine answers", fault.reason)
            self.guard_stats.record("fallbacks", fault.reason)
            answer = self.fallback.answer(question)
            answer.notice = UNAVAILABLE_NOTICE
            yield answer
            return
        yield self._checked(question, "".join(pieces), sources, truncated=finish == "length")

    def _checked(self, question: Question, text: str, sources: list[Citation], truncated: bool) -> Answer:
        verdict = self.guard.check(text, sources, truncated=truncated)
        if not verdict.replaced and _misses_the_figure(question, verdict, sources):
            verdict = Verdict("replaced", "", [], verdict.reasons + ["no_figure"])
        log_verdict(verdict)
        self.guard_stats.record(verdict.outcome, ",".join(sorted(set(verdict.reasons))))
        if verdict.replaced:
            return self.fallback.answer(question)
        return Answer(verdict.text, verdict.citations, [], in_scope=True, engine=self.name)


def _misses_the_figure(question: Question, verdict: Verdict, sources: list[Citation]) -> bool:
    """A "how much / how many" question, sources that state figures, and an answer with none."""
    return (wants_figure(question.query) and not figures(verdict.text)
            and any(figures(c.passage.text) for c in sources))
