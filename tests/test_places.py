"""The world's places are written once (coachbot/language/places.yaml): the vocabulary's place
entities and where a person lives are both read from it, so they cannot disagree."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from coachbot.knowledge.vocabulary import Vocabulary
from coachbot.language import places
from coachbot.yamlfile import read_yaml


def test_every_name_belongs_to_one_place():
    names = Counter()
    for name, entry in read_yaml(Path(places.__file__).with_name("places.yaml")).items():
        names.update([name, *entry.get("names", []), *entry.get("words", []), *entry.get("parts", []),
                      *entry.get("places", []), *entry.get("codes", {}).values()])
    assert [name for name, count in names.items() if count > 1] == []


@pytest.mark.parametrize(("text", "entity", "area"), [
    ("mexico", "latin america", "latin america"), ("spain", "western europe", "western europe"),
    ("scotland", "uk", "uk"), ("the us", "united states", "united states"), ("paris", None, "france"),
    ("ohio", None, "united states"), ("north america", "north america", "north america"),
])
def test_the_vocabulary_and_the_places_agree(text, entity, area):
    vocabulary = Vocabulary.load(Path(__file__).parents[1] / "knowledge")
    assert [e.canonical for e in vocabulary.entities(text)] == ([entity] if entity else [])
    (_, found), = places.named(text)
    assert area in [a.name for a in places.enclosing(found)]


def test_a_misspelt_place_name_is_read_as_the_place():
    assert places.misspelt("pensylvania") == "pennsylvania"
    assert places.misspelt("floridda") == "florida"
    assert places.misspelt("ohoi") is None  # too short to tell from other words


def test_a_misspelling_the_word_list_holds_is_the_place_but_a_word_of_its_own_is_not(app):
    from coachbot.services import services
    with app.app_context():
        scope = services().coach.scope
        assert scope.read("what's the pay like in massachusets").places == ["massachusetts"]
        assert scope.read("im indian, could i do this job").places == []
