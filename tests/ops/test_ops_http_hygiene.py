"""Security headers, request ids and the per-request JSON log line."""
from __future__ import annotations

import json
import logging

import pytest

from coachbot.ops.security import PAGE_CSP

SECRET_QUESTION = "my private question about salaries in Ohio"


class Lines(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines: list[dict] = []

    def emit(self, record):
        self.lines.append(json.loads(record.getMessage()))


@pytest.fixture
def request_lines():
    logger = logging.getLogger("coachbot.request")
    handler = Lines()
    logger.addHandler(handler)
    yield handler.lines
    logger.removeHandler(handler)


@pytest.mark.parametrize("path", ["/", "/knowledge/"])
def test_pages_get_a_strict_content_security_policy(client, path):
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "text/html"
    csp = response.headers["Content-Security-Policy"]
    assert csp == PAGE_CSP
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_pages_carry_no_inline_script(client):
    html = client.get("/").get_data(as_text=True)
    assert "<script>" not in html and " onclick=" not in html
    assert '<script src="/widget.js"' in html


def test_api_responses_and_errors_are_locked_down_too(client):
    for response in (client.post("/api/users"), client.get("/api/conversations"), client.get("/nope")):
        assert response.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_widget_script_keeps_its_own_headers(client):
    response = client.get("/widget.js", buffered=True)
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_sane_request_id_is_echoed_and_an_odd_one_replaced(client):
    assert client.get("/healthz", headers={"X-Request-ID": "abc-123.x"}).headers["X-Request-ID"] == "abc-123.x"
    for odd in ("", "a b", "x" * 200, "evil\"}", "é"):
        rid = client.get("/healthz", headers={"X-Request-ID": odd}).headers["X-Request-ID"]
        assert rid != odd and len(rid) == 32 and rid.isalnum()


def test_one_log_line_per_request_without_message_text(api, request_lines):
    response = api.client.post("/api/chat", json={"message": SECRET_QUESTION}, headers=api.auth, buffered=True)
    assert response.status_code == 200
    line = request_lines[-1]
    assert {k: line[k] for k in ("event", "method", "path", "status")} == {
        "event": "request", "method": "POST", "path": "/api/chat", "status": 200}
    assert line["request_id"] == response.headers["X-Request-ID"]
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert len(line["user"]) == 16 and line["user"] != api.user_id
    assert "salaries" not in json.dumps(line)
    anonymous = api.client.get("/healthz", buffered=True)
    assert request_lines[-1]["user"] is None and anonymous.status_code == 200


def test_message_text_is_logged_only_when_asked(make_app, request_lines):
    client = make_app(log_message_text=True).test_client()
    token = client.post("/api/users").get_json()["token"]
    client.post("/api/chat", json={"message": SECRET_QUESTION}, headers={"Authorization": f"Bearer {token}"},
                buffered=True)
    assert request_lines[-1]["message"] == SECRET_QUESTION


def test_streamed_answers_are_logged_when_the_stream_ends(api, request_lines):
    response = api.client.post("/api/chat", json={"message": "what does an LTA do?"},
                               headers={**api.auth, "Accept": "text/event-stream"}, buffered=True)
    assert response.status_code == 200 and "event: done" in response.get_data(as_text=True)
    assert request_lines[-1]["path"] == "/api/chat" and request_lines[-1]["status"] == 200
