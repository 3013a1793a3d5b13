"""Plain English that is the same for every guide: the word lists in english.yaml, and whether a
word is an English word at all (a word that is not, and looks like a guide word, is a typo)."""
from __future__ import annotations

import gzip
import json
import pkgutil
from functools import lru_cache


@lru_cache(maxsize=1)
def _dictionary() -> frozenset[str]:
    # pyspellchecker's English word list, read as SpellChecker(language="en") reads it. Only whether
    # a word is in it matters here: its words alone load in half the time of a whole SpellChecker
    # (word counts, letters), and this is on the way to the service being ready.
    data = pkgutil.get_data("spellchecker", "resources/en.json.gz")
    if data is None:
        raise FileNotFoundError("pyspellchecker's English word list is missing")
    return frozenset(map(str.lower, json.loads(gzip.decompress(data))))


def is_english_word(word: str) -> bool:
    return word.lower() in _dictionary()
