"""How well the guard's sentence check finds unsupported claims, on model answers labelled by hand.

    python benchmarks/claim_checker.py [-v]

tests/fixtures/model_answers.jsonl holds sentences that SmolLM2-135M-Instruct wrote (answering
from the guide's passages), each with the passages it cites and a label given by reading
those passages: "supported" or "unsupported". The checker flags a sentence when the guard
would drop it (figure, name, claim, relation, comparison, negation). Prints precision and
recall of "unsupported", overall and for sentences without a figure.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coachbot.engines.guard import Guard, figures  # noqa: E402
from coachbot.knowledge import KnowledgeBase  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "model_answers.jsonl"


def judge(fixture: Path = FIXTURE) -> list[tuple[dict, str | None]]:
    """Each labelled sentence with the guard's reason to drop it (None: kept)."""
    passages = {p.id: p for p in KnowledgeBase.from_dir(ROOT / "knowledge").passages}
    guard = Guard.for_passages(list(passages.values()))
    rows = [json.loads(line) for line in fixture.read_text().splitlines() if line.strip()]
    return [(row, guard._unsupported(row["sentence"], [passages[p] for p in row["support"]])) for row in rows]


def scores(judged: list[tuple[dict, str | None]]) -> dict:
    flagged = [(row["label"] == "unsupported", reason is not None) for row, reason in judged]
    true_pos = sum(1 for truth, flag in flagged if truth and flag)
    return {"sentences": len(flagged), "unsupported": sum(t for t, _ in flagged),
            "flagged": sum(f for _, f in flagged), "true_positives": true_pos,
            "precision": true_pos / max(1, sum(f for _, f in flagged)),
            "recall": true_pos / max(1, sum(t for t, _ in flagged))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list the checker's mistakes")
    args = parser.parse_args()
    judged = judge()
    for name, part in (("all", judged), ("without a figure", [j for j in judged if not figures(j[0]["sentence"])])):
        s = scores(part)
        print(f"{name}: {s['sentences']} sentences, {s['unsupported']} unsupported, flagged {s['flagged']}: "
              f"precision {s['precision']:.2f}, recall {s['recall']:.2f}")
    reasons: dict[str, int] = {}
    for _, reason in judged:
        if reason:
            reasons[reason] = reasons.get(reason, 0) + 1
    print("flagged by reason:", dict(sorted(reasons.items())))
    if args.verbose:
        for row, reason in judged:
            if (row["label"] == "unsupported") != (reason is not None):
                print(f"{row['label']:>11} / {reason or 'kept':<10} {row['sentence']}")


if __name__ == "__main__":
    main()
