"""Plain English that is the same for every guide: the word lists in english.yaml, and whether a
word is an English word at all (a word that is not, and looks like a guide word, is a typo)."""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _dictionary():
    from spellchecker import SpellChecker

    return SpellChecker(language="en", distance=1).word_frequency


def is_english_word(word: str) -> bool:
    return word.lower() in _dictionary()
