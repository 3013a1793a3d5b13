"""Security headers on every response: a strict Content-Security-Policy, nosniff, a referrer policy."""
from __future__ import annotations

from flask import Flask, request
from flask.wrappers import Response

# Pages load scripts, styles and data from this origin only; no inline script or style anywhere
# (the widget styles its shadow DOM with a constructed stylesheet, which CSP does not police).
PAGE_CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'self'",
])
# JSON, event streams and metrics are never rendered as documents.
DATA_CSP = "default-src 'none'; frame-ancestors 'none'"
# The widget is a script that other sites embed; a CSP header on it would mean nothing.
UNPOLICED_ENDPOINTS = {"web.widget"}


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.endpoint not in UNPOLICED_ENDPOINTS:
        is_page = response.mimetype == "text/html"
        headers.setdefault("Content-Security-Policy", PAGE_CSP if is_page else DATA_CSP)
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)
