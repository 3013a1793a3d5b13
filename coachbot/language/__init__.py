"""Plain English that is the same for every guide: the word lists in english.yaml, and whether a
word is an English word at all (a word that is not, and looks like a guide word, is a typo)."""
from __future__ import annotations

import gzip
import json
import pkgutil
from functools import lru_cache


@lru_cache(maxsize=1)
def _dictionary() -> dict[str, int]:
    # pyspellchecker's English word list with how often each word is seen, read as
    # SpellChecker(language="en") reads it, without building a whole SpellChecker (its letters and
    # edit tables): this is on the way to the service being ready.
    data = pkgutil.get_data("spellchecker", "resources/en.json.gz")
    if data is None:
        raise FileNotFoundError("pyspellchecker's English word list is missing")
    text = gzip.decompress(data)
    counts: dict[str, int] = json.loads(text)
    if text.lower() != text:  # words listed in capitals too: one count per word, whatever its case
        merged: dict[str, int] = {}
        for word, count in counts.items():
            merged[word.lower()] = merged.get(word.lower(), 0) + count
        counts = merged
    return counts


def is_english_word(word: str) -> bool:
    return word.lower() in _dictionary()


def word_count(word: str) -> int:
    """How often the word list has seen the word: a misspelling it lists ("massachusets") is rare
    beside the word meant."""
    return _dictionary().get(word.lower(), 0)
