"""Rate limits on the API (/api/*): one per token, one per client address.

Counters live in Redis when REDIS_URL is set, so every worker on every machine shares them;
otherwise in the worker's memory (one process only). When Redis is down the limits fail open
(requests pass; one warning per outage, and one line when it is over) or closed (503), as
`rate_limit_fail_open` says. While it is down, Redis is tried again only every few seconds, so an
outage does not add a connect timeout to every request.
"""
from __future__ import annotations

import hashlib
import logging
import math
import threading
import time

from flask import Flask, request
from flask_limiter import ApplicationLimit, Limiter, RateLimitExceeded, RequestLimit
from redis.exceptions import RedisError

from ..api.auth import bearer_token
from ..api.errors import error_response
from ..config import address_in, networks
from .metrics import count_rate_limited

logger = logging.getLogger("coachbot.limits")

# Redis answers in well under a millisecond; waiting longer than this means it is gone.
REDIS_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
# During an outage (failing open), how long to let requests pass before trying Redis again.
RETRY_AFTER_OUTAGE_S = 5.0


class FailOpen:
    """Runs the limiter's check; when its store fails, lets the request pass and notes the outage.

    One warning when an outage starts and one line when it ends, never a traceback per request."""

    def __init__(self, check):
        self.check = check
        self.lock = threading.Lock()
        self.down_since: float | None = None
        self.retry_at = 0.0

    def __call__(self):
        if self.down_since is not None and time.monotonic() < self.retry_at:
            return None
        try:
            result = self.check()
        except RedisError as err:
            self._failed(err)
            return None
        if self.down_since is not None:
            with self.lock:
                if self.down_since is not None:
                    logger.warning("rate-limit store is back after %.0f s; limits apply again",
                                   time.monotonic() - self.down_since)
                    self.down_since = None
        return result

    def _failed(self, err: Exception) -> None:
        with self.lock:
            now = time.monotonic()
            self.retry_at = now + RETRY_AFTER_OUTAGE_S
            if self.down_since is None:
                self.down_since = now
                logger.warning("rate-limit store unavailable (%s: %s); requests pass unlimited until it is back",
                               err.__class__.__name__, err)


def client_address() -> str:
    return request.remote_addr or "unknown"


def token_key() -> str:
    # A hash, so the token itself never reaches the counter store.
    return hashlib.sha256((bearer_token() or "").encode()).hexdigest()[:32]


def _not_api() -> bool:
    return not request.path.startswith("/api/") or request.method == "OPTIONS"


def _breach_scope(limit: RequestLimit) -> str:
    return str(limit.request_args[-1])  # the limit's scope: "ip" or "token"


def _too_many(limit: RequestLimit):
    count_rate_limited(_breach_scope(limit))
    window = limit.limit.get_expiry()
    try:
        wait = min(window, math.ceil(limit.reset_at - time.time()))
    except Exception:  # the store failed between the check and now: the window length will do
        wait = window
    return error_response(429, "rate_limited", "Too many requests: wait a moment and try again.",
                          {"Retry-After": str(max(1, wait))})


def init_app(app: Flask) -> None:
    settings = app.config["SETTINGS"]
    exempt = networks(settings.exempt_addresses)
    limiter = Limiter(
        client_address,
        app=app,
        application_limits=[
            ApplicationLimit(settings.rate_limit_ip, key_function=client_address, scope="ip",
                             exempt_when=lambda: address_in(client_address(), exempt)),
            ApplicationLimit(settings.rate_limit_user, key_function=token_key, scope="token",
                             exempt_when=lambda: bearer_token() is None),
        ],
        storage_uri=settings.redis_url or "memory://",
        storage_options=REDIS_OPTIONS if settings.redis_url else {},
        strategy="fixed-window",
        swallow_errors=False,  # failing open is FailOpen's job: it logs once per outage, not per request
        on_breach=_too_many,
        key_prefix=settings.extra.get("rate_limit_key_prefix", "coachbot"),
        headers_enabled=False,
    )
    limiter.request_filter(_not_api)
    if settings.rate_limit_fail_open:
        checks = app.before_request_funcs[None]
        position = checks.index(limiter._check_request_limit)
        checks[position] = FailOpen(limiter._check_request_limit)
    app.extensions["coachbot_limiter"] = limiter

    @app.errorhandler(RateLimitExceeded)
    def _rate_limited(err: RateLimitExceeded):
        if err.response is not None:
            return err.response
        return error_response(429, "rate_limited", "Too many requests: wait a moment and try again.",
                              {"Retry-After": "60"})

    @app.errorhandler(RedisError)
    def _limits_unavailable(err: RedisError):
        # Reached only when limits fail closed: with fail-open the limiter swallows the error.
        app.logger.error("rate-limit store unavailable: %s", err.__class__.__name__)
        return error_response(503, "rate_limit_unavailable",
                              "The service cannot check its rate limits right now; try again shortly.",
                              {"Retry-After": "5"})
