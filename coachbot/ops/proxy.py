"""Behind a reverse proxy: trust its X-Forwarded-* headers, only as many hops as configured, and only
when the connection really comes from one of the proxies.

Without the address check anyone who reaches the app's port directly could set X-Forwarded-For
and pick the address their requests are counted under (and so escape the per-address limit)."""
from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from ..config import address_in, networks


class TrustedProxyFix:
    """ProxyFix for requests whose peer is a trusted proxy; everyone else's forwarded headers are dropped."""

    def __init__(self, app, hops: int, proxies: tuple[str, ...]):
        self.app = app
        self.fixed = ProxyFix(app, x_for=hops, x_proto=hops, x_host=hops)
        self.proxies = networks(proxies)

    def __call__(self, environ, start_response):
        if address_in(environ.get("REMOTE_ADDR"), self.proxies):
            return self.fixed(environ, start_response)
        for name in ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST"):
            environ.pop(name, None)
        return self.app(environ, start_response)


def init_app(app: Flask) -> None:
    settings = app.config["SETTINGS"]
    if settings.trusted_proxy_hops > 0:
        # Without this, every client would share the proxy's address (and its per-IP rate limit).
        app.wsgi_app = TrustedProxyFix(app.wsgi_app, settings.trusted_proxy_hops, settings.trusted_proxies)
