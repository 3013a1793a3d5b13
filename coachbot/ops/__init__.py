"""Running in production: proxies, request ids and logs, security headers, rate limits, metrics."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from . import limits, metrics, proxy, request_log, security

    proxy.init_app(app)
    request_log.init_app(app)
    security.init_app(app)
    limits.init_app(app)
    metrics.init_app(app)
