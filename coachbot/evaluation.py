"""Score question cases in-process, the way the HTTP evaluator scores a running service.

A case is one JSON object a line: {"id", "turns": [user messages], "facts": [[alternatives], ...],
"scope": "in" | "out"}. It passes when every fact group has an alternative in the last answer and
the scope is right ("in": in scope with citations; "out": neither).

Question banks are split by a fixed rule into a tuning half and a test half: the first digit of the
SHA-256 of a case's id, even or odd. Tune on the first, report the second.
"""
from __future__ import annotations

import hashlib
import json
import re
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .answers import Answer, PastTurn
from .coach import ChatContext, Coach
from .engines.base import final_answer

DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212"


def half_of(case_id: str) -> str:
    """'tune' or 'test', fixed by the case's id."""
    return "tune" if int(hashlib.sha256(case_id.encode()).hexdigest()[0], 16) % 2 == 0 else "test"


def norm(text: str) -> str:
    """The evaluator's normalisation: lower case, one kind of dash, single spaces."""
    text = text.lower()
    for dash in DASHES:
        text = text.replace(dash, "-")
    text = re.sub(r"\s*-\s*", "-", text)
    return re.sub(r"\s+", " ", text)


def load_cases(path: str | Path, half: str = "all") -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        cases = [json.loads(line) for line in fh if line.strip()]
    return [c for c in cases if half == "all" or half_of(c["id"]) == half]


@dataclass
class Result:
    case: dict
    answer: Answer
    missing: list[list[str]]
    scope_ok: bool
    seconds: float

    @property
    def passed(self) -> bool:
        return not self.missing and self.scope_ok


@dataclass
class Report:
    results: list[Result] = field(default_factory=list)

    def rate(self, scope: str | None = None) -> tuple[int, int]:
        chosen = [r for r in self.results if scope is None or r.case.get("scope", "in") == scope]
        return sum(r.passed for r in chosen), len(chosen)

    def out_of_scope_precision_recall(self) -> tuple[float, float]:
        """Of the replies that refused, how many should have; of the cases to refuse, how many did."""
        refused = [r for r in self.results if not r.answer.in_scope]
        should = [r for r in self.results if r.case.get("scope", "in") == "out"]
        right = [r for r in refused if r.case.get("scope", "in") == "out"]
        return len(right) / max(1, len(refused)), len(right) / max(1, len(should))

    def latency_ms(self) -> tuple[float, float]:
        times = sorted(r.seconds * 1000 for r in self.results)
        if not times:
            return 0.0, 0.0
        return statistics.median(times), times[min(len(times) - 1, int(0.95 * len(times)))]


def converse(coach: Coach, turns: list[str]) -> Iterator[tuple[Answer, float]]:
    """Each message asked in turn, as the chat API would (the conversation's history, state and the
    person's profile carried along): its answer and the seconds it took."""
    history: list[PastTurn] = []
    context = ChatContext()
    for turn in turns:
        start = time.perf_counter()
        reply = coach.respond(turn, history, context)
        answer = final_answer(reply.events)
        seconds = time.perf_counter() - start
        if reply.state is not None:
            context.state = reply.state
        if reply.profile is not None:
            context.profile = reply.profile
        history += [PastTurn("user", turn, reply.query), PastTurn("assistant", answer.text)]
        yield answer, seconds


def run_case(coach: Coach, case: dict) -> Result:
    answers = list(converse(coach, case["turns"]))
    assert answers, f"case {case['id']} has no turns"
    answer, seconds = answers[-1]
    text = norm(answer.text)
    missing = [group for group in case.get("facts", []) if not any(norm(alt) in text for alt in group)]
    if case.get("scope", "in") == "in":
        scope_ok = answer.in_scope and bool(answer.citations)
    else:
        scope_ok = not answer.in_scope and not answer.citations
    return Result(case, answer, missing, scope_ok, seconds)


def evaluate(coach: Coach, cases: list[dict]) -> Report:
    return Report([run_case(coach, case) for case in cases])
