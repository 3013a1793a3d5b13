"""The English word list is pyspellchecker's, read without building a whole SpellChecker."""
from spellchecker import SpellChecker

from coachbot.language import _dictionary, is_english_word


def test_the_word_list_is_the_spellcheckers():
    assert _dictionary() == set(SpellChecker(language="en", distance=1).word_frequency.dictionary)


def test_english_words_in_any_case():
    assert is_english_word("warm") and is_english_word("Library") and is_english_word("CATALOG")
    assert not is_english_word("qzxv") and not is_english_word("librery")
