"""What every layer that serves requests shares: one JSON error shape for every failure
({"error": {"code", "message"}}) and reading the bearer token."""
from __future__ import annotations

from flask import Flask, jsonify, request
from sqlalchemy.exc import InterfaceError, OperationalError, PendingRollbackError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from .errors import CoachbotError


class ApiError(CoachbotError):
    def __init__(self, status: int, code: str, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def error_response(status: int, code: str, message: str, headers: dict | None = None):
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


HTTP_CODES = {
    400: ("bad_request", "The request could not be read."),
    401: ("unauthorized", "Send a valid token in the Authorization header."),
    404: ("not_found", "Nothing here, or it is not yours."),
    405: ("method_not_allowed", "That method is not allowed on this URL."),
    413: ("too_large", "The request body is too large (1 MB at most)."),
    415: ("unsupported_media_type", "Send the body as JSON (Content-Type: application/json)."),
    429: ("rate_limited", "Too many requests: wait a moment and try again."),
}


def init_app(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(err: ApiError):
        return error_response(err.status, err.code, err.message, err.headers)

    @app.errorhandler(HTTPException)
    def _http_error(err: HTTPException):
        code, message = HTTP_CODES.get(err.code or 500, ("error", err.description or "Request failed."))
        headers = {k: v for k, v in err.get_headers() if k.lower() in {"allow", "retry-after"}}
        return error_response(err.code or 500, code, message, headers)

    # OperationalError/InterfaceError: the server is gone or refuses us. PendingRollbackError: a
    # write failed earlier in this request. PoolTimeout: no connection could be had in time.
    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    @app.errorhandler(PendingRollbackError)
    @app.errorhandler(PoolTimeout)
    def _database_down(err):
        app.logger.error("database unavailable: %s", err.__class__.__name__, exc_info=err)
        return error_response(503, "database_unavailable",
                              "The service cannot reach its database right now; try again shortly.",
                              {"Retry-After": "5"})

    @app.errorhandler(Exception)
    def _unexpected(err: Exception):
        app.logger.exception("unhandled error")
        return error_response(500, "internal_error", "Something went wrong on our side; it has been logged.")
