"""The development questions are for measuring, never for answering: no line of them may appear in
the code, the knowledge or the prompts (a rule or an answer shaped to a known question)."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEARCHED = ["coachbot", "knowledge", "prompts"]


def _eval_dir() -> Path:
    """The development questions sit in shared/eval beside the checkout, or, for a clone made
    elsewhere (a clean CI clone), beside the local repository it was cloned from."""
    places = [ROOT.parent]
    origin = subprocess.run(["git", "-C", str(ROOT), "remote", "get-url", "origin"],
                            capture_output=True, text=True).stdout.strip()
    if origin and Path(origin).is_dir():
        places.append(Path(origin).resolve().parent)
    found = [p / "shared" / "eval" for p in places if (p / "shared" / "eval").is_dir()]
    return found[0] if found else places[0] / "shared" / "eval"


EVAL_DIR = _eval_dir()


def _eval_lines() -> list[str]:
    lines = []
    for path in sorted(EVAL_DIR.glob("*.jsonl")):
        for raw in path.read_text(encoding="utf-8").splitlines():
            if raw.strip():
                lines += [turn for turn in json.loads(raw).get("turns", [])]
    return lines


def _normalised(text: str) -> str:
    return " ".join(text.lower().replace("\u2019", "'").split())


def test_no_development_question_is_in_the_code_knowledge_or_prompts():
    questions = [q for q in _eval_lines() if len(q.split()) >= 3]
    if not questions:
        pytest.fail(f"no development questions found in {EVAL_DIR}")
    corpus = {path: _normalised(path.read_text(encoding="utf-8", errors="ignore"))
              for folder in SEARCHED for path in (ROOT / folder).rglob("*")
              if path.is_file() and path.suffix in {".py", ".md", ".yaml", ".j2", ".js", ".html", ".txt"}}
    found = [(q, str(path.relative_to(ROOT))) for q in questions for path, text in corpus.items()
             if _normalised(q).rstrip("?.! ") in text]
    assert not found, found
