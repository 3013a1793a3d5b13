"""The guard: a model may phrase the guide, never add to it.

Before a model's answer is shown or stored, every figure and proper name in each of its
sentences must appear in the passages that sentence cites, its claims must be found there too
(claims.py: content terms, relations such as "most" or "only", comparisons, negations), and
every [n] must point at a passage the model was given. Sentences that fail are dropped and the
citations renumbered to those still used; when too little survives, the caller answers with
the built-in engine. Text that echoes the prompt ("Question:", "<|im_end|>") ends the answer.
"""
from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from ..knowledge import Passage
from ..text import NUMBER, split_sentences, trim_quote
from ..text import NUMBER_WORDS as WRITTEN_NUMBERS
from .base import Citation
from .claims import STOPWORDS, SourceTerms, unsupported_claim, words

log = logging.getLogger(__name__)

# Citation markers as models write them: [1], [1, 2], [Source 1]; normalised to [1] [2].
MARKER_LIKE = re.compile(r"\[\s*(?:sources?\s*)?(\d+(?:\s*(?:,|and)\s*\d+)*)\s*\]", re.I)
MARKER = re.compile(r"\[(\d+)\]")
LEADING_MARKERS = re.compile(r"^(?:\[\d+\]\s*)+")
BULLET = re.compile(r"^(\s*)(?:[-*+•]|\d+[.)])\s+")
# A sentence that stops on a word that must be followed by more ("The schedule is [1].") says nothing.
UNFINISHED = re.compile(r"\b(is|are|was|were|be|been|the|a|an|of|to|and|or|but|for|with|without|in|on|at|by|as|"
                        r"from|into|than|that|which|such as|include|includes|including)[.!?]?$", re.I)
CAPITALISED = re.compile(r"\b[A-Z][A-Za-z0-9'’&+-]*")
WORD = re.compile(r"[a-z0-9][a-z0-9'’&+-]*")
# Counts written as words are figures too ("three duties"); "one" is too common to mean a count.
NUMBER_WORDS = {word: f"{number:,}" for word, number in WRITTEN_NUMBERS.items() if word != "one"}
# Capitalised words that are not names: the coach itself, and how replies open.
NOT_NAMES = {"i", "i'm", "i'd", "i'll", "i've", "coachbot", "lta", "ltas", "yes", "no", "sure", "sorry", "hi",
             "hello", "absolutely", "certainly", "great", "however", "overall", "additionally", "unfortunately",
             "typically", "generally", "here", "there", "note", "remember", "finally", "firstly", "secondly",
             "also", "ok", "okay", "thanks", "good", "well"}
# Too little of the model's text survived: answer with the built-in engine instead.
MIN_KEPT_SHARE = 0.5
# Words a sentence must share with a source before an uncited sentence is credited to it.
ATTACH_MIN_OVERLAP = 2
# Words in more than this share of the passages (the career's own name) are no claim of their own.
COMMON_SHARE = 0.3
# A sentence no passage backs may stay uncited only when it is this small ("Good luck with it!").
PLEASANTRY_TERMS = 3
# The prompt's own format, or a chat template's role markers, in the output: the model went on
# writing past its answer (a new "Question:", the sources again). Everything from there is cut.
LEAK = re.compile(r"<\|(?:im_start|im_end|endoftext|eot_id|end)\|>|</?s>|"
                  r"(?:^|(?<=[\s.!?]))(?:#+\s*)?\**(?:Question|Answer|Sources?|Draft|Passages?|User|Assistant|System|"
                  r"Context|Instructions?)\**\s*:", re.I)
LEADING_LABEL = re.compile(r"\s*(?:#+\s*)?\**(?:(?:draft|rewritten|final|short)\s+)?answer\**\s*:[ \t]*\n?", re.I)
# Stop sequences sent with each call (the OpenAI API takes at most four).
STOP_SEQUENCES = ["\nQuestion:", "\nSources:", "<|im_end|>", "\nAnswer:"]


def cut_leak(text: str) -> tuple[str, bool]:
    """The answer up to the first prompt or role marker, and whether one was there.

    A label the answer merely opens with ("Answer:", "Draft answer:") is dropped, not a leak.
    """
    opening = LEADING_LABEL.match(text)
    if opening:
        text = text[opening.end():]
    match = LEAK.search(text)
    return (text[:match.start()], True) if match else (text, False)


@dataclass
class GuardStats:
    """Counts of what the guard and the engine did, by event and reason; listeners hear each one (metrics).

    Events: the guard's outcome ("kept", "repaired", "replaced"), "dropped" (one sentence, by
    reason), "path" (which path answered: model, or the built-in answer and why) and
    "fallbacks" (the model was unavailable, by reason).
    """
    counts: dict[tuple[str, str], int] = field(default_factory=dict)
    listeners: list[Callable[[str, str], None]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record(self, event: str, reason: str = "") -> None:
        with self._lock:
            self.counts[(event, reason)] = self.counts.get((event, reason), 0) + 1
        for listen in self.listeners:
            listen(event, reason)

    def total(self, event: str) -> int:
        return sum(n for (e, _), n in self.counts.items() if e == event)

    def by_reason(self, event: str) -> dict[str, int]:
        return {r: n for (e, r), n in sorted(self.counts.items()) if e == event}


@dataclass
class Verdict:
    outcome: str  # "kept" | "repaired" | "replaced"
    text: str
    citations: list[Citation]
    reasons: list[str]
    kept_sentences: list[str] = field(default_factory=list)  # the texts of those kept

    @property
    def replaced(self) -> bool:
        return self.outcome == "replaced"


@dataclass
class _Sentence:
    text: str  # without markers
    markers: list[int]
    line: int
    keep: bool = True


class Guard:
    def __init__(self, common_words: set[str], topic_words: AbstractSet[str] = frozenset()):
        # Words the guide writes in lower case: capitalised, they start a sentence, not a name.
        # English function words too: the guide's passages avoid "this" and "they", a model does not.
        self.common_words = common_words | NOT_NAMES | STOPWORDS
        # Words nearly every passage uses (the career's name): they support no claim and need none.
        self.topic_words = set(topic_words)

    @classmethod
    def for_passages(cls, passages: list[Passage]) -> Guard:
        lower: set[str] = set()
        seen_in: dict[str, int] = {}
        for p in passages:
            lower.update(w for w in re.findall(r"\b[a-z][a-z'’&+-]*", p.text))
            for word in set(words(f"{p.title} {p.text}")):
                seen_in[word] = seen_in.get(word, 0) + 1
        topic = {w for w, n in seen_in.items() if n > COMMON_SHARE * max(1, len(passages))}
        return cls(lower, topic)

    def check(self, answer: str, sources: list[Citation], truncated: bool = False,
              committed: AbstractSet[str] = frozenset(), asked_to_cite: bool = True) -> Verdict:
        """Judge `answer`, written from `sources` (numbered from 1).

        `committed` holds sentences already shown to the person (streaming): they stay.
        `asked_to_cite` false: the model was not asked for markers, so citing is the guard's job.
        """
        by_number = {c.n: c for c in sources}
        reasons: list[str] = []
        answer, leaked = cut_leak(answer)
        if leaked:
            reasons.append("leak")
            truncated = True  # the sentence the marker interrupted is unfinished
        lines, sentences = _parse(answer, set(by_number), reasons)
        if truncated and sentences:  # the model ran out of tokens mid-sentence
            last = sentences[-1]
            if not re.search(r"[.!?:)\]]$", last.text.rstrip("*_ ")) and not last.markers:
                last.keep = False
                reasons.append("truncated")
        attach = not any(s.markers for s in sentences)
        if attach and sentences and asked_to_cite:
            reasons.append("no_citation")
        for i, sentence in enumerate(sentences):
            if sentence.text in committed:  # already shown: it stays, cited as it was then
                sentence.keep = True
                if attach:
                    sentence.markers = self._attach(sentence, sources)[0]
                continue
            if not sentence.keep:
                continue
            problem = _only_a_title(sentence.text, sources) or ("unfinished" if UNFINISHED.search(sentence.text)
                                                                else None)
            if not problem and attach:
                sentence.markers, problem = self._attach(sentence, sources)
            elif not problem:
                support = [by_number[n].passage for n in _support_markers(sentences, i)]
                problem = self._unsupported(sentence.text, support)
            if problem:
                sentence.keep = False
                reasons.append(problem)
        kept_so_far = [s for s in sentences if s.keep]
        if kept_so_far and kept_so_far[-1].text.endswith(":") and kept_so_far[-1].text not in committed:
            # a lead-in whose list was all dropped
            kept_so_far[-1].keep = False
            reasons.append("dangling")
        total = sum(len(s.text) for s in sentences) or 1
        kept = [s for s in sentences if s.keep]
        too_little = sum(len(s.text) for s in kept) / total < MIN_KEPT_SHARE or not any(s.markers for s in kept)
        if too_little and not committed:
            return Verdict("replaced", "", [], reasons or ["nothing_cited"])
        text, citations = _render(lines, kept, by_number)
        return Verdict("repaired" if reasons else "kept", text, citations, reasons, [s.text for s in kept])

    def _unsupported(self, text: str, support: list[Passage]) -> str | None:
        """Why `text` says more than the `support` passages, or None when it does not."""
        source_text = " ".join(f"{p.title}\n{p.heading}\n{p.text}" for p in support)
        source_figures = figures(source_text)
        source_words = set(WORD.findall(source_text.lower()))
        plain = re.sub(r"[*_`]", " ", text)  # Markdown emphasis apart, so "**3**4" stays two figures
        if not figures(plain) <= source_figures:
            return "figure"
        for word in re.findall(r"[a-z]+", plain.lower()):
            digit = NUMBER_WORDS.get(word)
            if digit and word not in source_words and digit not in source_figures:
                return "figure"
        for name in CAPITALISED.findall(plain):
            for part in filter(None, re.split(r"[-&+]", name.lower())):
                if not _known(part, self.common_words) and not _known(part, source_words):
                    return "name"
        if support:
            return unsupported_claim(plain, SourceTerms(source_text), self.topic_words)
        # Backed by no passage: only a pleasantry may stand ("Good luck with it!").
        claim = unsupported_claim(plain, SourceTerms(""), self.topic_words)
        if claim in {"relation", "comparison"}:
            return claim
        terms = [w for w in words(plain) if len(w) > 2 and w not in self.topic_words]
        return "claim" if len(terms) > PLEASANTRY_TERMS else None

    def _attach(self, sentence: _Sentence, sources: list[Citation]) -> tuple[list[int], str | None]:
        """For an answer that cites nothing: the source that states this sentence best, or why none does."""
        said = _content_words(sentence.text)
        best, best_overlap = None, 0
        for source in sources:
            if self._unsupported(sentence.text, [source.passage]):
                continue
            overlap = len(said & _content_words(source.passage.text))
            if overlap > best_overlap:
                best, best_overlap = source.n, overlap
        if best is not None and best_overlap >= ATTACH_MIN_OVERLAP:
            return [best], None
        # No source states it: keep it uncited only if it claims nothing checkable ("Good luck!").
        return [], self._unsupported(sentence.text, [])


def figures(text: str) -> set[str]:
    """Figures as the evaluator reads them, citation markers aside."""
    text = MARKER.sub(" ", text)
    return {m.group(0).rstrip(".,") for m in NUMBER.finditer(text)}  # 2022-2032 -> 2022 and 2032


def _only_a_title(text: str, sources: list[Citation]) -> str | None:
    """A sentence that just names a source ("Tools and technologies: ILS") says nothing."""
    said = re.sub(r"\W+", " ", text).strip().lower()
    for source in sources:
        titles = {source.passage.title, source.passage.heading}
        if said in {re.sub(r"\W+", " ", t).strip().lower() for t in titles}:
            return "title"
    return None


def _content_words(text: str) -> set[str]:
    """Longer words and every figure: what a sentence and a source must share to be about the same thing."""
    return {w for w in WORD.findall(text.lower()) if len(w) > 3} | figures(text)


def _known(word: str, vocabulary: set[str]) -> bool:
    word = word.rstrip("'’").removesuffix("'s").removesuffix("’s")
    return (word in vocabulary or word.rstrip("s") in vocabulary or word + "s" in vocabulary
            or word + "'s" in vocabulary or word + "’s" in vocabulary)


def _parse(answer: str, valid: set[int], reasons: list[str]) -> tuple[list[str | None], list[_Sentence]]:
    """The answer's lines (a bullet's prefix, "" for prose, None for a blank line) and its
    sentences, with their markers split off."""
    answer = MARKER_LIKE.sub(lambda m: " ".join(f"[{n}]" for n in re.findall(r"\d+", m.group(1))), answer)
    lines: list[str | None] = []
    sentences: list[_Sentence] = []
    seen: set[str] = set()
    for raw in answer.strip().splitlines():
        if not raw.strip():
            lines.append(None)
            continue
        bullet = BULLET.match(raw)
        prefix = "- " if bullet else ""  # numbered lists become bullets: a list number is not a figure
        body = raw[bullet.end():] if bullet else raw.strip()
        for piece in split_sentences(body):
            lead = LEADING_MARKERS.match(piece)
            if lead and sentences and sentences[-1].line == len(lines):
                sentences[-1].markers += _numbers(lead.group(0), valid, reasons)  # "fact. [1] Next" -> "fact. [1]"
                piece = piece[lead.end():]
            markers = _numbers(piece, valid, reasons)
            text = re.sub(r"\s+([.,;:!?])", r"\1", re.sub(r"\s+", " ", MARKER.sub(" ", piece))).strip()
            text = re.sub(r":[.,;]$", ":", text)  # "is: [1]." leaves "is:", not "is:."
            if text and text.lower() in seen:  # small models loop: say each thing once
                reasons.append("repeated")
            elif text:
                seen.add(text.lower())
                sentences.append(_Sentence(text, markers, len(lines)))
            elif sentences:  # a line of markers alone cites what came before it
                sentences[-1].markers += markers
        lines.append(prefix)
    return lines, sentences


def _numbers(text: str, valid: set[int], reasons: list[str]) -> list[int]:
    found = [int(n) for n in MARKER.findall(text)]
    if any(n not in valid for n in found):
        reasons.append("bad_citation")
    return [n for n in found if n in valid]


def _support_markers(sentences: list[_Sentence], i: int) -> list[int]:
    """The passages a sentence leans on: its own markers, else those of the next cited sentence
    on its line (or the last one before it), else every passage the answer cites."""
    if sentences[i].markers:
        return sentences[i].markers
    line = sentences[i].line
    after = [s for s in sentences[i + 1:] if s.line == line and s.markers]
    before = [s for s in sentences[:i] if s.line == line and s.markers]
    if after or before:
        return after[0].markers if after else before[-1].markers
    return sorted({n for s in sentences for n in s.markers})


def _render(lines: list[str | None], kept: list[_Sentence], by_number: dict[int, Citation]) -> tuple[str, list[Citation]]:
    """The kept sentences in their lines, markers renumbered 1.. in order of first use."""
    renumber: dict[int, int] = {}
    cited: dict[int, list[str]] = {}
    out_lines: list[str] = []
    for index, prefix in enumerate(lines):
        if prefix is None:
            if out_lines and out_lines[-1] != "":
                out_lines.append("")
            continue
        parts = []
        for s in (s for s in kept if s.line == index):
            numbers = []
            for n in s.markers:
                new = renumber.setdefault(n, len(renumber) + 1)
                if new not in numbers:
                    numbers.append(new)
                cited.setdefault(n, []).append(s.text)
            parts.append(s.text + "".join(f" [{n}]" for n in numbers))
        if parts:
            out_lines.append(prefix + " ".join(parts))
    text = "\n".join(out_lines).strip()
    citations = [Citation(new, by_number[old].passage, quote_for(by_number[old].passage, cited[old]))
                 for old, new in sorted(renumber.items(), key=lambda pair: pair[1])]
    return text, citations


def quote_for(passage: Passage, said: list[str] | None = None) -> str:
    """The passage's sentences that back what was said (its opening when nothing was said yet)."""
    sentences = [s for line in passage.text.splitlines() if line.strip()
                 for s in split_sentences(BULLET.sub("", line).strip())]
    if said:
        wanted_figures = set().union(*(figures(s) for s in said))
        wanted_words = set(WORD.findall(" ".join(said).lower()))
        scored = sorted(sentences, key=lambda s: (-len(figures(s) & wanted_figures),
                                                  -len(set(WORD.findall(s.lower())) & wanted_words)))
        best = scored[:2]
        sentences = [s for s in sentences if s in best]
    return trim_quote(" ".join(sentences))


def log_verdict(verdict: Verdict) -> None:
    """What happened, never what was said: message text stays out of the logs."""
    if verdict.outcome != "kept":
        log.info("guard %s a model answer (%s)", verdict.outcome, ", ".join(sorted(set(verdict.reasons))))
