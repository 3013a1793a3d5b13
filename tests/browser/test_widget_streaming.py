"""Answers appear while they are written: a stand-in API that holds its stream open half-way
shows that the widget draws each delta as it arrives, with the typing indicator before it."""
from __future__ import annotations

import http.server
import json
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect

WIDGET_JS = Path(__file__).resolve().parents[2] / "coachbot" / "web" / "static" / "widget.js"
PAGE = b'<!doctype html><html lang="en"><head><title>Slow</title></head><body><script src="/widget.js" defer></script></body></html>'


class SlowApi(http.server.BaseHTTPRequestHandler):
    """Serves the widget and a chat endpoint that waits between its events until told to go on."""
    first_delta_sent: threading.Event
    go_on: threading.Event

    def log_message(self, *args):
        pass

    def _send(self, status, body: bytes, content_type: str):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/widget.js":
            self._send(200, WIDGET_JS.read_bytes(), "text/javascript")
        else:
            self._send(200, PAGE, "text/html")

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path == "/api/users":
            self._send(201, b'{"user_id": "u1", "token": "t1"}', "application/json")
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()

        def event(name, data):
            self.wfile.write(f"event: {name}\ndata: {json.dumps(data)}\n\n".encode())
            self.wfile.flush()

        event("meta", {"conversation_id": "c1", "message_id": "m1", "citations": []})
        self.go_on.wait(5)  # the typing indicator is on screen meanwhile
        self.go_on.clear()
        event("delta", {"text": "The first half, **already** here. "})
        self.first_delta_sent.set()
        self.go_on.wait(5)
        event("delta", {"text": "And the rest."})
        event("done", {"conversation_id": "c1", "message_id": "m1", "answer": "The first half, **already** here. And the rest.",
                       "citations": [], "suggestions": [], "in_scope": True, "engine": "llm"})
        self.close_connection = True


@pytest.fixture
def slow_api():
    handler = type("Handler", (SlowApi,), {"first_delta_sent": threading.Event(), "go_on": threading.Event()})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", handler
    handler.go_on.set()
    server.shutdown()
    server.server_close()


def test_deltas_are_drawn_as_they_arrive(page, slow_api):
    url, handler = slow_api
    page.goto(url + "/")
    page.locator(".launcher").click()
    page.locator(".input").fill("Tell me slowly")
    page.locator(".input").press("Enter")

    expect(page.locator(".typing")).to_be_visible()
    expect(page.locator(".typing")).to_contain_text("Coachbot is writing")
    expect(page.locator(".send")).to_be_disabled()
    handler.go_on.set()

    assert handler.first_delta_sent.wait(10)
    answer = page.locator(".msg.answer")
    expect(answer.locator("strong")).to_have_text("already")  # Markdown while streaming, too
    expect(answer).to_have_attribute("aria-busy", "true")
    expect(page.locator(".typing")).to_have_count(0)
    expect(answer).not_to_contain_text("And the rest.")
    handler.go_on.set()

    expect(answer).to_contain_text("And the rest.")
    expect(answer).not_to_have_attribute("aria-busy", "true")
    expect(page.locator(".send")).to_be_enabled()
