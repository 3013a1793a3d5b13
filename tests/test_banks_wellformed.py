"""Every question bank in tests/banks/ is well formed and grounded in its guide.

A bank is JSON Lines in the evaluator's case format: {"id", "turns", "facts", "scope",
"kind"}. An in-scope fact is only fair if the guide states it, so each fact group must
have an alternative in the bank's guide text, compared the way the evaluator compares
answers (lower case, dashes and spaces normalised); banks on the real guide use only the
guide's own wordings for every alternative. A figure may be written in
another common form than the guide's ("38400" or "38.4k" for "$38,400", "28,000" for
"$28k"), so figures are compared by value.

The guide of tests/banks/<name>.jsonl is tests/fixtures/guides/<name>/ when that folder
exists, otherwise the real knowledge/ folder.
"""
from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest

from coachbot.evaluation import norm

ROOT = Path(__file__).parents[1]
BANKS = sorted((ROOT / "tests" / "banks").glob("*.jsonl"))
FIXTURE_GUIDES = ROOT / "tests" / "fixtures" / "guides"
KNOWLEDGE = ROOT / "knowledge"
FIELDS = {"id", "turns", "facts", "scope", "kind"}
# A figure: 38,400 / 38400 / 38.4 / 28k. The trailing k is a thousand, not a word's start.
FIGURE = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(k(?![a-z]))?")


def _figure_value(match: re.Match) -> str:
    value = float(match.group(1).replace(",", "")) * (1000 if match.group(2) else 1)
    return str(int(value)) if value.is_integer() else str(value)


def canonical(text: str) -> str:
    """Normalised text with every figure written as its plain value (38.4k -> 38400)."""
    return FIGURE.sub(_figure_value, norm(text))


def guide_dir(bank: Path) -> Path:
    fixture = FIXTURE_GUIDES / bank.stem
    return fixture if fixture.is_dir() else KNOWLEDGE


@cache
def guide_text(folder: Path) -> tuple[str, str]:
    raw = "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.md")))
    return norm(raw), canonical(raw)


def load(bank: Path) -> list[dict]:
    cases = []
    for number, line in enumerate(bank.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            case = json.loads(line)
            assert isinstance(case, dict), f"{bank.name}:{number} is not a JSON object"
            cases.append(case)
    return cases


def grounded(alternative: str, folder: Path) -> bool:
    plain, figures = guide_text(folder)
    return norm(alternative) in plain or canonical(alternative) in figures


def test_there_are_banks():
    assert BANKS, "tests/banks/ holds no .jsonl bank"


@pytest.mark.parametrize("bank", BANKS, ids=lambda p: p.name)
def test_cases_have_the_evaluator_shape(bank):
    for case in load(bank):
        where = f"{bank.name} {case.get('id')}"
        assert set(case) <= FIELDS, f"{where}: unknown fields {set(case) - FIELDS}"
        assert isinstance(case.get("id"), str) and case["id"].strip(), where
        assert case.get("scope") in ("in", "out"), f"{where}: scope must be 'in' or 'out'"
        assert isinstance(case.get("kind"), str) and case["kind"].strip(), f"{where}: no kind"
        turns = case.get("turns")
        assert isinstance(turns, list) and turns, f"{where}: turns must be a non-empty list"
        assert all(isinstance(t, str) and t.strip() for t in turns), f"{where}: empty turn"
        facts = case.get("facts")
        assert isinstance(facts, list), f"{where}: facts must be a list"
        if case["scope"] == "out":
            assert facts == [], f"{where}: an out-of-scope case has no facts"
            continue
        assert facts, f"{where}: an in-scope case needs at least one fact group"
        for group in facts:
            assert isinstance(group, list) and group, f"{where}: empty fact group"
            assert all(isinstance(a, str) and a.strip() for a in group), f"{where}: empty fact"


def test_ids_are_unique_across_banks():
    seen: dict[str, str] = {}
    for bank in BANKS:
        for case in load(bank):
            assert case["id"] not in seen, f"{case['id']} is in {seen.get(case['id'])} and {bank.name}"
            seen[case["id"]] = bank.name


def ungrounded_facts(bank: Path, every_alternative: bool) -> list[str]:
    """Fact groups (or, strictly, single alternatives) the bank's guide never states."""
    folder = guide_dir(bank)
    missing = []
    for case in load(bank):
        for group in case["facts"] if case.get("scope") == "in" else []:
            found = [grounded(alternative, folder) for alternative in group]
            if every_alternative:
                missing += [f"{case['id']}: {a!r}" for a, ok in zip(group, found, strict=True) if not ok]
            elif not any(found):
                missing.append(f"{case['id']}: {group!r}")
    return missing


@pytest.mark.parametrize("bank", BANKS, ids=lambda p: p.name)
def test_every_fact_group_is_stated_by_the_guide(bank):
    missing = ungrounded_facts(bank, every_alternative=False)
    assert not missing, f"{bank.name}: fact groups the guide never states:\n" + "\n".join(missing)


@pytest.mark.parametrize("bank", [b for b in BANKS if guide_dir(b) == KNOWLEDGE], ids=lambda p: p.name)
def test_real_guide_banks_use_only_the_guides_own_wordings(bank):
    """Banks on the real guide: each alternative is a wording the guide itself uses."""
    missing = ungrounded_facts(bank, every_alternative=True)
    assert not missing, f"{bank.name}: alternatives the guide never states:\n" + "\n".join(missing)


def test_figure_forms_compare_by_value():
    assert canonical("about $38,400 USD") == canonical("about $38400 usd")
    assert canonical("38.4k") == "38400"
    assert canonical("$28k - $55k+") == "$28000-$55000+"
    assert canonical("3d printers and koha") == "3d printers and koha"


def test_the_lta_in_scope_bank_has_its_planned_size():
    """The LTA bank: 430+ cases, 70+ multi-turn, 25+ answered by a broader figure."""
    cases = load(ROOT / "tests" / "banks" / "lta_in_scope.jsonl")
    assert len(cases) >= 430
    assert all(c["scope"] == "in" and c["id"].startswith("in-") for c in cases)
    assert sum(len(c["turns"]) > 1 for c in cases) >= 70
    assert sum(c["kind"] == "broader" for c in cases) >= 25
