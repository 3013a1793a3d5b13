"""Prometheus metrics: requests and latency by route, answers by engine, guard events, rate limiting.

Under gunicorn, `coachbot serve` and gunicorn.conf.py set PROMETHEUS_MULTIPROC_DIR before the
workers start, so /metrics adds up every worker's counts (prometheus-client's multiprocess mode).
Other modules count events through the small functions below, never through the metric objects.
"""
from __future__ import annotations

import hmac
import os
import time

from flask import Flask, Response, current_app, request
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest, multiprocess

from ..answers import Answer
from ..config import address_in, networks
from ..http import bearer_token, error_response

REQUESTS = Counter("coachbot_http_requests_total", "HTTP requests answered.", ["method", "route", "status"])
LATENCY = Histogram("coachbot_http_request_duration_seconds", "Time to answer a request, to its last byte.",
                    ["method", "route", "status"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60))
ANSWERS = Counter("coachbot_answers_total", "Answers stored, by the engine that wrote them.", ["engine", "in_scope"])
GUARD_EVENTS = Counter("coachbot_guard_events_total",
                       "Model answers checked by the guard, by outcome (kept, repaired, replaced).", ["outcome"])
MODEL_FALLBACKS = Counter("coachbot_model_fallbacks_total",
                          "Model calls answered by the built-in engine instead, by reason.", ["reason"])
GUARD_REASONS = Counter("coachbot_guard_reasons_total",
                        "Why the guard dropped a model sentence or repaired an answer (figure, name, claim, "
                        "relation, comparison, negation, leak, ...).", ["reason"])
MODEL_PATHS = Counter("coachbot_model_paths_total",
                      "Which path answered with a model configured: model, or the built-in answer and why "
                      "(builtin_not_covered, builtin_guard, builtin_slow, builtin_unavailable, builtin_no_sources).",
                      ["path"])
NOT_COVERED = Counter("coachbot_model_not_covered_total",
                      "Checked model answers that lost what the built-in answer says, by what (figure, name, negation, "
                      "list, content, key).", ["missing"])
RATE_LIMITED = Counter("coachbot_rate_limited_total", "Requests refused by a rate limit.", ["scope"])


def count_answer(answer: Answer) -> None:
    ANSWERS.labels(engine=answer.engine, in_scope=str(bool(answer.in_scope)).lower()).inc()


def count_guard(outcome: str) -> None:
    """The guard checked a model answer: "kept", "repaired" or "replaced" (by the built-in answer)."""
    GUARD_EVENTS.labels(outcome=outcome).inc()


def count_model_fallback(reason: str) -> None:
    """A model call failed and the built-in engine answered: e.g. "timeout", "error", "guard"."""
    MODEL_FALLBACKS.labels(reason=reason).inc()


def count_rate_limited(scope: str) -> None:
    RATE_LIMITED.labels(scope=scope).inc()


def on_guard_event(event: str, reason: str = "") -> None:
    """Listener for the model engine's GuardStats: an outcome ("kept", "repaired", "replaced"),
    "dropped", "path", "not_covered" or "fallbacks", each with its reason."""
    if event == "fallbacks":
        count_model_fallback(reason or "unknown")
    elif event == "dropped":
        GUARD_REASONS.labels(reason=reason).inc()
    elif event == "path":
        MODEL_PATHS.labels(path=reason).inc()
    elif event == "not_covered":
        NOT_COVERED.labels(missing=reason).inc()
    else:
        count_guard(event)


def _listen_to_the_guard(app: Flask) -> None:
    # Only the model engine has guard stats; the built-in engine has nothing to report.
    stats = getattr(app.extensions["coachbot"].coach.engine, "guard_stats", None)
    if stats is not None and on_guard_event not in stats.listeners:
        stats.listeners.append(on_guard_event)


# Methods a client may send are unbounded; anything else is counted as "other".
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def method_label() -> str:
    return request.method if request.method in KNOWN_METHODS else "other"


def route_label() -> str:
    # The URL rule, not the path, so ids in paths do not make a new series each.
    return request.url_rule.rule if request.url_rule is not None else "unmatched"


def _observe(response: Response) -> Response:
    method, route, status = method_label(), route_label(), str(response.status_code)
    started = request.environ.get("coachbot.start", time.perf_counter())

    def record() -> None:
        REQUESTS.labels(method, route, status).inc()
        LATENCY.labels(method, route, status).observe(time.perf_counter() - started)

    response.call_on_close(record)
    return response


def exposition() -> bytes:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest(REGISTRY)


def scraper_allowed() -> bool:
    """Only the scraper reads /metrics: with its token when one is set, else from an allowed address."""
    settings = current_app.config["SETTINGS"]
    if settings.metrics_token:
        given = bearer_token() or ""
        return hmac.compare_digest(given.encode(), settings.metrics_token.encode())
    return address_in(request.remote_addr, current_app.extensions["coachbot_metrics_allow"])


def metrics_view():
    if not scraper_allowed():
        return error_response(403, "forbidden", "Metrics are for the monitoring system only.")
    # Another worker may be creating its metrics file as we read the folder: a torn read is
    # retried, and a lasting one answers 503, never 500.
    for attempt in range(3):
        try:
            return Response(exposition(), content_type=CONTENT_TYPE_LATEST)
        except Exception:  # prometheus-client raises several kinds on a half-written file
            if attempt == 2:
                current_app.logger.warning("metrics unreadable", exc_info=True)
            time.sleep(0.01)
    return error_response(503, "metrics_unavailable", "Metrics could not be read just now; try again.",
                          {"Retry-After": "1"})


def init_app(app: Flask) -> None:
    app.after_request(_observe)
    app.extensions["coachbot_metrics_allow"] = networks(app.config["SETTINGS"].metrics_allow)
    app.add_url_rule("/metrics", "metrics", metrics_view, methods=["GET"])
    app.extensions["coachbot"].answer_observers.append(count_answer)
    _listen_to_the_guard(app)
