"""Plain-language questions, as people ask them, get the guide's facts with citations.

These are not the evaluation set: they were written from the guide to check that retrieval and
answering generalise (synonyms, follow-ups, places and levels, lists, out-of-scope questions).
"""
from __future__ import annotations

import re

import pytest

from coachbot.config import load_settings
from coachbot.engines.base import final_answer
from coachbot.evaluation import converse
from coachbot.services import Services

CASES = [
    (["how much do LTAs make?"], [["38,400"]], True),
    (["do I need a degree?"], [["associate", "not typically required", "certificate"]], True),
    (["What do LTAs earn in Canada?", "and in the UK?"], [["22,000"]], True),
    (["What's the pay like in Japan?"], [["3,000,000"]], True),
    (["Can I work from home as an LTA?"], [["limited", "rare", "on-site", "hands-on"]], True),
    (["How long does a certificate program take?"], [["6 to 12 months", "6-12 months"]], True),
    (["How long does self-study take?"], [["12 to 18 months"]], True),
    (["What jobs are similar to library technical assistant?"], [["library clerk", "library aide", "library assistant"]], True),
    (["What soft skills matter?"], [["attention to detail", "communication"]], True),
    (["Which industries hire the most LTAs?"], [["local government"]], True),
    (["What does a makerspace technology specialist do?"], [["3d printer"]], True),
    (["What language tests might I need to move abroad?"], [["ielts", "toefl"]], True),
    (["How much can I earn in Australia?"], [["45,000"]], True),
    (["What is the salary in Germany?"], [["28,000"]], True),
    (["What about Latin America salaries?"], [["10,000"]], True),
    (["Tell me about the senior level"], [["3-6", "complex", "autonomy"]], True),
    (["How do I become a lead LTA?"], [["6-10", "leadership", "lead"]], True),
    (["Is this job physically demanding?"], [["lifting", "heavy", "standing", "physically demanding"]], True),
    (["How is an LTA different from a librarian?"], [["master"]], True),
    (["Will AI replace LTAs?"], [["automation", "artificial intelligence", "generative ai", "routine"]], True),
    (["Can you write me a poem about cats?"], [], False),
    (["How much do nurses make?"], [], False),
    (["Write a python function to sort a list"], [], False),
    (["What's the weather like today?"], [], False),
    (["What are the working hours?"], [["business hours", "evening", "weekend"]], True),
    (["how many jobs open up each year?"], [["10,100"]], True),
    (["What is the LSSC?"], [["library support staff certification"]], True),
    (["I have customer service experience, how fast can I get hired?"], [["3-6 months"]], True),
    (["What benefits do LTAs get?"], [["health insurance", "retirement"]], True),
    (["what do senior LTAs earn?"], [["45k"]], True),
    (["Who won the world cup?"], [], False),
    (["What is the job outlook?", "what about in Canada?"], [["35,000", "international", "canada"]], True),
    (["Is an associate degree worth it compared with a bachelor's?"], [["return on investment", "cost"]], True),
    (["What is MARC21?"], [["marc21"]], True),
    (["Do LTAs need a master's degree?"], [["not"]], True),
    (["How long is an associate's degree?"], [["two years", "1-2 years"]], True),
    (["What's the salary in Canada?"], [["35,000"]], True),
    (["Is the job stable?"], [["stable"]], True),
    (["What are the education options?"], [["associate"], ["lssc", "certificate", "certification"]], True),
    (["What percentage growth is projected?"], [["1%"]], True),
    (["How many hours of volunteering should I do?"], [["100-200"]], True),
    (["What does a digital collections management specialist do?"], [["digital"]], True),
    (["What certifications help?"], [["lssc", "library support staff certification"]], True),
    (["What is the average salary for a senior LTA?"], [["48k"]], True),
    (["What's the median pay for lead LTAs?"], [["52k"]], True),
    (["Which countries require a job offer for a visa?"], [["canada", "australia", "uk"]], True),
    (["How long do visas take?"], [["few months", "over a year"]], True),
    (["What are the top industries for LTAs?"], [["local government"]], True),
    (["What are the emerging specializations?"], [["digital collections", "makerspace", "accessibility"]], True),
    (["How much do entry level LTAs make?"], [["30,000", "38k"]], True),
    (["Tell me about working in Japan"], [["japan"]], True),
    (["What's the work environment like?"], [["quiet", "public", "academic"]], True),
    (["What skills do I need for senior roles?"], [["metadata", "preservation"]], True),
    (["What is the best way to get experience?"], [["volunteer", "intern"]], True),
    (["What are the salaries in Asia?"], [["45,000", "3,000,000"]], True),
    (["Can I get a job with just a high school diploma?"], [["high school"]], True),
    (["How do I move up to senior?"], [["senior"]], True),
    (["Where do LTAs usually work?"], [["public", "academic", "school"]], True),
    (["What's the job market like in 2025?"], [["competition", "stable", "budget"]], True),
    (["How much does an online certificate cost?", "how long does it take?"], [["6 to 12 months", "6-12 months"]], True),
    (["what do LTAs earn in Germany?", "and Japan?"], [["3,000,000"]], True),
    (["Tell me about the lead level", "how much do they earn?"], [["52k", "55k"]], True),
    # The last answer gave the years in passing; now they are the question, so they are said again.
    (["tell me about the senior level", "how many years of experience is that?"], [["3-6 years"]], True),
    (["Recommend a good movie"], [], False),
    (["How do I become a doctor?"], [], False),
    (["What are the career levels?"], [["senior"], ["lead"]], True),
    (["list the specializations"], [["makerspace"]], True),
    # What is needed is what is asked about, not the setting the person names.
    (["do you need a masters to get a job at a library"], [["master's degree"], ["misconception"]], True),
    (["cheapest way to get qualified?"], [["$500"]], True),
    # A story's own question is what is answered, not how people with that past get in.
    (["I've been a barista for six years and I'm tired of 5am starts. Books are my happy place. "
      "What's the pay like for an LTA?"], [["38,400"]], True),
    # "rough on my body" asks of the job's physical demands.
    (["would this job be rough on my body?"], [["physically demanding"]], True),
    # "it" in the question is what the message named before it.
    (["robots, automation, all of it... will it wipe out this job?"], [["automation"]], True),
    # A count ("zero", "two") is no topic the guide must know.
    (["any chance of being hired with zero experience?"], [], True),
    (["how much does a librarian earn"], [], False),
    # The word typed now says which section of the page: not the page's introduction, not the pros again.
    (["pros of working as an LTA?", "what about the cons"], [["repetitive"]], True),
    (["what are the pros of being an LTA?", "and the cons?"], [["repetitive"]], True),
    # A section headed with the things asked that lists none ("Risk and reward of emerging
    # specializations") comes after the page's list of them; its items can then be pointed at.
    (["what emerging specializations are there for LTAs?", "the second one sounds good, tell me more"],
     [["Integrated Library Systems Support Technician"]], True),
    # "how long" asks a figure: "specialties" (the guide's "specializations", a list word) asks no list.
    (["how long till the emerging specialties in library work go mainstream"], [["five to ten years"]], True),
    # The pay asked in a follow-up's own sentence is a figure asked, though the question it leans on
    # ("can you walk me through ...") asks none.
    (["can you walk me through the career ladder for library technical assistants",
     "what about the senior level? what does that pay"],
     [["45k"]], True),
    # "how come?" asks the reason for what was just said: the sentence giving it, said again.
    (["are lta jobs safe in a recession", "how come?"], [["vital community resources"]], True),
    # What a step is about, asked of that step ("Step 4: Learn library software"): that step, not the
    # list of all six.
    (["never used library software before, what systems should I learn first?"], [["Koha"]], True),
    # Two kinds of figure weighed at once: each side's cost and its duration.
    (["online certificate vs associate's degree for lta work - which is cheaper and faster?"],
     [["$500"], ["6-12 months", "6 to 12 months"], ["$6,000"], ["two years", "1-2 years"]], True),
    # A word or two that the section just given speaks of, asked next, is asked of that section,
    # though another section speaks of it more (the makerspace one, of "technology").
    (["what does an accessibility services technical assistant do", "what sort of technology?"],
     [["widen access"]], True),
]


@pytest.fixture(scope="module")
def coach():
    return Services.build(load_settings({"database_url": "sqlite://"})).coach


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\s*[-\u2013]\s*", "-", text.lower()))


@pytest.mark.parametrize("turns, facts, in_scope", CASES, ids=[c[0][-1][:40] for c in CASES])
def test_question_gets_the_facts(coach, turns, facts, in_scope):
    # As the chat API asks them: with the conversation's history and state (the list just given).
    *_, (answer, _) = converse(coach, turns)
    assert answer.in_scope is in_scope
    assert bool(answer.citations) is in_scope
    text = norm(answer.text)
    for group in facts:
        assert any(norm(alt) in text for alt in group), (group, answer.text)


def test_a_close_second_passage_joins_the_answer(coach):
    # What shapes the job market leads (urban areas); the close second says where the openings are.
    answer = final_answer(coach.respond("would big city libraries have more lta jobs?", []).events)
    assert "urban areas" in answer.text and "metropolitan areas often have more openings" in answer.text
    assert len({c.passage.id for c in answer.citations}) == 2


def test_this_field_means_the_career_not_the_word_field(coach):
    # The related careers are each "a growing field"; the question asks of the career itself.
    answer = final_answer(coach.respond("will this field grow?", []).events)
    assert answer.citations and "job-market" in answer.citations[0].passage.id


def test_a_question_for_names_does_not_take_a_list_that_names_nothing(coach):
    # The duties list is close in words ("systems", "software"); the systems are named elsewhere.
    text = final_answer(coach.respond("which software systems do ltas work with?", []).events).text
    assert "Koha" in text and "Cataloging:" not in text


def test_a_list_item_pointed_at_is_no_pros_and_cons_question(coach):
    # The first soft skill's sentence says "cataloging, shelving and data entry": pointed at as
    # "the first one", its words are no "X and Y" asking for two sections' lists.
    *_, (answer, _) = converse(coach, ["which soft skills should i work on", "how come the first one is needed"])
    assert "Attention to Detail" in answer.text and "Interlibrary" not in answer.text


def test_a_section_headed_with_what_was_asked_gives_its_list_of_figures(coach):
    # "Salary by experience level" lists a figure per level: asked for pay by level, that list is the answer.
    text = final_answer(coach.respond("ltas salary by experience level pls", []).events).text
    assert text.startswith("- ") and all(figure in text for figure in ("$38k", "$45k", "$52k"))


@pytest.mark.parametrize("question, plain_no", [
    ("does an lta need a bachelors", True),  # "A four-year bachelor's degree is not typically required"
    ("do i need a degree?", False),  # ... which says nothing of degrees in general
])
def test_a_plain_no_leads_only_when_the_sentence_says_the_very_thing_is_not_needed(coach, question, plain_no):
    text = final_answer(coach.respond(question, []).events).text
    assert text.startswith("No. ") is plain_no
    assert "bachelor" in text.lower()


@pytest.mark.parametrize("question", ["would my job pay for my classes if i go back to school?",
                                      "do employers ever cover tuition for ltas",
                                      "does the library pay for lta staff to go back to school"])
def test_an_employer_paying_for_study_is_tuition_reimbursement(coach, question):
    assert "tuition reimbursement" in final_answer(coach.respond(question, []).events).text


@pytest.mark.parametrize("typed, sides", [
    ("in canada, hospital or retail pay?", ("hospital", "retail")),  # a comma ends a side
    ("who takes home more, a school nurse or a midwife", ("school nurse", "midwife")),
    ("$20k or $30k", None),
])
def test_the_sides_of_a_comparison_are_the_phrases_next_to_or(coach, typed, sides):
    assert coach.extractive._sides(typed) == sides


def test_no_fixed_reply_breaks_a_sentence_across_lines(coach):
    # A line break inside a sentence shows as one wherever the reply is read as plain text.
    for kind, text in coach.replies.items():
        if isinstance(text, str):
            for line in text.strip().splitlines():
                assert not line.strip() or line.startswith("- ") or line.rstrip()[-1] in ".!?:", (kind, line)


@pytest.mark.parametrize("turns, fact", [
    (["how do I become an LTA?", "how many volunteer hours do I need?"], "100-200"),
    (["what does an accessibility services technical assistant do", "which standards do they use?"], "ADA"),
])
def test_a_followup_answered_by_the_last_answer_says_that_part_not_all_of_it_again(coach, turns, fact):
    # Everything that answers the follow-up was just said: the sentences saying what was typed now, alone.
    (first, _), (second, _) = converse(coach, turns)
    assert fact in second.text
    first_sentences = {s for s in re.split(r"(?<=\.)\s+|\n+", re.sub(r"\s*\[\d+\]", "", first.text)) if s}
    second_sentences = {s for s in re.split(r"(?<=\.)\s+|\n+", re.sub(r"\s*\[\d+\]", "", second.text)) if s}
    assert len(second_sentences) < len(first_sentences)


@pytest.mark.parametrize("question, first_states", [
    ("whats the price of an associate's degree for this?", r"\$\d"),
    ("how long do online certificates last before you finish?", r"\d+ to \d+ months"),
])
def test_a_question_of_an_amount_opens_on_the_sentence_stating_it(coach, question, first_states):
    # The section says other things first ("Employers often prefer ..."); the figure asked leads.
    answer = final_answer(coach.respond(question, []).events)
    first_sentence = re.split(r"(?<=\.)\s+", answer.text)[0]
    assert re.search(first_states, first_sentence), answer.text
