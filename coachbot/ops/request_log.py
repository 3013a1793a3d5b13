"""One JSON log line per request, tied together by a request id that the client sees too."""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import sys
import time
import uuid
from datetime import datetime, timezone

from flask import Flask, current_app, g, request
from flask.wrappers import Response

logger = logging.getLogger("coachbot.request")
HEADER = "X-Request-ID"
# An incoming id is kept only if it is short and plain, so it cannot forge or break log lines.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:+=@-]{0,127}")


class _Raw(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return record.getMessage()


def _configure_app_logger() -> None:
    """The app's own events (guard repairs, model fallbacks) at INFO on stderr, one line each."""
    app_logger = logging.getLogger("coachbot")
    if not app_logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        app_logger.addHandler(handler)
        app_logger.setLevel(logging.INFO)


def _configure_logger() -> None:
    _configure_app_logger()
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(_Raw())
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False


def request_id() -> str:
    """This request's id (the client's if sane, else a new one)."""
    if "request_id" not in g:
        incoming = request.headers.get(HEADER, "")
        g.request_id = incoming if SANE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
    return g.request_id


def user_hash(user_id: str | None) -> str | None:
    """A stable pseudonym for the user: logs can be grouped by user without naming them."""
    if not user_id:
        return None
    key = str(current_app.config.get("SECRET_KEY") or "").encode()
    return hmac.new(key, user_id.encode(), hashlib.sha256).hexdigest()[:16]


def _user_id() -> str | None:
    """The signed-in user's id, read without touching the database (which may be what just failed)."""
    user_id = getattr(g.get("user"), "id", None)
    return str(user_id) if user_id else None


def _start() -> None:
    request.environ.setdefault("coachbot.start", time.perf_counter())
    request_id()


def _message_text(status: int) -> str | None:
    """The chat message, only when the operator asked for message text in logs (and the body was accepted)."""
    if not current_app.config["SETTINGS"].log_message_text or request.path != "/api/chat" or status != 200:
        return None
    body = request.get_json(silent=True)
    message = body.get("message") if isinstance(body, dict) else None
    return message if isinstance(message, str) else None


def _finish(response: Response) -> Response:
    rid = request_id()
    response.headers[HEADER] = rid
    line = {
        "event": "request",
        "method": request.method,
        "path": request.path,
        "status": response.status_code,
        "request_id": rid,
        "user": user_hash(_user_id()),
    }
    message = _message_text(response.status_code)
    if message is not None:
        line["message"] = message
    started = request.environ.get("coachbot.start", time.perf_counter())

    def write() -> None:
        # On close, so a streamed answer is timed to its last byte.
        line["duration_ms"] = round((time.perf_counter() - started) * 1000, 2)
        line["ts"] = datetime.now(timezone.utc).isoformat(timespec="milliseconds")
        logger.info(json.dumps(line, ensure_ascii=False))

    response.call_on_close(write)
    return response


def init_app(app: Flask) -> None:
    _configure_logger()
    # First in line, so every later hook (and every error) can use the request id.
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_finish)
