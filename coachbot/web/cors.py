"""CORS for /api/*: pages on the allowed origins (setting `allowed_origins`) may call the API.

Tokens travel in the Authorization header, never in cookies, so no credentials mode is
needed and there is no CSRF surface. A page on any other origin gets no CORS headers (its
browser then hides the answers from it) and its preflight is refused with a JSON 403.
"""
from __future__ import annotations

from flask import Flask, Response, current_app, request

from ..http import error_response

ALLOWED_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
ALLOWED_HEADERS = "Authorization, Content-Type, Accept"
# Headers a cross-origin page may read: the widget shows the wait from Retry-After.
EXPOSED_HEADERS = "Retry-After"
PREFLIGHT_MAX_AGE = "600"  # seconds a browser may cache a preflight answer


def _is_api(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


def origin_allowed(origin: str) -> bool:
    """The app's own origin always, plus those listed in the settings."""
    own = request.host_url.rstrip("/")
    allowed = current_app.config["SETTINGS"].allowed_origins
    return origin.rstrip("/") == own or origin.rstrip("/") in allowed


def _add_cors_headers(response: Response, origin: str) -> None:
    response.headers["Access-Control-Allow-Origin"] = origin
    response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS


def _answer_preflight():
    """OPTIONS with an Origin on /api/*: 204 with the permissions, or 403 for a stranger."""
    if request.method != "OPTIONS" or not _is_api(request.path):
        return None
    origin = request.headers.get("Origin")
    if not origin:
        return None  # not a browser preflight: Flask's own OPTIONS answer will do
    if not origin_allowed(origin):
        response = error_response(403, "origin_not_allowed",
                                  "This site is not allowed to call the Coachbot API; "
                                  "ask the service's operator to add it to COACHBOT_ALLOWED_ORIGINS.")
        return response
    response = Response(status=204)
    _add_cors_headers(response, origin)
    response.headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
    response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
    response.headers["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
    return response


def _decorate_response(response: Response) -> Response:
    if not _is_api(request.path):
        return response
    response.vary.add("Origin")  # the answer's headers depend on who asks: caches must know
    origin = request.headers.get("Origin")
    if origin and request.method != "OPTIONS" and origin_allowed(origin):
        _add_cors_headers(response, origin)
    return response


def init_app(app: Flask) -> None:
    # First in line: a preflight carries no token and must not count against rate limits.
    app.before_request_funcs.setdefault(None, []).insert(0, _answer_preflight)
    app.after_request(_decorate_response)
