"""Ranked search over passages: BM25 (bm25s) on stemmed words, fused with sentence meaning."""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import bm25s
import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_EN

from ..language import places
from ..text import ANSWER_TYPES, figure_types
from .loader import OVERVIEW, KnowledgeBase, Passage
from .semantic import Embedder, VectorFile
from .units import split_units
from .vocabulary import WORD, EntityMatch, Vocabulary, normalise


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float


class Tokenizer:
    """Words -> stemmed terms, without stopwords. Shared by the index and the answer engine."""

    def __init__(self, extra_stopwords=(), spellings: dict[str, str] | None = None, subject: re.Pattern | None = None):
        self._stem = Stemmer.Stemmer("english").stemWords
        self.stopwords = set(STOPWORDS_EN) | set(extra_stopwords)
        self.spellings = spellings or {}
        self.subject = subject

    def __call__(self, text: str) -> list[str]:
        return list(self._terms(text))

    @lru_cache(maxsize=8192)  # noqa: B019 - one tokenizer per index, alive as long as the app
    def _terms(self, text: str) -> tuple[str, ...]:
        text = normalise(text)
        if self.subject:  # the guide's own subject is in every passage: it tells passages apart by nothing
            text = self.subject.sub(" ", text)
        words = [w.rstrip("'").removesuffix("'s") for w in WORD.findall(text)]
        words = [self.spellings.get(w, w) for w in words]
        return tuple(self._stem([w for w in words if w and w not in self.stopwords]))


# A heading says what its section is about: a match there counts this much more than one in the text.
HEADING_WEIGHT = 1.5
# The page's title says what all its sections are about ("Where technicians work" over "Main employers").
TITLE_WEIGHT = 0.5
# The best single sentence or list item also counts, so one line of a long list can be found.
UNIT_WEIGHT = 1.0
# A question that names a place or level is about it: passages naming it count this much more each.
ENTITY_BOOST = 1.0
# A page's introduction says what the page covers; its sections answer. Ties go to the sections.
OVERVIEW_PRIOR = 0.8
# Meaning counts beside words: a passage's cosine similarity to the question (its best sentence's
# or its own), above what unrelated texts share, adds this share of the best lexical score.
SEMANTIC_WEIGHT = 1.5
SEMANTIC_FLOOR = 0.3
# A question asking where (why, who, when) is answered by a page or section headed so ("Where vet
# techs work", "Why demand is growing"): their scores count this much more.
ASKS_PRIOR = 0.3
ASKING_WORD = re.compile(r"\b(where|why|who|when)\b")
# A question that names no place is less likely asked of a passage about one place or region.
PLACE_PRIOR = 0.2
# "What can't they do?", "what are they not allowed to do?"; and a sentence saying it of the career's
# people, after their name ("opticians cannot examine eyes").
ASKS_LIMITS = re.compile(r"\b(?:can'?t|cannot|can not|may not|not allowed|aren'?t allowed|not permitted)\b")
LIMIT_AFTER_NAME = r"\s+(?:cannot|can't|can not|may not|must not|are not (?:allowed|permitted)|are never allowed)\b"
# A question asking for a kind of figure (pay, a duration) prefers passages that state one.
FIGURE_PRIOR = 0.3


def _place_terms(found: list[EntityMatch]) -> list[str]:
    return [f"place:{e.canonical}" for e in found if e.kind == "place"]


def _home_place(named_by_passage: list[list[EntityMatch]]) -> str | None:
    """The place a guide is written from: the one named by the most passages, at least twice as many
    as any other (a guide that names its countries evenly has none)."""
    counts = Counter(e.canonical for found in named_by_passage for e in found if e.kind == "place")
    ranked = counts.most_common(2)
    if ranked and (len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1]):
        return ranked[0][0]
    return None


# The small words a heading's initials skip ("Continuing Education Units": CEU; "Society of ...").
UNINITIALLED = {"a", "an", "and", "for", "in", "of", "on", "the", "to"}


def _initials_written(passage: Passage) -> str:
    """The heading's initials, when its passage writes them as a word: "IP paralegals" under
    "Intellectual property" say the heading in short, as people type it ("ip or immigration?")."""
    words = [w for w in re.findall(r"[A-Za-z]+", passage.heading) if w.lower() not in UNINITIALLED]
    initials = "".join(w[0] for w in words).upper()
    if 2 <= len(initials) <= 5 and re.search(rf"\b{initials}s?\b", passage.text):
        return initials
    return ""


def _opening_asks(heading: str) -> str:
    found = ASKING_WORD.match(heading.lower())
    return found.group(1) if found else ""


class SearchIndex:
    def __init__(self, knowledge: KnowledgeBase, vocabulary: Vocabulary, vector_file: Path | None = None):
        self.knowledge = knowledge
        self.vocabulary = vocabulary
        # The states and cities the guide names are places its passages are about, as countries are.
        vocabulary.add_places(places.local_names(" ".join(p.heading + "\n" + p.text for p in knowledge.passages)))
        self.tokenize = Tokenizer(vocabulary.question_words, vocabulary.spellings, vocabulary.subject)
        self.passages = knowledge.passages
        # Each place a text names, by whichever of its names, is one term more ("United Kingdom" is
        # found by "uk"), as people type any of them. (Not levels: "new" and "head" say other things too.)
        corpus = [self.tokenize(p.text) + self.place_terms(p.text) for p in self.passages]
        # An overview's heading is its page title, which names the whole page, not the passage.
        # Each heading with the initials its passage writes for it ("ip": Intellectual property).
        heading_tokens = [self.tokenize(p.heading + " " + _initials_written(p)) for p in self.passages]
        headings = [([] if p.section == OVERVIEW else tokens) or ["_"]
                    for p, tokens in zip(self.passages, heading_tokens, strict=True)]
        self._bm25 = bm25s.BM25()
        self._bm25.index(corpus, show_progress=False)
        # No length penalty on headings: a heading that names more of the question should win.
        self._bm25_headings = bm25s.BM25(b=0.0)
        self._bm25_headings.index(headings, show_progress=False)
        self._bm25_titles = bm25s.BM25(b=0.0)
        self._bm25_titles.index([self.tokenize(p.doc_title) or ["_"] for p in self.passages], show_progress=False)
        self.units = {p.id: split_units(p) for p in self.passages}
        flat_units = [(i, u) for i, p in enumerate(self.passages) for u in self.units[p.id]]
        self._unit_owner = np.array([i for i, _ in flat_units])
        self._bm25_units = bm25s.BM25()
        # The places and levels each unit names, read once: its place terms and the engine's entity checks.
        self.unit_entities = {(u.passage.id, u.position): vocabulary.entities(u.text) for _, u in flat_units}
        unit_tokens = [self.tokenize(u.text) + _place_terms(self.unit_entities[(u.passage.id, u.position)])
                       for _, u in flat_units]
        # A list item is found through its heading too: "Senior: $45k" under "Salary by level".
        in_context = [tokens + (headings[i] if u.is_bullet else []) for (i, u), tokens in zip(flat_units, unit_tokens, strict=True)]
        self._bm25_units.index([tokens or ["_"] for tokens in in_context], show_progress=False)
        # Each unit's terms, tokenized once here and reused by the answer engine's sentence scoring.
        self.unit_terms = {(u.passage.id, u.position): set(tokens) for (_, u), tokens in zip(flat_units, unit_tokens, strict=True)}
        # Each passage's terms (heading and text) and the places and levels each unit names, once.
        self.passage_terms = {p.id: set(doc) | set(heading) for p, doc, heading in zip(self.passages, corpus, headings, strict=True)}
        # Each section's heading terms (an overview's too: its page title).
        self.heading_terms = {p.id: set(tokens) for p, tokens in zip(self.passages, heading_tokens, strict=True)}
        # The plain-language ideas each unit speaks of in any of their wordings ("wage" is pay).
        self.unit_ideas = {(u.passage.id, u.position): vocabulary.ideas(u.text) for _, u in flat_units}
        self.position = {p.id: i for i, p in enumerate(self.passages)}
        # Sections whose heading names nothing but the subject ("What a Wind Turbine Technician
        # is"): the answer to a question that names nothing but the subject ("What is a wind tech?").
        self._definitions = [p for p in self.passages
                             if p.section != OVERVIEW and not self.tokenize(p.heading)
                             and vocabulary.subject and vocabulary.subject.search(normalise(p.heading))]
        # Passages saying what the career's people may not do ("Opticians cannot examine eyes").
        if vocabulary.subject:
            limit = re.compile(vocabulary.subject.pattern + LIMIT_AFTER_NAME)
            self._limits = [p for p in self.passages if any(limit.search(normalise(u.text)) for u in self.units[p.id])]
        else:
            self._limits = []
        # Which places and levels each passage names: a question naming one is about it.
        named = [vocabulary.entities(p.text + " " + p.heading) for p in self.passages]
        self._entities = [{e.canonical for e in found} for found in named]
        self.home_place = _home_place(named)
        self._general_prior = np.array([1.0 - PLACE_PRIOR if self._about_other_places(p) else 1.0 for p in self.passages])
        # Each heading's words as written: a plain phrase a heading says is the guide's own ("The career ladder").
        self._heading_words = [set(WORD.findall(normalise(p.heading))) for p in self.passages]
        self._prior = np.array([OVERVIEW_PRIOR if p.section == OVERVIEW else 1.0 for p in self.passages])
        # What each passage's heading, else its page's title, opens by asking ("Where vet techs work").
        self._asks = np.array([_opening_asks(p.heading) or _opening_asks(p.doc_title) for p in self.passages])
        self._vocab = set(term for doc in corpus + headings for term in doc)
        # The guide's own words as written, for reading a misspelt word as the guide word it resembles.
        self.words = sorted({w for p in self.passages for w in WORD.findall(normalise(p.heading + " " + p.text))
                             if len(w) > 2 and not w[0].isdigit()})
        self._words = set(self.words)
        self._figure_cache: dict[str, np.ndarray] = {}
        self.embedder = Embedder()
        batches = [[f"{p.heading}. {p.text}" for p in self.passages], [u.text for _, u in flat_units], self.words]
        if vector_file is None:
            vectors = [self.embedder.embed(texts) for texts in batches]
        else:  # embedding the whole guide was a sixth of a second of every start
            vectors = VectorFile(vector_file, self.embedder, batches).vectors()
        self.passage_vectors, self.unit_vectors, self.word_vectors = vectors
        self._unit_index = {(u.passage.id, u.position): i for i, (_, u) in enumerate(flat_units)}
        # How rare each term is across passages, for the engine's sentence scoring.
        n = len(corpus)
        df: dict[str, int] = {}
        for doc in corpus:
            for term in set(doc):
                df[term] = df.get(term, 0) + 1
        self.idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}
        # ... and each plain-language idea, said in any of its wordings: broad ideas weigh little.
        passage_ideas = [set().union(*(self.unit_ideas[(p.id, u.position)] for u in self.units[p.id]))
                         for p in self.passages]
        idea_df = Counter(idea for ideas in passage_ideas for idea in ideas)
        self.idea_idf = {i: math.log(1 + (n - c + 0.5) / (c + 0.5)) for i, c in idea_df.items()}
        # The guide's word for an idea is the one most of its passages use, in a heading ("Core
        # responsibilities") as much as in the text.
        spoken = Counter(term for terms in self.passage_terms.values() for term in terms)
        vocabulary.fit(lambda word: max((spoken[t] for t in self.tokenize(word)), default=0))
        for _, figure in ANSWER_TYPES:  # read now, not by the first question asking for each kind
            self._states(figure)

    def place_terms(self, text: str) -> list[str]:
        """One term for each place the text names ("place:uk"), whatever name it goes by."""
        return _place_terms(self.vocabulary.entities(text))

    def _about_other_places(self, passage: Passage) -> bool:
        """A passage about places other than the guide's own: its heading names one ("Salaries in
        Germany"), or most of its sentences do ("Pay in other countries", one country a line)."""
        if self.names_other_place(self.vocabulary.entities(passage.heading)):
            return True
        units = self.units[passage.id]
        naming = [u for u in units if self.names_other_place(self.unit_entities[(passage.id, u.position)])]
        return len(naming) >= 2 and 2 * len(naming) >= len(units)

    def names_other_place(self, found: list[EntityMatch]) -> bool:
        """Whether these places and levels (of a text) include a place other than the guide's own."""
        return any(e.kind == "place" and e.canonical != self.home_place for e in found)

    def query_terms(self, query: str) -> list[str]:
        """The query's distinct terms after plain-language expansion, limited to words the guide uses."""
        terms = self.tokenize(self.vocabulary.expand(query)) + self.place_terms(query)
        return [t for t in dict.fromkeys(terms) if t in self._vocab]

    @lru_cache(maxsize=256)  # noqa: B019 - one index per app, a few dozen ideas
    def idea_terms(self, idea: int) -> frozenset[str]:
        """The terms of every wording of one plain-language idea."""
        return frozenset(self.tokenize(self.vocabulary.idea_words(idea)))

    def names_word(self, word: str) -> bool:
        """Whether the guide writes this word (as typed, not stemmed) anywhere."""
        return word in self._words

    def names_entity(self, canonical: str) -> bool:
        """Whether any passage names this place or level."""
        return any(canonical in found for found in self._entities)

    def knows(self, term: str) -> bool:
        """Whether the guide uses this (stemmed) term anywhere."""
        return term in self._vocab

    @lru_cache(maxsize=4096)  # noqa: B019 - one index per app; the same question is embedded once
    def meaning(self, text: str) -> np.ndarray:
        return self.embedder.embed([text])[0]

    def similarities(self, vector: np.ndarray) -> np.ndarray:
        """Each passage's similarity to a question: the better of the passage's and its best unit's."""
        best_unit = np.full(len(self.passages), -1.0, dtype=np.float32)
        np.maximum.at(best_unit, self._unit_owner, self.unit_vectors @ vector)
        return np.maximum(self.passage_vectors @ vector, best_unit)

    def nearest_word(self, word: str) -> tuple[str, float]:
        """The guide's word closest in meaning to a word it does not use, and how close."""
        similarity = self.word_vectors @ self.meaning(word)
        best = int(similarity.argmax())
        return self.words[best], float(similarity[best])

    def unit_similarities(self, vector: np.ndarray, passage_id: str) -> list[float]:
        """Each unit of a passage's similarity to a question, in the passage's order (one product)."""
        units = self.units[passage_id]
        if not units:
            return []
        first = self._unit_index[(passage_id, 0)]
        return (self.unit_vectors[first:first + len(units)] @ vector).tolist()

    def search(self, query: str, k: int = 5, stressed: str = "") -> list[Hit]:
        """The k passages that best answer the query; the words of `stressed` (a story's own
        question), searched with it, weigh once more."""
        return list(self._ranked(f"{query} {stressed}".strip(), k, stressed))

    @lru_cache(maxsize=4096)  # noqa: B019 - the index never changes, and people ask the same things
    def _ranked(self, query: str, k: int, stressed: str = "") -> tuple[Hit, ...]:
        return tuple(self._rank(query, k, stressed))

    def _rank(self, query: str, k: int, stressed: str = "") -> list[Hit]:
        scores = self.lexical_scores(query, stressed)
        if scores is None:
            names_subject = bool(self.vocabulary.subject and self.vocabulary.subject.search(normalise(query)))
            if names_subject and self._limits and ASKS_LIMITS.search(normalise(query)):
                # "What can't they do?": the passages saying what the career's people may not do.
                return [Hit(p, 1.0) for p in self._limits[:k]]
            if not names_subject or self.tokenize(query):
                return []
            # "What is a ...?": the section that says what the career is, else the passages nearest in meaning.
            return [Hit(p, 1.0) for p in self._definitions[:k]] or self._nearest(query, k)
        top = float(scores.max())
        if top <= 0:
            return []
        meaning = np.clip(self.similarities(self.meaning(query)) - SEMANTIC_FLOOR, 0.0, None)
        scores = scores + SEMANTIC_WEIGHT * top * meaning / (1 - SEMANTIC_FLOOR)
        if not any(e.kind == "place" for e in self.vocabulary.entities(query)):
            scores = scores * self._general_prior  # a general question wants the general figure, not one country's
        for asked in set(ASKING_WORD.findall(query.lower())):
            scores = scores * np.where(self._asks == asked, 1.0 + ASKS_PRIOR, 1.0)
        for figure in figure_types(query):  # "what does a senior make": passages that state pay
            scores = scores * np.where(self._states(figure), 1.0 + FIGURE_PRIOR, 1.0)
        order = scores.argsort()[::-1][:k]
        return [Hit(self.passages[i], float(scores[i])) for i in order if scores[i] > 0]

    def _nearest(self, query: str, k: int) -> list[Hit]:
        """The passages nearest the question in meaning alone."""
        similarity = self.similarities(self.meaning(query))
        return [Hit(self.passages[i], float(similarity[i])) for i in similarity.argsort()[::-1][:k]]

    def _states(self, figure) -> np.ndarray:
        """Which passages state a figure of this kind (money, a duration), cached per kind."""
        if figure.pattern not in self._figure_cache:
            self._figure_cache[figure.pattern] = np.array([bool(figure.search(p.text)) for p in self.passages])
        return self._figure_cache[figure.pattern]

    def lexical_scores(self, query: str, stressed: str = "") -> np.ndarray | None:
        """BM25 over text, headings and best units; None when the query has no word the guide uses."""
        terms = self.query_terms(query)
        if terms:
            # What the person typed, in the guide's words ("earn" as "salary"), and the places or levels
            # they named count twice; words the vocabulary merely added count once. So do the words of
            # a plain phrase, read as the guide's words for it ("the hardest part" is the downsides,
            # though a sentence may say "the hardest part of counter work"), unless a heading says it
            # ("The career ladder").
            headed = [" ".join(words) for words, _ in self.vocabulary.phrase_meanings(query)
                      if len(words) >= 2 and any(words <= heading for heading in self._heading_words)]
            typed = set(self.tokenize(" ".join([self.vocabulary.canonicalize(query), *headed]))) | set(self.tokenize(
                " ".join(e.canonical for e in self.vocabulary.entities(query)))) | set(self.place_terms(query))
            stress = set(self.tokenize(stressed + " " + self.vocabulary.canonicalize(stressed))) if stressed else set()
            terms = terms + [t for t in terms if t in typed] + [t for t in terms if t in stress]
        if not terms:
            return None
        best_unit = np.zeros(len(self.passages), dtype=np.float32)
        np.maximum.at(best_unit, self._unit_owner, self._bm25_units.get_scores(terms))
        scores = (self._bm25.get_scores(terms) + HEADING_WEIGHT * self._bm25_headings.get_scores(terms)
                  + TITLE_WEIGHT * self._bm25_titles.get_scores(terms) + UNIT_WEIGHT * best_unit) * self._prior
        named = {e.canonical for e in self.vocabulary.entities(query)}
        if named:
            scores = scores * np.array([1.0 + ENTITY_BOOST * len(named & found) for found in self._entities])
        return scores
