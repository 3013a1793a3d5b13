"""What every gunicorn master needs, whether started by `coachbot serve` or by gunicorn.conf.py."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


# Threads a worker runs. With the built-in engine a chat is a few milliseconds of CPU, and more
# threads only take turns at the GIL: on a 2-core machine 2 x 4 served a quarter to a third more
# chats than 2 x 8 (docs/deploy.md). With a model, answers wait on it for seconds: more threads.
BUILT_IN_THREADS = 4
MODEL_THREADS = 8


def default_threads() -> int:
    """COACHBOT_THREADS if set, else the threads for the engine the settings configure."""
    if os.environ.get("COACHBOT_THREADS"):
        return int(os.environ["COACHBOT_THREADS"])
    try:
        from ..config import load_settings

        model = load_settings().model_configured
    except Exception:  # a configuration error is reported where the app is built, in one line
        model = False
    return MODEL_THREADS if model else BUILT_IN_THREADS


def prepare_metrics_dir() -> Path:
    """Point prometheus-client at a clean folder shared by the workers, before any of them imports it.

    An operator's PROMETHEUS_MULTIPROC_DIR is emptied of the last run's files; without one, a fresh
    temporary folder is made. Either way /metrics then adds up all workers, including restarted ones.
    """
    configured = os.environ.get(MULTIPROC_ENV)
    if configured:
        folder = Path(configured)
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("*.db"):
            stale.unlink()
    else:
        folder = Path(tempfile.mkdtemp(prefix="coachbot-metrics-"))
        os.environ[MULTIPROC_ENV] = str(folder)
        os.environ["COACHBOT_OWNS_METRICS_DIR"] = "1"
    return folder


def child_exit(server, worker) -> None:
    """gunicorn hook: a worker ended (or was killed); its live-gauge files are let go."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server) -> None:
    """gunicorn hook: remove the temporary metrics folder this master made."""
    if os.environ.pop("COACHBOT_OWNS_METRICS_DIR", None):
        shutil.rmtree(os.environ.pop(MULTIPROC_ENV, ""), ignore_errors=True)


# What gunicorn itself refuses before the app sees the request (a bad request line, a URL or
# headers over its limits), as the API's codes.
GUNICORN_ERROR_CODES = {400: "bad_request", 403: "forbidden", 414: "uri_too_long", 417: "expectation_failed",
                        431: "headers_too_large", 500: "internal_error", 501: "not_implemented"}


def write_json_error(sock, status_int: int, reason: str, mesg: str) -> None:
    """gunicorn's error page, in the API's JSON shape instead of HTML."""
    import json

    from gunicorn import util

    body = json.dumps({"error": {"code": GUNICORN_ERROR_CODES.get(status_int, "bad_request"),
                                 "message": f"{reason}: the server could not read this request."}}).encode()
    head = (f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nX-Content-Type-Options: nosniff\r\n\r\n").encode("latin-1")
    util.write_nonblock(sock, head + body)


def use_json_errors() -> None:
    """Make gunicorn answer the requests it refuses itself in JSON (it has no setting for this)."""
    from gunicorn import util

    util.write_error = write_json_error


# How often a thread holding the GIL lets a waiting one run (Python's default is 5 ms). A request
# that waits on the database gives the GIL up for each call and must win it back from threads busy
# answering; at 5 ms a turn, a write holding SQLite's lock was stretched to a hundred ms and more.
SWITCH_INTERVAL_S = 0.001


def tune_worker() -> None:
    """In each worker after the fork: shorter GIL turns (see above)."""
    import sys

    sys.setswitchinterval(SWITCH_INTERVAL_S)
