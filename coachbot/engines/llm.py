"""The model engine: an OpenAI-compatible model phrases the answer; the guide stays the judge.

Two modes (settings.model_mode):
- "rephrase" (compose, then rephrase): the built-in engine composes the answer from the guide
  and the model rewrites it in plain words, citing the same passages. Suits small local models.
- "answer": the model answers from the numbered passages retrieval found. Suits capable models.

Either way the person never gets less than the built-in answer:
- the guard checks each sentence against the passage it cites (guard.py, claims.py);
- the checked answer must still cover what the built-in answer says (coverage.py);
- text reaches the screen only once it has passed both, sentence by sentence, so nothing shown
  is ever taken back; until then nothing is shown, and when the model is slow (no checked
  sentence within settings.model_wait_s), unavailable, or its answer fails, the built-in
  answer is streamed instead.
`Answer.engine` says which wrote the answer; GuardStats counts the path and the reasons.
"""
from __future__ import annotations

import logging
import re
import time
from collections.abc import Generator
from contextlib import closing

from .base import Answer, Citation, Delta, Event, Meta, Question, answer_events
from .coverage import missing
from .extractive import ExtractiveEngine
from .guard import STOP_SEQUENCES, Guard, GuardStats, Verdict, cut_leak, log_verdict, quote_for
from .model_client import ModelClient, ModelUnavailable
from .prompting import CHARS_PER_TOKEN, PromptBuilder, pick_sources

log = logging.getLogger(__name__)

UNAVAILABLE_NOTICE = "The language model was unavailable, so this answer quotes the guide directly."
# The end of a finished sentence, with the markers that cite it, where the next one has begun
# (or a line break): text up to here can be judged without waiting for more.
SENTENCE_DONE = re.compile(r"[.!?:](?:\s*\[[^\]\n]*\])*[ \t]+(?=[A-Z\"'(*$€£¥0-9-])|\n")
# A rephrasing needs about as many tokens as its draft: this much more at most, plus a margin.
REPHRASE_TOKEN_FACTOR = 1.6
REPHRASE_TOKEN_MARGIN = 40


class LLMEngine:
    name = "llm"

    def __init__(self, client: ModelClient, prompts: PromptBuilder, fallback: ExtractiveEngine, guard: Guard,
                 history_budget: int, mode: str = "rephrase", wait_s: float = 8.0, max_tokens: int = 400):
        self.client = client
        self.prompts = prompts
        self.fallback = fallback
        self.guard = guard
        self.history_budget = history_budget
        self.mode = mode
        self.wait_s = wait_s
        self.max_tokens = max_tokens
        self.guard_stats = GuardStats()

    def sources(self, question: Question) -> list[Citation]:
        """The numbered passages the model may cite in "answer" mode."""
        return [Citation(n, passage, quote_for(passage)) for n, passage in enumerate(pick_sources(question), 1)]

    def build_messages(self, question: Question, builtin: Answer | None = None) -> tuple[list[Citation], list[dict]]:
        """Exactly what is sent to the model for `question` (benchmarks replay it directly)."""
        if self.mode == "rephrase":
            builtin = builtin or self.fallback.answer(question)
            return builtin.citations, self.prompts.rephrase_messages(question, builtin.text)
        sources = self.sources(question)
        return sources, self.prompts.answer_messages(question, sources, self.history_budget)

    def stream(self, question: Question) -> Generator[Event, None, None]:
        builtin = self.fallback.answer(question)  # milliseconds: the yardstick and the fallback
        if not builtin.citations:  # nothing in the guide to phrase: no model call
            yield from self._builtin(builtin, "builtin_no_sources", meta=True)
            return
        sources, messages = self.build_messages(question, builtin)
        yield Meta(sources)
        run = _Run(self, question, builtin, sources)
        try:
            # closing(): when the person goes away mid-answer, the HTTP call to the model ends too.
            with closing(self.client.stream_chat(messages, self._token_budget(builtin), STOP_SEQUENCES)) as chunks:
                for chunk in chunks:
                    run.finish = chunk.finish_reason or run.finish
                    yield from run.add(chunk.text)
                    if run.done:
                        break
        except ModelUnavailable as fault:
            log.warning("model unavailable (%s); the built-in engine answers", fault.reason)
            self.guard_stats.record("fallbacks", fault.reason)
            if not run.shown:
                builtin.notice = UNAVAILABLE_NOTICE
                yield from self._builtin(builtin, "builtin_unavailable")
                return
            run.finish = "length"  # keep what was checked and shown; the rest never came
        yield from run.close()

    def _token_budget(self, builtin: Answer) -> int:
        if self.mode != "rephrase":
            return self.max_tokens
        draft_tokens = len(builtin.text) / CHARS_PER_TOKEN
        return min(self.max_tokens, int(draft_tokens * REPHRASE_TOKEN_FACTOR) + REPHRASE_TOKEN_MARGIN)

    def _builtin(self, answer: Answer, path: str, meta: bool = False) -> Generator[Event, None, None]:
        """The built-in answer, streamed as the built-in engine streams it (its sources first
        only when none were sent yet)."""
        self.guard_stats.record("path", path)
        events = answer_events(answer)
        if not meta:
            next(events)  # the sources were already sent, with the model's attempt
        yield from events


class _Run:
    """One model answer being read: what came, what was checked, what the person has seen."""

    def __init__(self, engine: LLMEngine, question: Question, builtin: Answer, sources: list[Citation]):
        self.engine = engine
        self.question = question
        self.builtin = builtin
        self.sources = sources
        self.text = ""
        self.judged_upto = 0
        self.shown = ""  # text already streamed: it is never taken back
        self.shown_verdict: Verdict | None = None
        self.committed: set[str] = set()
        self.finish: str | None = None
        self.leaked = False
        self.slow = False
        self.started = time.monotonic()

    @property
    def done(self) -> bool:
        return self.leaked or self.slow

    def add(self, piece: str) -> Generator[Event, None, None]:
        self.text += piece
        cut, leaked = cut_leak(self.text)
        if leaked:  # the model began echoing its prompt: its answer ended before that
            self.text, self.leaked = cut, True
            return
        if not self.shown and self.engine.wait_s and time.monotonic() - self.started > self.engine.wait_s:
            self.slow = True
            return
        ends = [m.end() for m in SENTENCE_DONE.finditer(self.text)]
        if not ends or ends[-1] <= self.judged_upto:
            return
        self.judged_upto = ends[-1]
        verdict = self.engine.guard.check(self.text[:ends[-1]], self.sources, committed=self.committed,
                                          asked_to_cite=self.engine.mode == "answer")
        yield from self._show(verdict)

    def _show(self, verdict: Verdict) -> Generator[Event, None, None]:
        """Stream what `verdict` adds to what was shown, once the answer covers the question."""
        if verdict.replaced or not verdict.text.startswith(self.shown) or len(verdict.text) == len(self.shown):
            return
        if not self.shown and self._misses(verdict.text):
            return  # not yet the answer to what was asked: show nothing rather than less
        added = verdict.text[len(self.shown):]
        self.shown, self.shown_verdict = verdict.text, verdict
        self.committed = set(verdict.kept_sentences)
        yield Delta(added)

    def close(self) -> Generator[Event, None, None]:
        engine, stats = self.engine, self.engine.guard_stats
        if self.slow:
            yield from engine._builtin(self.builtin, "builtin_slow")
            return
        verdict = engine.guard.check(self.text, self.sources, truncated=self.finish == "length" or self.leaked,
                                     committed=self.committed, asked_to_cite=engine.mode == "answer")
        if self.leaked and "leak" not in verdict.reasons:
            verdict.reasons.append("leak")
        _record_verdict(stats, verdict)
        if not self.shown:
            lost = "guard" if verdict.replaced else self._misses(verdict.text)
            if lost:
                stats.record("not_covered", lost)
                yield from engine._builtin(self.builtin, "builtin_guard" if lost == "guard" else "builtin_not_covered")
                return
        elif verdict.replaced or not verdict.text.startswith(self.shown):
            assert self.shown_verdict is not None  # set whenever text was shown
            verdict = self.shown_verdict  # what was shown stands: nothing on screen is taken back
        if len(verdict.text) > len(self.shown):
            yield Delta(verdict.text[len(self.shown):])
        stats.record("path", "model")
        yield Answer(verdict.text, verdict.citations, [], in_scope=True, engine=engine.name)

    def _misses(self, text: str) -> str | None:
        return missing(text, self.builtin.text, self.engine.guard.topic_words, self.question.query)


def _record_verdict(stats: GuardStats, verdict: Verdict) -> None:
    log_verdict(verdict)
    stats.record(verdict.outcome, ",".join(sorted(set(verdict.reasons))))
    for reason in verdict.reasons:
        stats.record("dropped", reason)
