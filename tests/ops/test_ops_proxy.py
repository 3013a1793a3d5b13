"""The deployment's proxy set-up, for real: deploy/nginx.conf (Debian's nginx) in front of `coachbot serve`
in production mode, trusting one hop from the proxy's address only."""
from __future__ import annotations

import socket
import threading
import time

import pytest

from ops_servers import Coachbot, Nginx, call_from

SECRET = "kM3v-Qx9_tR2wYz8LpN4sJ7hB1cF6dGa"


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    folder = tmp_path_factory.mktemp("proxy")
    app = Coachbot(folder, {"DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}", "COACHBOT_ENV": "production",
                            "COACHBOT_SECRET_KEY": SECRET, "COACHBOT_TRUSTED_PROXY_HOPS": "1",
                            "COACHBOT_TRUSTED_PROXIES": "127.0.0.1", "COACHBOT_RATE_LIMIT_IP": "5/minute",
                            "COACHBOT_RATE_LIMIT_USER": "1000/minute"}, workers=1, threads=4)
    proxy = Nginx(app.port)
    yield app, proxy
    proxy.stop()
    app.stop()


def create_users(source: str, port: int, count: int, headers: dict | None = None) -> list[int]:
    return [call_from(source, port, "POST", "/api/users", headers)[0] for _ in range(count)]


def test_each_client_behind_the_proxy_has_its_own_address_budget(deployment):
    app, proxy = deployment
    assert create_users("127.0.0.2", proxy.port, 6) == [201] * 5 + [429]
    # Another client still has its budget: the proxy's own address is not what is counted.
    assert create_users("127.0.0.3", proxy.port, 1) == [201]
    # A forged X-Forwarded-For through the proxy does not buy a fresh budget either.
    forged = create_users("127.0.0.2", proxy.port, 3, {"X-Forwarded-For": "198.51.100.7"})
    assert forged == [429] * 3


def test_a_spoofed_header_sent_straight_to_the_app_port_does_not_help(deployment):
    app, _ = deployment
    statuses = [call_from("127.0.0.9", app.port, "POST", "/api/users", {"X-Forwarded-For": f"203.0.113.{n}"})[0]
                for n in range(7)]
    assert statuses == [201] * 5 + [429] * 2


def test_proxy_errors_and_metrics_answer_in_json(deployment):
    _, proxy = deployment
    status, body = call_from("127.0.0.4", proxy.port, "GET", "/metrics")
    assert status == 404 and body["error"]["code"] == "not_found"
    status, body = call_from("127.0.0.4", proxy.port, "POST", "/api/chat",
                             {"Content-Type": "application/json"}, b"x" * (1024 * 1024 + 1))
    assert status == 413 and body["error"]["code"] == "too_large"
    status, body = call_from("127.0.0.4", proxy.port, "GET", "/" + "a" * 40_000)
    assert status in (400, 414) and body["error"]["code"] == "bad_request"
    status, body = call_from("127.0.0.4", proxy.port, "GET", "/healthz")
    assert status == 200 and body == {"status": "ok"}


def slow_clients(port: int, count: int, stop: threading.Event) -> list[threading.Thread]:
    """`count` clients that send a request a byte a second and never finish it."""
    def dribble():
        request = b"POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
                for byte in request + b"{" * 500:
                    if stop.is_set():
                        return
                    sock.sendall(bytes([byte]))
                    stop.wait(1.0)
        except OSError:
            return  # the server gave up on us: that is the point

    threads = [threading.Thread(target=dribble, daemon=True) for _ in range(count)]
    for thread in threads:
        thread.start()
    return threads


def health_answers(port: int, seconds: float) -> list[bool]:
    answers, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            answers.append(call_from("127.0.0.5", port, "GET", "/healthz")[0] == 200)
        except OSError:  # timed out
            answers.append(False)
        time.sleep(0.3)
    return answers


def test_slow_clients_are_absorbed_by_the_proxy(deployment, monkeypatch):
    import http.client

    app, proxy = deployment
    original = http.client.HTTPConnection.__init__
    monkeypatch.setattr(http.client.HTTPConnection, "__init__",
                        lambda self, *a, **k: original(self, *a, **{**k, "timeout": 2}))
    stop = threading.Event()
    threads = slow_clients(proxy.port, 16, stop)
    try:
        time.sleep(2)
        assert all(health_answers(proxy.port, 4))
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=5)
    # The same clients straight at gunicorn hold every thread of its only worker: this is why it is
    # never exposed directly.
    stop = threading.Event()
    threads = slow_clients(app.port, 8, stop)
    try:
        time.sleep(2)
        assert not any(health_answers(app.port, 3))
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=5)
