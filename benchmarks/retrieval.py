"""Retrieval benchmark: fact-recall@3 and speed of coachbot's index against a plain BM25 baseline.

    python benchmarks/retrieval.py [--cases ../shared/eval/dev.jsonl] [--guide ../shared/source/...txt]

Fact-recall@3: for each in-scope case, the share of its fact groups found (any alternative,
case-insensitive) in the text of the top three passages retrieved for its last turn (a follow-up
is resolved against the turn before, as the service does; the baseline gets all turns joined).
The baseline is rank_bm25's BM25Okapi over fixed-size word chunks of the raw guide.
Also prints the index build time, the built-in engine's answer time per question (p50 and p95 over
the test half of a question bank, in-process, every cache emptied before each question so each is
read as new), the slowest answer to a message of the longest allowed length (a few shapes that
once made a pattern backtrack: seconds where the questions take milliseconds) and how long
`coachbot serve` takes to answer /readyz with 200.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from rank_bm25 import BM25Okapi

from coachbot import create_app
from coachbot.config import load_settings
from coachbot.engines.base import final_answer
from coachbot.evaluation import load_cases, run_case
from coachbot.followup import resolve
from coachbot.knowledge import load_index
from coachbot.services import services

ROOT = Path(__file__).resolve().parent.parent
CHUNK_WORDS, CHUNK_STRIDE = 120, 60


def norm(text: str) -> str:
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text.lower())
    return re.sub(r"\s+", " ", re.sub(r"\s*-\s*", "-", text))


def recall(texts: list[str], facts: list[list[str]]) -> float:
    blob = norm(" ".join(texts))
    return sum(any(norm(alt) in blob for alt in group) for group in facts) / len(facts)


def timed(fn, repeat: int) -> float:
    """Median milliseconds of `fn()` over `repeat` runs."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


class Baseline:
    def __init__(self, guide: str):
        words = guide.split()
        self.chunks = [" ".join(words[i:i + CHUNK_WORDS]) for i in range(0, len(words), CHUNK_STRIDE)]
        self.bm25 = BM25Okapi([self.tokens(c) for c in self.chunks])

    @staticmethod
    def tokens(text: str) -> list[str]:
        return re.findall(r"\w+", text.lower())

    def top(self, query: str, k: int = 3) -> list[str]:
        return self.bm25.get_top_n(self.tokens(query), self.chunks, n=k)


def seconds_to_ready() -> float:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/ready.sqlite3"}
        start = time.perf_counter()
        server = subprocess.Popen([sys.executable, "-m", "coachbot.cli", "serve", "--port", str(port)],
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while time.perf_counter() - start < 30:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1) as resp:
                        if resp.status == 200:
                            return time.perf_counter() - start
                except OSError:
                    time.sleep(0.02)
            return float("nan")
        finally:
            server.terminate()
            server.wait(10)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", default=str(ROOT.parent / "shared/eval/dev.jsonl"))
    ap.add_argument("--guide", default=str(ROOT.parent / "shared/source/library-technical-assistant-guide.txt"))
    ap.add_argument("--bank", default=str(ROOT / "tests/banks/lta_in_scope.jsonl"),
                    help="questions whose test half times the answers")
    ap.add_argument("--no-serve", action="store_true", help="skip the start-up measurement")
    args = ap.parse_args()
    cases = [json.loads(line) for line in Path(args.cases).read_text().splitlines() if line.strip()]
    cases = [c for c in cases if c.get("scope", "in") == "in" and c.get("facts")]
    settings = load_settings()

    knowledge_dir = settings.knowledge_dir
    build = lambda: load_index(knowledge_dir)[1]  # noqa: E731
    build_ms = timed(build, 5)
    index = build()
    guide = Path(args.guide).read_text(encoding="utf-8")
    baseline_build_ms = timed(lambda: Baseline(guide), 5)
    baseline = Baseline(guide)

    queries = []
    for case in cases:
        turns = case["turns"]
        query = turns[-1] if len(turns) == 1 else resolve(turns[-1], turns[-2], index)
        queries.append((case, query, " ".join(turns)))

    ours = [recall([h.passage.text for h in index.search(q, k=3)], c["facts"]) for c, q, _ in queries]
    theirs = [recall(baseline.top(joined), c["facts"]) for c, _, joined in queries]
    our_ms = statistics.median(timed(lambda q=q: cold_search(index, q), 50) for _, q, _ in queries)
    their_ms = statistics.median(timed(lambda j=j: baseline.top(j), 50) for _, _, j in queries)

    print(f"cases: {len(queries)} in-scope questions from {Path(args.cases).name}")
    print(f"{'':24}{'recall@3':>10}{'median query ms':>18}{'index build ms':>17}")
    print(f"{'coachbot (sections)':24}{statistics.mean(ours):>10.3f}{our_ms:>18.3f}{build_ms:>17.1f}")
    print(f"{'baseline (BM25 chunks)':24}{statistics.mean(theirs):>10.3f}{their_ms:>18.3f}{baseline_build_ms:>17.1f}")
    misses = [c["id"] for (c, _, _), r in zip(queries, ours, strict=True) if r < 1]
    print(f"coachbot misses: {', '.join(misses) or 'none'}")
    app = create_app({"database_url": "sqlite://"})  # one app times both kinds of answer
    p50, p95, count = answer_times(app, args.bank)
    print(f"built-in answer per question (test half of {Path(args.bank).name}, n={count}): "
          f"p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    worst_ms, shape, chars = long_message_ms(app)
    print(f"built-in answer to a {chars}-character message: slowest {worst_ms:.1f} ms ({shape})")
    if not args.no_serve:
        print(f"coachbot serve ready (readyz 200) after {seconds_to_ready():.2f} s")
    return 0


def cold_search(index, query: str):
    """A search timed as if the question were new."""
    forget(index)
    return index.search(query, k=3)


def forget(index) -> None:
    """Empty the index's and vocabulary's memo caches, so a question is timed as if new."""
    index.meaning.cache_clear()
    index._ranked.cache_clear()
    index.tokenize._terms.cache_clear()
    for name in index.vocabulary.MEMOIZED:
        getattr(index.vocabulary, name).cache_clear()


def answer_times(app, bank: str) -> tuple[float, float, int]:
    times = []
    with app.app_context():
        coach = services().coach
        for case in load_cases(bank, "test"):
            forget(coach.index)
            coach.scope.read.cache_clear()
            coach.scope._known.cache_clear()
            start = time.perf_counter()
            run_case(coach, case)
            times.append((time.perf_counter() - start) * 1000 / len(case["turns"]))
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))], len(times)


# Messages as long as the service takes, in shapes that once made a pattern backtrack (words with no
# question mark, lists of names, figures); their slowest answer is printed beside the questions' times.
LONG_MESSAGE_SHAPES = {"words": "word ", "names": "ALMA, KOHA and ", "figures": "12,000 ", "story": "so i ",
                       "sentences": "ok. "}


def long_message_ms(app) -> tuple[float, str, int]:
    """The slowest answer to a message of the longest allowed length, and its shape."""
    chars = app.config["SETTINGS"].max_message_chars
    worst = (0.0, "", chars)
    with app.app_context():
        coach = services().coach
        for shape, piece in LONG_MESSAGE_SHAPES.items():
            message = (piece * (chars // len(piece) + 1))[:chars]
            start = time.perf_counter()
            final_answer(coach.respond(message, []).events)
            worst = max(worst, ((time.perf_counter() - start) * 1000, shape, chars))
    return worst


if __name__ == "__main__":
    sys.exit(main())
