"""The guard: what a model says must be in the passages it cites."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coachbot.engines.base import Citation
from coachbot.engines.guard import Guard, figures
from coachbot.knowledge import KnowledgeBase

KNOWLEDGE = Path(__file__).parents[1] / "knowledge"
# The evaluator's figure rule, copied: the guard must be at least this strict.
EVAL_FIGURE = re.compile(r"\d[\d,.]*\d%?|\d%?")


@pytest.fixture(scope="module")
def passages():
    return {p.id: p for p in KnowledgeBase.from_dir(KNOWLEDGE).passages}


@pytest.fixture(scope="module")
def guard(passages):
    return Guard.for_passages(list(passages.values()))


@pytest.fixture(scope="module")
def sources(passages):
    return [Citation(1, passages["salary-outlook#key-salary-figures"], ""),
            Citation(2, passages["salary-outlook#salary-by-experience-level"], ""),
            Citation(3, passages["tools-technologies#integrated-library-systems-ils"], "")]


def eval_figures(text: str) -> set[str]:
    return {m.group(0).rstrip(".,") for m in EVAL_FIGURE.finditer(re.sub(r"\[\d+\]", " ", text))}


def test_supported_answer_is_kept(guard, sources):
    verdict = guard.check("The median salary is $38,400 [1]. Lead LTAs average $55k [2].", sources)
    assert verdict.outcome == "kept" and verdict.reasons == []
    assert verdict.text == "The median salary is $38,400. [1] Lead LTAs average $55k. [2]"
    assert [c.passage.id for c in verdict.citations] == [sources[0].passage.id, sources[1].passage.id]


def test_figure_must_be_in_the_cited_passage_not_just_any(guard, sources):
    # $45k is a real figure of the guide, but passage [1] does not state it.
    verdict = guard.check("The median salary is $38,400 [1]. Seniors make $45k [1]. Leads make $52k [2].", sources)
    assert verdict.outcome == "repaired" and verdict.reasons == ["figure"]
    assert "45k" not in verdict.text and "$52k" in verdict.text


def test_invented_name_is_dropped(guard, sources):
    verdict = guard.check("The median salary is $38,400 [1]. Libraries in Ohio use Koha [3]. "
                          "Many libraries use Koha [3].", sources)
    assert verdict.outcome == "repaired" and "name" in verdict.reasons
    assert "Ohio" not in verdict.text and "Many libraries use Koha. [2]" in verdict.text


def test_citations_are_renumbered_in_order_of_use(guard, sources):
    verdict = guard.check("Common systems include Koha [3]. The median salary is $38,400 [1].", sources)
    assert re.findall(r"\[(\d+)\]", verdict.text) == ["1", "2"]
    assert [(c.n, c.passage.id) for c in verdict.citations] == [(1, sources[2].passage.id),
                                                                (2, sources[0].passage.id)]


def test_marker_without_a_source_is_removed(guard, sources):
    verdict = guard.check("The median salary is $38,400 [1] [7].", sources)
    assert verdict.outcome == "repaired" and "bad_citation" in verdict.reasons
    assert verdict.text == "The median salary is $38,400. [1]"


def test_marker_styles_are_normalised(guard, sources):
    verdict = guard.check("The median salary is $38,400 [Source 1]. Leads average $55k [1, 2].", sources)
    assert verdict.text == "The median salary is $38,400. [1] Leads average $55k. [1] [2]"


def test_too_little_left_means_replacement(guard, sources):
    verdict = guard.check("Pay is $38,400 [1]. In Texas it is $61,000 and in Ohio $58,250, with bonuses of "
                          "12% for night shifts [1].", sources)
    assert verdict.outcome == "replaced" and verdict.text == "" and verdict.citations == []


def test_uncited_answer_gets_the_sources_it_used(guard, sources):
    verdict = guard.check("The median salary is $38,400 USD. A lead LTA averages $55k USD.", sources)
    assert verdict.outcome == "repaired" and "no_citation" in verdict.reasons
    assert verdict.text == "The median salary is $38,400 USD. [1] A lead LTA averages $55k USD. [2]"


def test_uncited_answer_that_matches_no_source_is_replaced(guard, sources):
    assert guard.check("I am not sure, but it depends on many things.", sources).outcome == "replaced"


def test_truncated_last_sentence_is_dropped(guard, sources):
    verdict = guard.check("The median salary is $38,400 [1]. Entry-level salaries typically range from $30,000 "
                          "to $45,000 a year [1]. Lead LTAs earn a median of", sources, truncated=True)
    assert verdict.outcome == "repaired" and verdict.reasons == ["truncated"]
    assert verdict.text.endswith("a year. [1]")


def test_repetition_is_said_once(guard, sources):
    verdict = guard.check("The median salary is $38,400 [1]. The median salary is $38,400 [1]. "
                          "The median salary is $38,400 [1].", sources)
    assert verdict.outcome == "repaired" and verdict.text == "The median salary is $38,400. [1]"


def test_numbered_list_becomes_bullets_so_list_numbers_are_not_figures(guard, sources):
    answer = "Salaries by level:\n\n1. Senior: $45k median [2]\n2. Lead: $52k median [2]\n7. Manager: $88k [2]"
    verdict = guard.check(answer, sources)
    assert verdict.text == "Salaries by level:\n\n- Senior: $45k median [1]\n- Lead: $52k median [1]"


def test_counts_in_words_are_figures(guard, sources):
    verdict = guard.check("The median salary is $38,400 [1]. There are seven levels of pay [2].", sources)
    assert "seven" not in verdict.text and "figure" in verdict.reasons


def test_uncited_sentence_leans_on_the_next_cited_one(guard, sources):
    verdict = guard.check("Pay grows with experience. A lead LTA averages $55k [2].", sources)
    assert verdict.outcome == "kept"
    verdict = guard.check("Leads average $99k. A lead LTA averages $55k [2].", sources)
    assert "99k" not in verdict.text


def test_quotes_show_the_backing_sentence(guard, sources):
    verdict = guard.check("Lead LTAs average $55k [2].", sources)
    assert "$55k" in verdict.citations[0].quote


# Sentences made of real passage text, and invented figures and names mixed in.
FACTS = ["The median salary is $38,400 [1].", "Salaries range from about $28k to $55k+ [1].",
         "Senior LTAs have a median of $45k [2].", "Common systems include Koha and Alma [3].",
         "Entry-level pay typically ranges from $30,000 to $45,000 [1]."]
INVENTIONS = ["In Ohio pay is $61,500 [1].", "About 12% work remotely [2].", "Seniors earn $45k [1].",
              "Gates Library pays well [3].", "Most use Sierra [2].", "It takes 7 years [9]."]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(FACTS + INVENTIONS), min_size=1, max_size=6))
def test_no_figure_survives_that_its_citations_do_not_state(guard, sources, sentences):
    verdict = guard.check(" ".join(sentences), sources)
    if verdict.replaced:
        return
    cited_text = " ".join(f"{c.passage.heading} {c.passage.text}" for c in verdict.citations)
    assert eval_figures(verdict.text) <= eval_figures(cited_text)
    assert figures(verdict.text) == eval_figures(verdict.text)
    assert {int(n) for n in re.findall(r"\[(\d+)\]", verdict.text)} == {c.n for c in verdict.citations}
    for bad in ("Ohio", "61,500", "12%", "Gates", "Sierra", "7 years"):
        assert bad not in verdict.text


def test_source_titles_alone_are_not_an_answer(guard, sources):
    title = sources[2].passage.title
    verdict = guard.check(f"The sources are:\n\n- {title} [3]\n- {sources[0].passage.title} [1]", sources)
    assert verdict.replaced and {"title", "dangling"} <= set(verdict.reasons)


def test_a_lead_in_with_nothing_after_it_is_dropped(guard, sources):
    verdict = guard.check("The answer to the question is: [1].", sources)
    assert verdict.replaced and "dangling" in verdict.reasons


def test_a_sentence_that_stops_midway_is_dropped(guard, sources):
    verdict = guard.check("The median salary for a Library Technical Assistant is $38,400 USD [1]. "
                          "The lead level is [2].", sources)
    assert verdict.outcome == "repaired" and verdict.reasons == ["unfinished"]
    assert verdict.text == "The median salary for a Library Technical Assistant is $38,400 USD. [1]"


def test_form_checks_apply_to_an_uncited_answer_too(guard, sources):
    title = sources[1].passage.title
    verdict = guard.check(f"The median salary for a Library Technical Assistant is $38,400 USD, according to the "
                          f"BLS for May 2023.\n{title}\nA Lead Library Technical Assistant has a US median of "
                          "$52k USD and a US average of $55k USD.\nRaises are rare without", sources)
    assert verdict.text == ("The median salary for a Library Technical Assistant is $38,400 USD, according to the "
                            "BLS for May 2023. [1]\nA Lead Library Technical Assistant has a US median of $52k USD "
                            "and a US average of $55k USD. [2]")
    assert {"title", "unfinished", "no_citation"} <= set(verdict.reasons)


# -- claims without figures ---------------------------------------------------------------

@pytest.fixture(scope="module")
def cite(passages):
    def make(*ids):
        return [Citation(n, passages[i], "") for n, i in enumerate(ids, 1)]
    return make


def test_issue_example_majority_claim_is_dropped(guard, cite):
    sources = cite("global#salaries-in-north-america-united-states-and-canada")
    text = ("LTAs in North America typically earn between $30,000 and $50,000 USD a year. [1] "
            "LTA salaries in the United States range from $32,000-$48,000, and in Canada from $35,000-$50,000 CAD. [1] "
            "The LTA's make a significant amount of money, with the majority coming from remote work "
            "and salaries in North America. [1]")
    verdict = guard.check(text, sources)
    assert "majority" not in verdict.text and "$30,000" in verdict.text
    assert verdict.reasons == ["relation"]


@pytest.mark.parametrize("claim, reason", [
    ("Library Technical Assistants work only in public libraries.", "relation"),
    ("Library Technical Assistants never work weekends.", "relation"),
    ("Most Library Technical Assistants work in hospitals and law firms.", "relation"),
    ("Library Technical Assistants earn more than librarians.", "comparison"),
    ("An LTA job is cheaper to train for than nursing.", "comparison"),
    ("Library Technical Assistants do not need patience with patrons.", "negation"),
    ("Library Technical Assistants mostly write software for hospitals and banks.", "relation"),
    ("Library Technical Assistants design buildings, negotiate contracts and audit budgets.", "claim"),
])
def test_unsupported_claims_without_figures_are_dropped(guard, cite, claim, reason):
    sources = cite("work-environment#library-settings-where-ltas-work")
    kept = "Library Technical Assistants typically work in public, academic, school and specialized libraries."
    verdict = guard.check(f"{kept} [1] {claim} [1]", sources)
    assert verdict.reasons == [reason] and claim.rstrip(".") not in verdict.text and kept.rstrip(".") in verdict.text


@pytest.mark.parametrize("paraphrase", [
    "LTAs work in public, academic, school and specialized libraries.",
    "You could work in a public, academic, school or specialized library.",
])
def test_faithful_paraphrase_is_kept(guard, cite, paraphrase):
    verdict = guard.check(f"{paraphrase} [1]", cite("work-environment#library-settings-where-ltas-work"))
    assert verdict.outcome == "kept", verdict.reasons


def test_relation_the_passage_states_is_kept(guard, cite):
    verdict = guard.check("Remote work is limited for the hands-on LTA role. [1]",
                          cite("faq#what-is-the-work-life-balance-like-for-a-library-technical-assistant-and-can-a-"
                               "library-technical-assistant-work-remotely"))
    assert verdict.outcome == "kept", verdict.reasons


def test_sentence_supported_by_another_passage_than_the_one_cited_is_dropped(guard, cite):
    sources = cite("salary-outlook#key-salary-figures", "tools-technologies#cataloging-and-interlibrary-loan-tools")
    verdict = guard.check("LTAs use OCLC Connexion to create and edit catalog records. [1] "
                          "LTAs use OCLC Connexion to create and edit catalog records as well. [2]", sources)
    assert verdict.reasons == ["name"] and verdict.text.count("Connexion") == 1


# -- prompt leaks -------------------------------------------------------------------------

@pytest.mark.parametrize("tail", ["\nQuestion: what else?", " <|im_end|>", "\nSources:\n[1] Salary", "\nAnswer: more",
                                  "<|im_start|>assistant", "\nUser: and then?"])
def test_prompt_and_role_markers_cut_the_answer(guard, sources, tail):
    verdict = guard.check(f"The median salary is $38,400 [1].{tail} Lead LTAs average $55k [2].", sources)
    assert verdict.text == "The median salary is $38,400. [1]" and "leak" in verdict.reasons


def test_opening_label_is_not_a_leak(guard, sources):
    verdict = guard.check("Answer: The median salary is $38,400 [1].", sources)
    assert verdict.text == "The median salary is $38,400. [1]" and verdict.reasons == []


# -- the labelled set ---------------------------------------------------------------------

def test_checker_on_hand_labelled_model_answers():
    import sys
    sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
    from claim_checker import judge, scores
    result = scores(judge())
    assert result["sentences"] >= 90 and result["unsupported"] >= 40
    # Measured: precision 0.90, recall 0.74. A change to the checker must not make it worse.
    assert result["precision"] >= 0.88 and result["recall"] >= 0.72, result
