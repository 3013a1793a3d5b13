"""/metrics: requests and latency by route and status, answers by engine, guard events; summed over
gunicorn workers."""
from __future__ import annotations

import re
import time

from ops_servers import Coachbot, call
from prometheus_client import REGISTRY

from coachbot.ops.metrics import on_guard_event


def sample(name: str, labels: dict) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def scraped(text: str, name: str, **labels) -> float:
    """The value of one series in a Prometheus text exposition (0 when absent)."""
    for line in text.splitlines():
        match = re.fullmatch(rf"{name}\{{(.*)\}} (\S+)", line)
        if match and all(f'{k}="{v}"' in match.group(1) for k, v in labels.items()):
            return float(match.group(2))
    return 0.0


def test_requests_latency_and_answers_are_counted(client):
    token = client.post("/api/users").get_json()["token"]
    chat_labels = {"method": "POST", "route": "/api/chat", "status": "200"}
    answers = {"engine": "extractive", "in_scope": "true"}
    before = (sample("coachbot_http_requests_total", chat_labels), sample("coachbot_answers_total", answers),
              sample("coachbot_http_request_duration_seconds_count", chat_labels))
    response = client.post("/api/chat", json={"message": "how much do LTAs earn?"},
                           headers={"Authorization": f"Bearer {token}"}, buffered=True)
    assert response.get_json()["engine"] == "extractive"
    after = (sample("coachbot_http_requests_total", chat_labels), sample("coachbot_answers_total", answers),
             sample("coachbot_http_request_duration_seconds_count", chat_labels))
    assert [b - a for a, b in zip(before, after, strict=True)] == [1, 1, 1]

    client.get("/no/such/page", buffered=True)
    text = client.get("/metrics").get_data(as_text=True)
    assert scraped(text, "coachbot_http_requests_total", route="unmatched", status="404") >= 1
    assert "/no/such/page" not in text  # paths never become labels


def test_guard_and_fallback_events_are_counted():
    before = sample("coachbot_guard_events_total", {"outcome": "repaired"})
    fallbacks = sample("coachbot_model_fallbacks_total", {"reason": "timeout"})
    on_guard_event("repaired", "invented figure")
    on_guard_event("fallbacks", "timeout")
    assert sample("coachbot_guard_events_total", {"outcome": "repaired"}) == before + 1
    assert sample("coachbot_model_fallbacks_total", {"reason": "timeout"}) == fallbacks + 1


def test_metrics_add_up_every_gunicorn_worker(tmp_path):
    server = Coachbot(tmp_path, {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}, workers=2, threads=2)
    try:
        before = settled_count(server.base, route="/healthz", status="200")
        for _ in range(30):  # a new connection each time: both workers answer some
            assert call(server.base, "GET", "/healthz")[0] == 200
        token = call(server.base, "POST", "/api/users")[2]["token"]
        assert call(server.base, "POST", "/api/chat", {"message": "what does an LTA do?"}, token=token)[0] == 200
        assert settled_count(server.base, route="/healthz", status="200") == before + 30
        status, _, text = call(server.base, "GET", "/metrics")
        assert status == 200
        assert scraped(text, "coachbot_answers_total", engine="extractive") == 1
    finally:
        server.stop()


def settled_count(base: str, **labels) -> float:
    """Requests counted so far with these labels, once the count stops moving: a request is counted
    when its response is closed, just after the client has it (and before it, /metrics may be empty)."""
    last = None
    for _ in range(50):
        status, _, text = call(base, "GET", "/metrics")
        assert status == 200
        count = scraped(text or "", "coachbot_http_requests_total", **labels)
        if count == last:
            return count
        last = count
        time.sleep(0.05)
    raise AssertionError(f"the count of {labels} kept moving")
