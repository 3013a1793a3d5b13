"""Plain-language vocabulary (knowledge/vocabulary.yaml): synonyms, entities, scope words."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..yamlfile import read_yaml


def normalise(text: str) -> str:
    """Lower case, curly quotes straightened, runs of space folded."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"[\u2010-\u2015]", "-", text)
    return re.sub(r"\s+", " ", text).strip()


def _phrase_pattern(phrases) -> re.Pattern | None:
    phrases = sorted({normalise(p) for p in phrases}, key=len, reverse=True)
    if not phrases:
        return None
    body = "|".join(re.escape(p) for p in phrases)
    return re.compile(rf"(?<![\w.])(?:{body})(?![\w])")


@dataclass
class EntityMatch:
    kind: str
    canonical: str
    alias: str


class Vocabulary:
    def __init__(self, data: dict):
        self._synonyms = [(canon, _phrase_pattern(aliases + [canon])) for canon, aliases in
                          (data.get("synonyms") or {}).items()]
        self._entities = []
        for kind, members in (data.get("entities") or {}).items():
            for canon, aliases in members.items():
                self._entities.append((kind, canon, _phrase_pattern(aliases + [canon])))
        self.topic_terms = _phrase_pattern(data.get("topic_terms") or [])
        self.off_topic_terms = _phrase_pattern(data.get("off_topic_terms") or [])
        self.question_words = {normalise(w) for w in data.get("question_words") or []}
        self.subject = _phrase_pattern(data.get("subject") or [])
        self.spellings = {normalise(k): normalise(v) for k, v in (data.get("spellings") or {}).items()}
        self._smalltalk = {kind: _phrase_pattern(p) for kind, p in (data.get("smalltalk") or {}).items()}

    @classmethod
    def from_file(cls, path: Path) -> Vocabulary:
        return cls(read_yaml(path) if Path(path).exists() else {})

    def expand(self, query: str) -> str:
        """The query with the guide's own words added for every plain-language word in it."""
        text = normalise(query)
        extra = [canon for canon, pattern in self._synonyms if pattern and pattern.search(text)]
        extra += [m.canonical for m in self.entities(text)]
        return " ".join([text, *extra])

    def canonicalize(self, query: str) -> str:
        """The query in the guide's words: each plain-language phrase replaced by its guide wording."""
        text = normalise(query)
        for canon, pattern in self._synonyms:
            if pattern:
                text = pattern.sub(canon, text)
        return text

    def entities(self, text: str) -> list[EntityMatch]:
        text = normalise(text)
        found = []
        for kind, canon, pattern in self._entities:
            match = pattern.search(text) if pattern else None
            if match:
                found.append(EntityMatch(kind, canon, match.group(0)))
        return found

    def has_topic_term(self, text: str) -> bool:
        return bool(self.topic_terms and self.topic_terms.search(normalise(text)))

    def has_off_topic_term(self, text: str) -> bool:
        return bool(self.off_topic_terms and self.off_topic_terms.search(normalise(text)))

    def smalltalk_kind(self, text: str) -> str | None:
        """'greeting', 'thanks', ... when the whole message is small talk, else None."""
        text = re.sub(r"[^\w' -]", " ", normalise(text))
        text = re.sub(r"\s+", " ", text).strip()
        for kind, pattern in self._smalltalk.items():
            if not pattern:
                continue
            rest = pattern.sub(" ", text)
            rest = re.sub(r"\b(coach|coachbot|there|so|very|much|a lot|again|ok|okay|oh|please)\b", " ", rest)
            if not rest.strip():
                return kind
        return None
