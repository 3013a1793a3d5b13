"""gunicorn settings for deployments:

    gunicorn -c gunicorn.conf.py 'coachbot:create_app()'

Every value can be changed from the environment (see docs/deploy.md). `coachbot serve` applies
the same choices from its own command line.
"""
import os
import sys

from coachbot.ops.serving import child_exit, on_exit, prepare_metrics_dir, tune_worker, use_json_errors  # noqa: F401

bind = os.environ.get("COACHBOT_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"


def _model_configured() -> bool:
    try:
        from coachbot.config import load_settings

        return load_settings().model_configured
    except Exception:  # a configuration error is reported by on_starting, in one line
        return False


# Threads let one worker hold a streaming answer (SSE) open while it serves others. With the built-in
# engine a chat is a few milliseconds of CPU, and more threads only take turns at the GIL: on a 2-core
# machine 2 x 4 served a quarter to a third more chats than 2 x 8 (docs/deploy.md). With a model,
# answers wait on it for seconds, so more threads: 8.
threads = int(os.environ.get("COACHBOT_THREADS") or (8 if _model_configured() else 4))
timeout = int(os.environ.get("COACHBOT_WORKER_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# The app writes one JSON line per request itself (method, path, status, duration, request id).
accesslog = None
errorlog = "-"
# One shared control-socket path would clash between several servers on a host.
control_socket_disable = True
# Which proxies may set X-Forwarded-Proto for gunicorn; the app's own COACHBOT_TRUSTED_PROXY_HOPS
# decides which client addresses it believes (for per-address rate limits and logs).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def on_starting(server):
    """In the master, before any worker: a clean metrics folder, then configuration and migrations once."""
    prepare_metrics_dir()
    use_json_errors()
    from coachbot import create_app
    from coachbot.errors import CoachbotError

    try:
        create_app()
    except CoachbotError as exc:  # a setting or a knowledge file to fix: one line, not a traceback
        on_exit(server)
        sys.exit(exc.one_line())


def post_fork(server, worker):
    tune_worker()
