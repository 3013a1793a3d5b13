"""knowledge/pathway.yaml stays true to the guide: every cited passage exists, and every figure an
item states appears in the passages it cites (so no plan can say a number the guide does not)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from coachbot.coaching.pathway import CHECKED_KEYS, Pathway, PathwayError, cited_items, money_range, sources_of
from coachbot.knowledge import KnowledgeBase

KNOWLEDGE_DIR = Path(__file__).parents[1] / "knowledge"
FIGURE = re.compile(r"\d[\d,.]*\d%?|\d%?")  # as the evaluator counts figures: "3-6" -> 3 and 6


@pytest.fixture(scope="module")
def knowledge():
    return KnowledgeBase.from_dir(KNOWLEDGE_DIR)


@pytest.fixture(scope="module")
def data():
    return yaml.safe_load((KNOWLEDGE_DIR / "pathway.yaml").read_text(encoding="utf-8"))


def strings_of(node) -> list[str]:
    """The item's own text (not that of nested items, which cite their own passages)."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for k, v in node.items() if k not in CHECKED_KEYS and not (isinstance(v, dict) and "source" in v)
                for s in strings_of(v)]
    if isinstance(node, list):
        return [s for v in node if not (isinstance(v, dict) and "source" in v) for s in strings_of(v)]
    return []


def test_every_cited_passage_exists(knowledge, data):
    items = list(cited_items(data))
    assert len(items) > 60  # education, steps, levels, skills, regions... all cite
    missing = [(where, pid) for where, item in items for pid in sources_of(item, CHECKED_KEYS)
               if knowledge.passage(pid) is None]
    assert missing == []


def test_every_figure_appears_in_the_cited_passages(knowledge, data):
    problems = []
    for where, item in cited_items(data):
        passages = [knowledge.passage(pid) for pid in sources_of(item, CHECKED_KEYS)]
        cited_figures = {f for p in passages for f in FIGURE.findall(p.text)}
        for text in strings_of(item):
            problems += [(where, figure, text) for figure in FIGURE.findall(text) if figure not in cited_figures]
    assert problems == []


@pytest.mark.parametrize("key", ["duration", "cost"])
def test_durations_and_costs_are_quoted_as_the_passage_words_them(knowledge, data, key):
    for name, item in data["education"].items():
        if key in item and any(ch.isdigit() for ch in item[key]):
            assert item[key] in knowledge.passage(item["source"]).text, (name, item[key])


def test_the_six_steps_keep_the_guides_volunteer_hours(knowledge, data):
    volunteer = data["steps"]["volunteer"]
    assert "100-200 hours" in volunteer["hours"]
    assert "100-200 hours" in knowledge.passage(volunteer["source"]).text
    assert [k for k in data["steps"]] == ["research", "education", "volunteer", "software", "resume", "network"]


def test_levels_carry_their_years(knowledge, data):
    years = {name: data["levels"][name]["years"] for name in ("entry", "senior", "lead")}
    assert years == {"entry": "0-3 years", "senior": "3-6 years", "lead": "6-10 years"}
    for name in years:
        assert years[name].split()[0] in knowledge.passage(data["levels"][name]["source"]).heading


def test_budget_ranges_come_from_the_guides_figures(data):
    assert money_range(data["education"]["associate"]["cost"]) == (6000, 20000)
    assert money_range(data["education"]["certificate"]["cost"]) == (500, 3000)


def test_readiness_weights_add_up_and_each_part_says_why(knowledge, data):
    parts = data["readiness"]["parts"]
    assert sum(p["weight"] for p in parts.values()) == 100
    for part in parts.values():
        assert part["reason"] and knowledge.passage(part["source"]) is not None


def test_a_pathway_citing_a_missing_passage_fails_loudly(knowledge, data):
    broken = yaml.safe_load(yaml.safe_dump(data))
    broken["steps"]["research"]["source"] = "how-to-become#no-such-section"
    with pytest.raises(PathwayError, match="no-such-section"):
        Pathway(broken, knowledge)


def test_skills_named_by_backgrounds_exist(knowledge, data):
    pathway = Pathway(data, knowledge)
    for kind, background in data["backgrounds"].items():
        assert set(background["shows"]) <= set(pathway.skill_by_id), kind
