"""gunicorn settings for deployments:

    gunicorn -c gunicorn.conf.py 'coachbot:create_app()'

Every value can be changed from the environment (see docs/deploy.md). `coachbot serve` applies
the same choices from its own command line.
"""
import os
import sys

from coachbot.ops.serving import child_exit, default_threads, on_exit, prepare_metrics_dir, tune_worker, use_json_errors  # noqa: F401

bind = os.environ.get("COACHBOT_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
# Threads let one worker hold a streaming answer (SSE) open while it serves others: 4 with the
# built-in engine, 8 with a model (coachbot/ops/serving.py says why).
threads = default_threads()
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
