"""A phrase group skips a text naming none of its phrases' first words: it must find exactly what
its pattern alone finds, whatever joins the words (hyphens, apostrophes, dots, plurals)."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from coachbot.knowledge.vocabulary import _phrases

GROUP = _phrases(["part-time", "time", "bachelor's", "pay rate", "wage", "e-mail"])
PIECES = ["part", "time", "-", "'s", "bachelor", "bachelor's", "pay", "rate", "wage", "wages", ".", " ",
          "e", "mail", "x", "timer", "overtime", ",", "'"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12))
def test_a_group_finds_what_its_pattern_finds(pieces):
    text = "".join(pieces)
    assert bool(GROUP.search(text)) == bool(GROUP.pattern.search(text))
    assert [m.span() for m in GROUP.finditer(text)] == [m.span() for m in GROUP.pattern.finditer(text)]
    assert GROUP.sub("X", text) == GROUP.pattern.sub("X", text)


def test_a_text_naming_no_first_word_is_not_searched():
    assert not GROUP.mentioned("how much do they earn")
    assert GROUP.mentioned("is it part-time work")
