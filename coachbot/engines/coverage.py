"""Does a checked model answer still answer what was asked, as well as the built-in answer does?

The built-in answer is the yardstick: the model's answer must keep every figure it states (the
figure for a how-much question, the step number for a which-step question), every name
(Koha, OCLC Connexion), its negations, a word of every list item, and most of its content terms. When it does
not, the person gets the built-in answer: a model may say it more plainly, never say less.
"""
from __future__ import annotations

import re
from collections.abc import Set as AbstractSet

from .claims import NEGATION, STOPWORDS, key, words
from .guard import BULLET, MARKER, figures

# Acronyms and mixed case (ILS, MARC21, WorldShare); capitalised words after a lower-case word (Koha).
ACRONYM = re.compile(r"^[A-Z][A-Za-z]*[A-Z0-9][A-Za-z0-9]*$")
CAPITALISED = re.compile(r"^[A-Z][a-z]{2,}$")
TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*|[,;.!?:\n]")
# Share of the built-in answer's content terms the model's answer must keep.
MIN_TERM_SHARE = 0.6
# Share of the terms of each built-in sentence about the question (sharing a word with it) the
# model's answer must keep: the point of the answer may not be paraphrased away.
MIN_KEY_SHARE = 0.75
SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


def missing(answer: str, builtin: str, topic_words: AbstractSet[str] = frozenset(), question: str = "") -> str | None:
    """What `answer` lost of `builtin` ("figure", "name", "negation", "list", "content", "key"), or None."""
    builtin = MARKER.sub(" ", builtin)
    said = MARKER.sub(" ", answer)
    said_lower = said.lower()
    if not figures(builtin) <= figures(said):
        return "figure"
    if any(name.lower() not in said_lower for name in names(builtin) if name.lower() not in topic_words):
        return "name"
    # "is not typically required" rephrased without its "not" says the opposite.
    if NEGATION.search(builtin.lower().replace("’", "'")) and not NEGATION.search(said_lower.replace("’", "'")):
        return "negation"
    said_keys = {key(w) for w in words(said)} | set(words(said))
    for line in builtin.splitlines():
        bullet = BULLET.match(line)
        if bullet:
            item = [w for w in words(line[bullet.end():]) if w not in STOPWORDS and w not in topic_words]
            if item and not any(key(w) in said_keys or w in said_keys for w in item):
                return "list"
    terms = _terms(builtin, topic_words)
    if terms and len(terms & said_keys) / len(terms) < MIN_TERM_SHARE:
        return "content"
    for key_terms in _sentences_about(builtin, question, topic_words):
        if len(key_terms & said_keys) / len(key_terms) < MIN_KEY_SHARE:
            return "key"
    return None


def _terms(text: str, topic_words: AbstractSet[str]) -> set[str]:
    return {key(w) for w in words(text) if len(w) > 2 and w not in STOPWORDS and w not in topic_words}


def _sentences_about(builtin: str, question: str, topic_words: AbstractSet[str]) -> list[set[str]]:
    """The terms of each built-in sentence that shares a term with the question."""
    asked = _terms(question, topic_words)
    sentences = [_terms(s, topic_words) for s in SENTENCE.split(builtin)]
    return [terms for terms in sentences if terms & asked]


def names(text: str) -> set[str]:
    """The names a text states: acronyms anywhere, capitalised words in mid-sentence."""
    found, previous = set(), ""
    for token in TOKEN.findall(text):
        if ACRONYM.match(token) or (CAPITALISED.match(token) and (previous[:1].islower() or previous in {",", ";"})):
            found.add(token)
        previous = token
    return found
