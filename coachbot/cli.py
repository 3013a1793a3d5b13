"""The command line: `coachbot serve | ask`."""
from __future__ import annotations

import argparse
import sys


def serve(args: argparse.Namespace) -> int:
    from gunicorn.app.base import BaseApplication

    from . import create_app
    from .ops.serving import child_exit, on_exit, prepare_metrics_dir, use_json_errors

    use_json_errors()
    prepare_metrics_dir()  # before anything imports prometheus-client: /metrics then sums all workers
    try:
        # Built once, in the master: bad configuration fails fast, migrations run once, and the
        # workers start as forks of a ready app (index built), which keeps start-up short.
        app = create_app()
    except Exception:
        on_exit(None)
        raise

    def post_fork(server, worker):
        # A forked worker must not share the master's database connections.
        app.extensions["db_engine"].dispose(close=False)

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{args.host}:{args.port}")
            self.cfg.set("workers", args.workers)
            # Threads let one worker hold a streaming answer open while it serves others.
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("threads", args.threads)
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
    with app.app_context():
        answer = services().coach.answer(" ".join(args.question))
    print(answer.text)
    if answer.citations:
        print("\nSources:")
        for c in answer.citations:
            print(f"  [{c.n}] {c.passage.title} ({c.passage.url})")
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
    p.add_argument("--threads", type=int, default=8)
    p.set_defaults(func=serve)
    p = commands.add_parser("ask", help="answer one question on the command line")
    p.add_argument("question", nargs="+")
    p.set_defaults(func=ask)
    from .ops.privacy import DEFAULT_RETENTION

    p = commands.add_parser("purge", help="data retention: delete idle conversations, old plans and idle accounts")
    p.add_argument("--older-than", type=_age, default=DEFAULT_RETENTION, metavar="AGE",
                   help=f"e.g. 90d, 12h or 2w (default {DEFAULT_RETENTION})")
    p.set_defaults(func=purge)
    args = parser.parse_args(argv)
    from .config import ConfigError

    try:
        return args.func(args)
    except ConfigError as exc:
        print(f"coachbot: configuration error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
