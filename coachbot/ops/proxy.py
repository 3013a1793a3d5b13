"""Behind a reverse proxy: trust its X-Forwarded-* headers, and only as many hops as configured."""
from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def init_app(app: Flask) -> None:
    hops = app.config["SETTINGS"].trusted_proxy_hops
    if hops > 0:
        # Without this, every client would share the proxy's address (and its per-IP rate limit).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
