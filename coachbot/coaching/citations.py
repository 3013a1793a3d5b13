"""Citations for a plan: one number per passage, quoting the sentence that backs the claim."""
from __future__ import annotations

import re

from ..answers import Citation
from ..knowledge import KnowledgeBase, Passage
from ..knowledge.units import split_units
from ..text import NUMBER, trim_quote

WORD = re.compile(r"[a-z][a-z']{3,}")


def sentences(passage: Passage) -> list[str]:
    """The passage's sentences and list items, cut as the answers cut them."""
    return [unit.text for unit in split_units(passage)]


def best_sentence(passage: Passage, claim: str) -> str:
    """The sentence of the passage that shares the most figures, then words, with the claim."""
    figures = set(NUMBER.findall(claim))
    words = set(WORD.findall(claim.lower()))

    def score(sentence: str) -> tuple[int, int]:
        return (len(figures & set(NUMBER.findall(sentence))),
                len(words & set(WORD.findall(sentence.lower()))))

    candidates = sentences(passage)
    return max(candidates, key=score) if candidates else trim_quote(passage.text)


class CitationBook:
    """Numbers passages in the order a plan first cites them, so [n] means one source throughout."""

    def __init__(self, knowledge: KnowledgeBase):
        self.knowledge = knowledge
        self._by_id: dict[str, Citation] = {}

    def cite(self, passage_ids: list[str], claim: str) -> list[Citation]:
        cited = []
        for pid in dict.fromkeys(passage_ids):
            citation = self._by_id.get(pid)
            if citation is None:
                passage = self.knowledge.passage(pid)
                if passage is None:  # pathway.yaml is checked at load; this guards code-built ids
                    raise KeyError(f"unknown passage {pid!r}")
                citation = Citation(len(self._by_id) + 1, passage, best_sentence(passage, claim))
                self._by_id[pid] = citation
            cited.append(citation)
        return cited

    @property
    def all(self) -> list[Citation]:
        return sorted(self._by_id.values(), key=lambda c: c.n)


def markers(citations: list[Citation]) -> str:
    return "".join(f"[{c.n}]" for c in citations)
