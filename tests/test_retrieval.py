"""Knowledge loading, plain-language retrieval, follow-ups and scope."""
from __future__ import annotations

import pytest

from coachbot.config import load_settings
from coachbot.followup import is_followup, list_item, resolve
from coachbot.services import Services


@pytest.fixture(scope="module")
def services():
    return Services.build(load_settings({"database_url": "sqlite://"}))


def top_ids(services, query, k=3):
    return [hit.passage.id for hit in services.index.search(query, k=k)]


def test_every_passage_has_its_own_anchor(services):
    passages = services.knowledge.passages
    assert len(passages) > 60
    for passage in passages:
        assert passage.id == f"{passage.doc_id}#{passage.section}"
        assert passage.text.strip()
        assert passage.url == f"/knowledge/{passage.doc_id}#{passage.section}"


@pytest.mark.parametrize("plain, guide_word", [
    ("how much do they make", "salary"),
    ("can I work from home", "remote"),
    ("jobs abroad", "international"),
    ("what school do I need", "education"),
    ("what is ILL", "interlibrary loan"),
])
def test_plain_words_are_expanded_from_data(services, plain, guide_word):
    assert guide_word in services.index.vocabulary.expand(plain)


@pytest.mark.parametrize("query, expected", [
    ("how much do LTAs make?", ("overview#median-salary", "salary-outlook#key-salary-figures")),
    ("do I need a degree?", ("education", "overview#typical-education", "faq#what-are-the-typical-educational")),
    ("what are the downsides?", ("pros-cons#cons",)),
    ("what do they earn in Japan?", ("global#salaries-in-asia-pacific",)),
    ("how many volunteer hours?", ("how-to-become#step-3",)),
    ("which ILS do libraries use?", ("tools-technologies#integrated-library-systems",)),
])
def test_plain_questions_find_the_right_passage(services, query, expected):
    found = top_ids(services, query)
    assert any(pid.startswith(expected) for pid in found), found


def test_followups_are_resolved_against_the_last_question(services):
    index = services.index
    assert is_followup("and in the UK?", index)
    assert is_followup("what about the senior level?", index)
    assert not is_followup("What education do I need to become an LTA?", index)
    resolved = resolve("and in the UK?", "How much do LTAs earn in Canada?", index)
    assert "uk" in resolved.lower() and "canada" not in resolved.lower() and "earn" in resolved
    assert resolve("What is the LSSC?", "How much do LTAs earn?", index) == "What is the LSSC?"


@pytest.mark.parametrize("message, item", [
    ("how come the second one matters so much", "b"),  # "one" only points, whatever follows it
    ("the last option", "c"),
    ("is the third step hard", None),  # "third step" may be a step of anything
    ("my first paycheck", None),
])
def test_an_ordinal_points_at_an_item_of_the_last_list(message, item):
    assert list_item(message, ["a", "b", "c"]) == item


@pytest.mark.parametrize("message, in_scope", [
    ("What is the median salary?", True),
    ("What is MARC21?", True),
    ("Is remote work possible?", True),
    ("How much do nurses make?", False),
    ("What's the best pizza topping?", False),
    ("Can you help me file my taxes?", False),
    ("Write a python function that sorts a list", False),
    ("What's the weather tomorrow?", False),
    ("Do library technical assistants need to know python?", False),  # the guide never says
    ("Do library technical assistants need to know Excel?", True),
    ("will an lta job make me do a drug test first?", False),  # "test" is part of the thing, no evidence
    ("how much does a library teaching assistant make?", False),  # close to the career's name, not a typo of it
    ("how much does a library techincal assitant make?", True),  # a typo of it
])
def test_scope(services, message, in_scope):
    assert services.coach.answer(message).in_scope is in_scope


def test_answers_cite_what_they_say(services):
    answer = services.coach.answer("What cataloging standards are used?")
    assert answer.engine == "extractive" and answer.in_scope
    assert "MARC21" in answer.text and "[1]" in answer.text
    assert answer.citations[0].quote and answer.citations[0].quote.split()[0] in answer.text
    assert 2 <= len(answer.suggestions) <= 3


def test_faq_question_gets_the_faq_answer(services):
    answer = services.coach.answer("What are the typical educational requirements to become an LTA?")
    assert answer.citations[0].passage.doc_id == "faq"
    assert "Associate's degree" in answer.text


def test_steps_come_as_a_list_in_order(services):
    answer = services.coach.answer("What are the steps to become an LTA?")
    lines = [line.lower() for line in answer.text.splitlines() if line.startswith("- ")]
    assert len(lines) == 6
    assert "research" in lines[0] and "volunteer" in lines[2] and "resume" in lines[4] and "network" in lines[5]


def test_a_possessive_is_read_as_its_noun(services):
    reading = services.coach.scope.read("do they need a plumber's license")
    assert "plumber" in reading.foreign and "plumber" in reading.occupations


def test_a_place_the_guide_never_names_replaces_the_place_asked_before(services):
    # Texas is in no passage, so it is no entity of the guide's; it still takes Canada's place.
    resolved = resolve("and what about texas?", "what do LTAs earn in Canada?", services.index)
    assert "texas" in resolved and "canada" not in resolved.lower()


def test_the_words_added_for_a_persons_background_ask_for_no_list():
    # They are searched for how people with that background come in; a list of skills was never asked.
    from coachbot.coach import BACKGROUND_QUESTION
    from coachbot.text import wants_list

    assert not wants_list(BACKGROUND_QUESTION)


def test_a_foot_in_the_door_is_how_to_start(services):
    answer = services.coach.answer("got a history degree but zero library experience, how do i get my foot in the door?")
    assert answer.in_scope and "steps" in answer.text.lower()


@pytest.mark.parametrize("message, opening", [
    ("qwertyuiop", "I'm not sure what you'd like to know"),  # nothing asked: no "nice of you to ask"
    ("??", "I'm not sure what you'd like to know"),
    ("what's your name?", "I answer questions about becoming"),
    ("are you chatgpt", "I answer questions about becoming"),
])
def test_a_message_asking_nothing_or_asking_who_answers_gets_a_fitting_reply(services, message, opening):
    answer = services.coach.answer(message)
    assert not answer.in_scope and answer.text.startswith(opening)



def test_a_plain_phrase_counts_as_the_guides_words_for_it_not_as_its_own(tmp_path):
    # "the worst part" is a plain wording of the downsides; a sentence that happens to say "the
    # hardest part" of something else does not outweigh the section the guide calls "Disadvantages".
    (tmp_path / "guide.yaml").write_text('name: "Baker"\nshort_name: "baker"\nsummary: "Baking as a job."\n')
    (tmp_path / "work.md").write_text(
        "# The work\n\n## Disadvantages\n- Early starts, often at 4 a.m.\n- Hot kitchens and heavy flour sacks.\n"
        "- Weekend and holiday shifts.\n\n## Moving from retail\nCashiers already know the hardest part of "
        "counter work: a queue of impatient customers.\n\n## Pay\nThe median pay is $34,000 a year.\n")
    index = Services.build(load_settings({"database_url": "sqlite://", "knowledge_dir": str(tmp_path)})).index
    assert index.search("whats the worst part of being a baker", k=1)[0].passage.heading == "Disadvantages"
