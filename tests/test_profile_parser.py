"""The rule-based understanding of what people say about themselves."""
from __future__ import annotations

from pathlib import Path

import pytest

from coachbot.coaching.pathway import Pathway
from coachbot.coaching.profile import understand
from coachbot.coaching.profile_parser import ProfileParser
from coachbot.knowledge import KnowledgeBase

KNOWLEDGE_DIR = Path(__file__).parents[1] / "knowledge"


@pytest.fixture(scope="module")
def parser():
    pathway = Pathway.from_file(KNOWLEDGE_DIR / "pathway.yaml", KnowledgeBase.from_dir(KNOWLEDGE_DIR))
    return ProfileParser(pathway.names())


@pytest.mark.parametrize(("text", "level", "library", "label"), [
    ("no diploma", "none", False, "no high school diploma"),
    ("I dropped out of high school", "none", False, "no high school diploma"),
    ("no high school diploma", "none", False, "no high school diploma"),
    ("GED", "high_school", False, "GED"),
    ("high school diploma", "high_school", False, "high school diploma"),
    ("I don't have a degree", "high_school", False, "no college degree"),
    ("some college", "high_school", False, "some college"),
    ("I have the LSSC", "certificate", True, "Library Support Staff Certification (LSSC)"),
    ("a certificate in library technology", "certificate", True, "certificate in library technology"),
    ("Associate's degree in Library Technology", "associate", True, "associate's degree in Library Technology"),
    ("associates in business", "associate", False, "associate's degree in business"),
    ("BA in History", "bachelor", False, "bachelor's degree"),
    ("bachelor's degree in library and information science", "bachelor", True,
     "bachelor's degree in library and information science"),
    ("master's degree in English", "master", False, "master's degree in English"),
    ("I have an MLIS", "master", True, "MLIS"),
    ("GED and later an associate's degree", "associate", False, "associate's degree"),
])
def test_education_levels(parser, text, level, library, label):
    education = parser.education(text)
    assert (education.level, education.library, education.label) == (level, library, label)


def test_a_sales_associate_is_a_job_not_a_degree(parser):
    assert parser.education("I worked as a sales associate") is None
    items, _ = parser.experience("I worked as a sales associate for 2 years")
    assert [(i.years, i.kinds) for i in items] == [(2.0, ("retail",))]


@pytest.mark.parametrize(("text", "expected"), [
    ("three years in retail", [(3.0, ("retail",), "3 years retail")]),
    ("3 years as a barista", [(3.0, ("customer_service",), "3 years barista")]),
    ("4 years as a library technical assistant", [(4.0, ("library",), "4 years library technical assistant")]),
    ("I volunteered at the library for six months", [(0.5, ("library_volunteer",), "6 months library volunteering")]),
    ("a decade of office administration", [(10.0, ("admin",), "1 decade office")]),
    ("5 years in IT support and 2 years of data entry",
     [(5.0, ("it",), "5 years IT support"), (2.0, ("data_entry",), "2 years data entry")]),
    ("3 years in retail, mostly as a cashier", [(3.0, ("retail",), "3 years retail")]),
    ("I'm 25 years old and work in IT support", [(None, ("it",), "IT support")]),
    ("twelve years teaching", [(12.0, ("teaching",), "12 years teaching")]),
])
def test_experience_years_and_kinds(parser, text, expected):
    items, none = parser.experience(text)
    assert [(i.years, i.kinds, i.text) for i in items] == expected and not none


@pytest.mark.parametrize("text", ["none", "none yet", "no experience", "I have never worked", "N/A"])
def test_no_experience(parser, text):
    items, none = parser.experience(text)
    assert items == [] and none


@pytest.mark.parametrize(("text", "label", "region"), [
    ("Ohio, USA", "Ohio, USA", "us"),
    ("Columbus, OH", "Ohio, USA", "us"),
    ("I live in Texas", "Texas, USA", "us"),
    ("Toronto", "Toronto, Canada", "canada"),
    ("Manchester, England", "Manchester, UK", "uk"),
    ("Munich", "Munich, Germany", "germany"),
    ("Paris, France", "Paris", "western_europe"),
    ("I live in Spain", "Spain", "western_europe"),
    ("New South Wales", "New South Wales, Australia", "australia"),
    ("Osaka", "Osaka, Japan", "japan"),
    ("São Paulo, Brazil", "São Paulo", "latin_america"),
    ("Latin America", "Latin America", "latin_america"),
    ("Singapore", "Singapore", "asia_pacific"),
])
def test_places_map_to_the_guides_regions(parser, text, label, region):
    place = parser.place(text)
    assert (place.label, place.region) == (label, region)


@pytest.mark.parametrize("text", ["Nairobi, Kenya", "I love American literature", "the library"])
def test_places_the_guide_does_not_cover(parser, text):
    assert parser.place(text) is None


@pytest.mark.parametrize(("text", "bare", "amount"), [
    ("$1,500", False, 1500), ("1500 dollars", False, 1500), ("my budget is 800", False, 800),
    ("$2k", False, 2000), ("no money", False, 0), ("800", True, 800), ("nothing", True, 0),
    ("I have 10 hours a week", False, None), ("800", False, None),
])
def test_budgets(parser, text, bare, amount):
    assert parser.budget(text, bare=bare) == amount


@pytest.mark.parametrize(("text", "bare", "hours"), [
    ("10 hours a week", False, 10), ("ten hours per week", False, 10), ("about 15 hrs/week", False, 15),
    ("12", True, 12), ("12", False, None), ("$500", False, None),
])
def test_hours(parser, text, bare, hours):
    assert parser.hours(text, bare=bare) == hours


@pytest.mark.parametrize(("text", "library_type", "level", "specialization", "librarian"), [
    ("get hired at a public library", "public", "entry", None, False),
    ("library technical assistant at a university", "academic", None, None, False),
    ("work in a school library", "school", None, None, False),
    ("become a lead LTA", None, "lead", None, False),
    ("senior LTA in a medical library", "special", "senior", None, False),
    ("makerspace technology specialist", None, None, "makerspace", False),
    ("become a librarian", None, None, None, True),
    ("Digital Collections Management Specialist", None, None, "digital_collections", False),
])
def test_goals(parser, text, library_type, level, specialization, librarian):
    goal = parser.goal(text)
    assert (goal.library_type, goal.level, goal.specialization, goal.librarian) == (
        library_type, level, specialization, librarian)


def test_skills_named_and_negated(parser):
    assert parser.skills("I know Koha, MARC21 and Excel") == ["ils", "cataloging", "office"]
    assert parser.skills("I don't know MARC but I know Excel") == ["office"]
    assert parser.skill_words("I use Koha and Excel daily") == ["Koha", "Excel"]


def test_a_chat_statement(parser):
    said = parser.read_statement("I have a GED and three years in retail")
    assert said.education.label == "GED"
    assert [e.text for e in said.experience] == ["3 years retail"]
    assert said.goal is None and said.place is None


@pytest.mark.parametrize("text", [
    "Tell me about the LSSC", "I'm curious about library work", "What does an associate's degree cost",
    "I love books",
])
def test_talk_about_things_is_not_a_fact_about_the_person(parser, text):
    assert parser.read_statement(text).empty()


def test_a_wish_is_a_goal_not_experience(parser):
    said = parser.read_statement("I want to work in an academic library in Ohio")
    assert said.goal == "work in an academic library in Ohio"
    assert said.experience == [] and said.place.region == "us"


def test_understanding_a_profile(parser):
    u = understand({"education": "associate's degree in library technology",
                    "experience": "4 years as a library technical assistant", "location": "Ohio",
                    "goal": "become a lead LTA", "skills": ["Koha"], "budget_usd": 500}, parser)
    assert u.education.library and u.works_in_library and u.years_in("library") == 4
    assert u.goal.level == "lead" and u.place.region == "us" and u.named_skills == {"ils"}
    unknown_work = understand({"experience": "I fixed bikes"}, parser)
    assert unknown_work.experience and unknown_work.kinds == set()  # still experience, of no known kind


@pytest.mark.parametrize("text", ["I'm a high school junior", "high school student", "I'm still in high school",
                                  "in 11th grade"])
def test_a_student_has_no_diploma_yet(parser, text):
    assert parser.education(text).level == "none" and parser.education(text).label == "still in high school"


def test_only_have_a_diploma_is_stated_education(parser):
    statement = parser.read_statement("I live in Texas and I only have a high school diploma")
    assert statement.education.level == "high_school" and statement.place.label == "Texas, USA"


@pytest.mark.parametrize(("text", "technical"), [("a technical services role", True), ("technical work", True),
                                                 ("become a library technical assistant", False),
                                                 ("a public library job", False)])
def test_technical_goals(parser, text, technical):
    assert parser.goal(text).technical is technical


@pytest.mark.parametrize(("text", "within"), [("Texas", True), ("Columbus, OH", True), ("France", True),
                                              ("USA", False), ("Canada", False), ("UK", False)])
def test_a_place_within_a_region_is_told_apart_from_the_region(parser, text, within):
    assert parser.place(text).within is within


def test_years_said_after_the_work_belong_to_it(parser):
    items, _ = parser.experience("I work in retail, 4 years now")
    assert [(i.text, i.years) for i in items] == [("4 years retail", 4.0)]
