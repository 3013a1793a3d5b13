"""Rate limits on the API (/api/*): one per token, one per client address.

Counters live in Redis when REDIS_URL is set, so every worker on every machine shares them (one
round trip per request, whatever the number of limits); otherwise in the worker's memory (one
process only). Each limit is a fixed window that starts with its first request. When Redis is down
the limits fail open (requests pass; one warning per outage, and one line when it is over) or
closed (503), as `rate_limit_fail_open` says. While it is down, Redis is tried again only every few
seconds, so an outage does not add a connect timeout to every request.

Limits use flask-limiter's notation ("60/minute", "1000/hour;60/minute"), parsed by `limits`.
"""
from __future__ import annotations

import hashlib
import logging
import threading
import time

from flask import Flask, request
from limits import RateLimitItem, parse_many

from ..config import address_in, networks
from ..http import ApiError, bearer_token, error_response
from .metrics import count_rate_limited

logger = logging.getLogger("coachbot.limits")

# Redis answers in well under a millisecond; waiting longer than this means it is gone.
REDIS_TIMEOUT_S = 0.5
# During an outage (failing open), how long to let requests pass before trying Redis again.
RETRY_AFTER_OUTAGE_S = 5.0
# Count every key in one call: INCR, start the window on the first hit, and say when it ends.
COUNT_SCRIPT = """
local out = {}
for i, key in ipairs(KEYS) do
  local n = redis.call('INCR', key)
  if n == 1 then redis.call('EXPIRE', key, ARGV[i]) end
  local ttl = redis.call('TTL', key)
  if ttl < 0 then redis.call('EXPIRE', key, ARGV[i]); ttl = tonumber(ARGV[i]) end
  out[#out + 1] = n
  out[#out + 1] = ttl
end
return out
"""


class RedisCounters:
    def __init__(self, url: str):
        import redis  # here: without a REDIS_URL it is never needed, and it takes a tenth of a second to import
        from redis.exceptions import ConnectionError, NoScriptError

        # RESP2: the script's reply (a flat list of integers) parses in fewer steps than with RESP3.
        self.client = redis.Redis.from_url(url, protocol=2, socket_connect_timeout=REDIS_TIMEOUT_S,
                                           socket_timeout=REDIS_TIMEOUT_S)
        self.pool = self.client.connection_pool
        self.sha = hashlib.sha1(COUNT_SCRIPT.encode()).hexdigest()
        self.no_script, self.connection_error = NoScriptError, ConnectionError

    def hit(self, keys: list[tuple[str, int]]) -> list[tuple[int, float]]:
        """Count one request against each (key, window seconds); returns (count, seconds left) for each."""
        flat = self._count(len(keys), *[k for k, _ in keys], *[w for _, w in keys])
        return [(int(flat[i]), float(flat[i + 1])) for i in range(0, len(flat), 2)]

    def _count(self, *args):
        # Straight on a pooled connection: redis-py's per-command layers (retries, tracing) cost more
        # than the round trip. A connection that broke mid-command is tried once more, on a new one.
        try:
            return self._evalsha(*args)
        except self.connection_error:
            return self._evalsha(*args)

    def _evalsha(self, *args):
        connection = self.pool.get_connection()  # reconnects one that the server closed meanwhile
        try:
            try:
                connection.send_command("EVALSHA", self.sha, *args)
                return connection.read_response()
            except self.no_script:  # a Redis that does not know the script yet (restarted): sent whole
                connection.send_command("EVAL", COUNT_SCRIPT, *args)
                return connection.read_response()
        finally:
            self.pool.release(connection)


class MemoryCounters:
    """The same counters in this process's memory (development, or one worker)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.windows: dict[str, list] = {}  # key -> [count, ends_at]

    def hit(self, keys: list[tuple[str, int]]) -> list[tuple[int, float]]:
        now = time.monotonic()
        out = []
        with self.lock:
            if len(self.windows) > 10_000:  # forget windows that ended
                self.windows = {k: v for k, v in self.windows.items() if v[1] > now}
            for key, seconds in keys:
                window = self.windows.get(key)
                if window is None or window[1] <= now:
                    window = self.windows[key] = [0, now + seconds]
                window[0] += 1
                out.append((window[0], window[1] - now))
        return out


class RateLimits:
    """The two limits, checked before every API request."""

    def __init__(self, settings, prefix: str):
        self.prefix = prefix
        self.ip_limits = parse_many(settings.rate_limit_ip)
        self.token_limits = parse_many(settings.rate_limit_user)
        self.exempt = networks(settings.exempt_addresses)
        self.counters = RedisCounters(settings.redis_url) if settings.redis_url else MemoryCounters()

    def keys(self) -> list[tuple[str, str, RateLimitItem]]:
        """(scope, counter key, limit) for each limit that applies to this request."""
        found = []
        address = request.remote_addr or "unknown"
        if not address_in(address, self.exempt):
            found += [("ip", f"{self.prefix}:ip:{address}:{item.amount}/{item.get_expiry()}", item)
                      for item in self.ip_limits]
        token = bearer_token()
        if token is not None:
            # A hash, so the token itself never reaches the counter store.
            key = hashlib.sha256(token.encode()).hexdigest()[:32]
            found += [("token", f"{self.prefix}:token:{key}:{item.amount}/{item.get_expiry()}", item)
                      for item in self.token_limits]
        return found

    def check(self) -> None:
        if not request.path.startswith("/api/") or request.method == "OPTIONS":
            return
        keys = self.keys()
        if not keys:
            return
        counts = self.counters.hit([(key, item.get_expiry()) for _, key, item in keys])
        for (scope, _, item), (count, seconds_left) in zip(keys, counts, strict=True):
            if count > item.amount:
                count_rate_limited(scope)
                wait = max(1, min(item.get_expiry(), int(seconds_left + 0.999)))
                raise ApiError(429, "rate_limited", "Too many requests: wait a moment and try again.",
                               {"Retry-After": str(wait)})


class FailOpen:
    """Runs the limits' check; when their store fails, lets the request pass and notes the outage.

    One warning when an outage starts and one line when it ends, never a traceback per request."""

    def __init__(self, check, store_error: type[Exception]):
        self.check = check
        self.store_error = store_error
        self.lock = threading.Lock()
        self.down_since: float | None = None
        self.retry_at = 0.0

    def __call__(self):
        if self.down_since is not None and time.monotonic() < self.retry_at:
            return None
        try:
            result = self.check()
        except self.store_error as err:
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


def init_app(app: Flask) -> None:
    settings = app.config["SETTINGS"]
    limits = RateLimits(settings, settings.extra.get("rate_limit_key_prefix", "coachbot"))
    app.extensions["coachbot_limits"] = limits
    if not settings.redis_url:  # counted in this process's memory, which cannot be unavailable
        app.before_request(limits.check)
        return
    from redis.exceptions import RedisError

    app.before_request(FailOpen(limits.check, RedisError) if settings.rate_limit_fail_open else limits.check)

    @app.errorhandler(RedisError)
    def _limits_unavailable(err: RedisError):
        # Reached only when limits fail closed: failing open, FailOpen lets the request pass.
        app.logger.error("rate-limit store unavailable: %s", err.__class__.__name__)
        return error_response(503, "rate_limit_unavailable",
                              "The service cannot check its rate limits right now; try again shortly.",
                              {"Retry-After": "5"})
