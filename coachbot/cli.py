"""The command line: `coachbot serve | ask | eval | purge`."""
from __future__ import annotations

import argparse
import gc
import sys


def serve(args: argparse.Namespace) -> int:
    from gunicorn.app.base import BaseApplication

    from . import create_app, db
    from .ops.serving import child_exit, default_threads, on_exit, prepare_metrics_dir, tune_worker, use_json_errors

    use_json_errors()
    prepare_metrics_dir()  # before anything imports prometheus-client: /metrics then sums all workers
    # No garbage collection while the app is built: its passes over the growing heap of modules
    # and index took a fifth of a second of start-up, and found little (about 2 MB, kept below).
    gc.disable()
    try:
        # Built once, in the master: bad configuration fails fast, migrations run once, and the
        # workers start as forks of a ready app (index built), which keeps start-up short.
        app = create_app()
    except Exception:
        on_exit(None)
        raise
    # The index and everything loaded at start live as long as the process: keep them out of the
    # garbage collector's full passes (which took 150 ms), and shared with the forked workers.
    gc.freeze()
    gc.enable()

    def post_fork(server, worker):
        # A forked worker must not share the master's database connections.
        db.dispose(app, close=False)
        tune_worker()

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{args.host}:{args.port}")
            self.cfg.set("workers", args.workers)
            # Threads let one worker hold a streaming answer open while it serves others.
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("threads", args.threads or default_threads())
            self.cfg.set("timeout", 120)
            self.cfg.set("accesslog", None)
            self.cfg.set("child_exit", child_exit)
            self.cfg.set("on_exit", on_exit)
            self.cfg.set("control_socket_disable", True)  # one shared socket path would clash between servers
            self.cfg.set("preload_app", True)
            self.cfg.set("post_fork", post_fork)

        def load(self):
            return app

    Server().run()
    return 0


def ask(args: argparse.Namespace) -> int:
    from . import create_app
    from .services import services

    app = create_app()
    question = " ".join(args.question)
    with app.app_context():
        coach = services().coach
        if args.explain:
            explain(coach, question)
        answer = coach.answer(question)
    print(answer.text)
    if answer.citations:
        print("\nSources:")
        for c in answer.citations:
            print(f"  [{c.n}] {c.passage.title} ({c.passage.url})")
    return 0


def explain(coach, question: str) -> None:
    """How the coach read a question: resolved query, passages with scores, scope and its evidence."""
    understood = coach.understand(question, [])
    decision, reading = understood.decision, understood.decision.reading
    print(f"resolved question: {understood.query}")
    print("top passages:")
    for hit in understood.hits:
        print(f"  {hit.score:7.2f}  {hit.passage.id}")
    print(f"scope: {decision.verdict}" + (f" ({decision.why})" if decision.why else ""))
    print(f"  words the guide uses: {', '.join(reading.known) or '-'}")
    print(f"  words it never uses: {', '.join(reading.foreign) or '-'}")
    if reading.unread:
        print(f"  not English and not the guide's (no evidence either way): {', '.join(reading.unread)}")
    if reading.corrected:
        print(f"  read as: {', '.join(f'{a} -> {b}' for a, b in reading.corrected.items())}")
    if reading.places or reading.background:
        print(f"  places: {', '.join(reading.places) or '-'}; the person's background: {', '.join(reading.background) or '-'}")
    print(f"  names or points at the career: {reading.refers}")
    print(f"  coverage by the best passages: {decision.coverage:.2f}; meaning in common: {decision.similarity:.2f}")
    print(f"  note: {understood.note}" if understood.note else "", end="")
    print("---")


def run_eval(args: argparse.Namespace) -> int:
    from . import create_app
    from .evaluation import evaluate, load_cases
    from .services import services

    app = create_app()
    with app.app_context():
        guide_cases = services().guide.extra.get("cases") or []
        files = args.cases or [str(services().settings.knowledge_dir / f) for f in guide_cases]
        if not files:
            print("coachbot eval: give --cases FILE (this guide names no case files)", file=sys.stderr)
            return 2
        cases = [case for path in files for case in load_cases(path, args.half)]
        report = evaluate(services().coach, cases)
    for result in report.results:
        if args.verbose and not result.passed:
            why = []
            if result.missing:
                why.append("missing " + " / ".join("|".join(g) for g in result.missing))
            if not result.scope_ok:
                why.append(f"scope {result.case.get('scope', 'in')}: in_scope={result.answer.in_scope}")
            turns = " > ".join(result.case["turns"])
            print(f"MISS {result.case['id']}: {'; '.join(why)} :: {turns!r} -> {result.answer.text[:200]!r}")
    passed, total = report.rate()
    in_passed, in_total = report.rate("in")
    out_passed, out_total = report.rate("out")
    precision, recall = report.out_of_scope_precision_recall()
    p50, p95 = report.latency_ms()
    print(f"cases: {len(cases)} from {len(files)} file(s), half: {args.half}")
    print(f"in scope: {in_passed}/{in_total} = {in_passed / max(1, in_total):.3f}")
    print(f"out of scope: {out_passed}/{out_total} = {out_passed / max(1, out_total):.3f} "
          f"(refusal precision {precision:.3f}, recall {recall:.3f})")
    print(f"latency ms per answer: p50 {p50:.1f}, p95 {p95:.1f}")
    print(f"score: {passed}/{total} = {passed / max(1, total):.3f}")
    return 0


def purge(args: argparse.Namespace) -> int:
    from . import create_app, db
    from .ops.privacy import parse_age, purge

    app = create_app()
    with app.app_context():
        deleted = purge(db.session(), parse_age(args.older_than))
    counts = ", ".join(f"{n} {kind}(s)" for kind, n in deleted.items())
    print(f"purged {counts} not used in the last {args.older_than}")
    return 0


def _age(text: str) -> str:
    from .ops.privacy import parse_age

    try:
        parse_age(text)
        return text
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="coachbot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("serve", help="serve the API, the demo page and the widget")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--threads", type=int, default=None,
                   help="threads a worker runs (default: COACHBOT_THREADS, else 4, or 8 with a model)")
    p.set_defaults(func=serve)
    p = commands.add_parser("ask", help="answer one question on the command line")
    p.add_argument("question", nargs="+")
    p.add_argument("--explain", action="store_true",
                   help="first show the resolved question, the passages found and the scope decision")
    p.set_defaults(func=ask)
    p = commands.add_parser("eval", help="score question cases in-process (answers, scope, latency)")
    p.add_argument("--cases", action="append", metavar="FILE", help="a JSONL case file (repeatable)")
    p.add_argument("--half", choices=["tune", "test", "all"], default="all",
                   help="only the tuning or the test half of each bank (a fixed split by case id)")
    p.add_argument("-v", "--verbose", action="store_true", help="list the cases that failed")
    p.set_defaults(func=run_eval)
    from .ops.privacy import DEFAULT_RETENTION

    p = commands.add_parser("purge", help="data retention: delete idle conversations, old plans and idle accounts")
    p.add_argument("--older-than", type=_age, default=DEFAULT_RETENTION, metavar="AGE",
                   help=f"e.g. 90d, 12h or 2w (default {DEFAULT_RETENTION})")
    p.set_defaults(func=purge)
    args = parser.parse_args(argv)
    from .errors import CoachbotError

    try:
        return args.func(args)
    except CoachbotError as exc:  # something the person running it can fix: one line, not a traceback
        print(exc.one_line(), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
