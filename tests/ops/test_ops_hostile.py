"""Hostile input gets a clear 4xx, never a 500, and leaves no traceback in the log."""
from __future__ import annotations

import logging
import socket

import pytest
from prometheus_client import REGISTRY

from ops_servers import Coachbot, ThrowawayRedis, call, key_prefix  # noqa: F401 (fixture)


def auth_for(client) -> dict:
    return {"Authorization": f"Bearer {client.post('/api/users').get_json()['token']}"}


def nested(levels: int) -> str:
    return '{"message": ' + "[" * levels + "]" * levels + "}"


JSON_ENDPOINTS = [("POST", "/api/chat"), ("PUT", "/api/profile"), ("PATCH", "/api/profile"),
                  ("POST", "/api/plan"), ("POST", "/api/token/revoke"), ("POST", "/api/messages/x/feedback")]


@pytest.mark.parametrize("levels", [33, 330, 100_000])
@pytest.mark.parametrize("method, path", JSON_ENDPOINTS)
def test_deeply_nested_json_is_refused_on_every_endpoint(client, method, path, levels, caplog):
    auth = auth_for(client)
    response = client.open(path, method=method, data=nested(levels), content_type="application/json", headers=auth)
    assert response.status_code == 400, response.get_data(as_text=True)[:200]
    assert response.get_json()["error"]["code"] == "too_deep"
    assert not [r for r in caplog.records if r.exc_info]
    assert client.get("/api/me", headers=auth).status_code == 200  # a refused revoke revoked nothing


def test_json_within_the_depth_limit_is_read_as_before(client):
    auth = auth_for(client)
    response = client.post("/api/chat", data=nested(30), content_type="application/json", headers=auth)
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "bad_message"


@pytest.mark.parametrize("field", ["hours_per_week", "budget_usd"])
@pytest.mark.parametrize("number", ["1" + "0" * 308, "-" + "9" * 400, "1e999"])
def test_huge_numbers_in_a_profile_are_out_of_range(client, field, number):
    auth = auth_for(client)
    for method in ("PUT", "PATCH"):
        response = client.open("/api/profile", method=method, data=f'{{"{field}": {number}}}',
                               content_type="application/json", headers=auth)
        assert response.status_code == 400, response.get_data(as_text=True)[:200]
        assert response.get_json()["error"]["code"] in {"out_of_range", "bad_type"}


def test_the_message_limit_counts_the_message_without_surrounding_space(client):
    auth = auth_for(client)
    padded = " " * 500 + "what does an LTA do? " + "x" * (4000 - 21) + "\n" * 500
    assert client.post("/api/chat", json={"message": padded}, headers=auth).status_code == 200
    too_long = client.post("/api/chat", json={"message": "y" * 4001}, headers=auth)
    assert too_long.status_code == 413 and too_long.get_json()["error"]["code"] == "message_too_long"


def series(name: str) -> int:
    return sum(len(metric.samples) for metric in REGISTRY.collect() if metric.name == name)


def test_unknown_methods_share_one_metrics_label(client):
    client.open("/api/chat", method="BREW", buffered=True)
    before = series("coachbot_http_requests")
    for n in range(30):
        assert client.open("/api/chat", method=f"X{n}RANDOM", buffered=True).status_code in {400, 405}
    assert series("coachbot_http_requests") == before
    text = client.get("/metrics").get_data(as_text=True)
    assert 'method="other"' in text and "RANDOM" not in text


def test_metrics_are_for_the_scraper_only(make_app):
    allowed = make_app(metrics_allow="10.0.0.0/8").test_client()
    assert allowed.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 200
    refused = allowed.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "forbidden"
    assert allowed.get("/metrics").status_code == 403  # loopback is no longer on the list

    with_token = make_app(metrics_token="scrape-4b9c1d2e").test_client()
    assert with_token.get("/metrics").status_code == 403
    assert with_token.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert with_token.get("/metrics", headers={"Authorization": "Bearer scrape-4b9c1d2e"}).status_code == 200


def test_limits_failing_open_warn_once_per_outage_without_tracebacks(make_app, key_prefix, caplog, monkeypatch):
    from coachbot.ops import limits

    monkeypatch.setattr(limits, "RETRY_AFTER_OUTAGE_S", 0.0)  # try Redis on every request
    redis = ThrowawayRedis()
    app = make_app(redis_url=redis.url, rate_limit_fail_open=True, rate_limit_key_prefix=key_prefix,
                   rate_limit_exempt_addresses=())
    client = app.test_client()
    auth = auth_for(client)
    port = redis.port
    redis.kill()
    caplog.set_level(logging.WARNING)
    assert [client.get("/api/conversations", headers=auth).status_code for _ in range(5)] == [200] * 5
    down = [r for r in caplog.records if "rate-limit store unavailable" in r.getMessage()]
    assert len(down) == 1 and down[0].levelno == logging.WARNING
    assert not [r for r in caplog.records if r.exc_info]

    back = ThrowawayRedis.__new__(ThrowawayRedis)
    import shutil
    import subprocess

    from ops_servers import wait_for_port
    back.proc = subprocess.Popen([shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1",
                                  "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
    try:
        assert wait_for_port(port)
        assert client.get("/api/conversations", headers=auth).status_code == 200
        assert len([r for r in caplog.records if "rate-limit store is back" in r.getMessage()]) == 1
    finally:
        app.extensions["coachbot_limits"].counters.client.close()
        back.kill()


def raw_request(port: int, data: bytes) -> tuple[int, dict, str]:
    """Send raw bytes; return the status, headers and body of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(data)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    return int(lines[0].split()[1]), {k.lower(): v for k, v in headers.items()}, body.decode("utf-8", "replace")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    running = Coachbot(folder, {"DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}"}, workers=1, threads=4)
    yield running
    running.stop()


def test_a_chunked_body_over_the_limit_is_refused_not_truncated(server):
    token = call(server.base, "POST", "/api/users")[2]["token"]
    body = b'{"message": "' + b"a" * (1024 * 1024 + 10) + b'"}'
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + 65536]), body[i:i + 65536])
                       for i in range(0, len(body), 65536)) + b"0\r\n\r\n"
    head = (f"POST /api/chat HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
            "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n").encode()
    status, headers, text = raw_request(server.port, head + chunked)
    assert status == 413 and '"too_large"' in text


def test_errors_gunicorn_raises_itself_are_json(server):
    cases = [(b"GET /" + b"a" * 5000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
             (b"GET / HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-H%d: v\r\n" % i for i in range(120)) + b"\r\n", 431),
             (b"NOT A REQUEST\r\n\r\n", 400)]
    for data, expected in cases:
        status, headers, text = raw_request(server.port, data)
        assert status == expected and headers["content-type"] == "application/json", text[:200]
        assert text.startswith('{"error": {"code": ')


def test_hostile_requests_leave_no_traceback_in_the_server_log(server):
    token = call(server.base, "POST", "/api/users")[2]["token"]
    deep = nested(330).encode()
    for path, method in (("/api/chat", "POST"), ("/api/profile", "PUT"), ("/api/profile", "PATCH")):
        head = (f"{method} {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Type: "
                f"application/json\r\nContent-Length: {len(deep)}\r\nConnection: close\r\n\r\n").encode()
        assert raw_request(server.port, head + deep)[0] == 400
    assert call(server.base, "PUT", "/api/profile", {"budget_usd": 10 ** 308}, token=token)[0] == 400
    assert "Traceback" not in server.read_log()
