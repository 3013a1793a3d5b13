"""Faults under load: the database stops, a worker is killed, the model is down or hangs.

Each fault is injected into servers of the test's own (a throwaway PostgreSQL cluster, gunicorn
started here), never into the machine's shared services.
"""
from __future__ import annotations

import http.client
import os
import signal
import socket
import sqlite3
import threading
import time

import psycopg
import pytest
from ops_servers import Coachbot, ThrowawayPostgres, call, free_port

QUESTIONS = ["how much do LTAs earn?", "what certificates can I get?", "what does the job involve?",
             "where do LTAs work?"]


class Chatter(threading.Thread):
    """One user chatting in one conversation until told to stop; keeps every outcome."""

    def __init__(self, base: str, token: str, stop: threading.Event):
        super().__init__(daemon=True)
        self.base, self.token, self.stop = base, token, stop
        self.conversation_id: str | None = None
        self.outcomes: list[tuple[float, int | str, dict | None]] = []  # (time, status or error, body)
        self.stored: list[str] = []  # message ids answered 200

    def run(self):
        n = 0
        while not self.stop.is_set():
            body = {"message": QUESTIONS[n % len(QUESTIONS)], "conversation_id": self.conversation_id}
            n += 1
            try:
                status, _, answer = call(self.base, "POST", "/api/chat", body, token=self.token, timeout=30)
            except (ConnectionError, http.client.HTTPException, OSError) as exc:  # a killed worker drops its sockets
                self.outcomes.append((time.monotonic(), type(exc).__name__, None))
                time.sleep(0.05)
                continue
            self.outcomes.append((time.monotonic(), status, answer))
            if status == 200:
                self.conversation_id = answer["conversation_id"]
                self.stored.append(answer["message_id"])
            else:
                time.sleep(0.05)

    def statuses(self, since: float = 0.0) -> list:
        return [status for moment, status, _ in self.outcomes if moment >= since]


def run_chatters(base: str, count: int) -> tuple[list[Chatter], threading.Event]:
    stop = threading.Event()
    chatters = [Chatter(base, call(base, "POST", "/api/users")[2]["token"], stop) for _ in range(count)]
    for chatter in chatters:
        chatter.start()
    return chatters, stop


def wait_until(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def assert_conversations_whole(rows: list[tuple[str, int, str]], answered: list[str], message_ids: set[str]) -> None:
    """Every 200 is stored; each conversation is question/answer pairs in order, nothing half-written."""
    assert set(answered) <= message_ids, "an answered message is missing from the database"
    by_conversation: dict[str, list[tuple[int, str]]] = {}
    for conversation_id, seq, role in rows:
        by_conversation.setdefault(conversation_id, []).append((seq, role))
    for conversation_id, messages in by_conversation.items():
        messages.sort()
        seqs = [seq for seq, _ in messages]
        assert seqs == list(range(1, len(seqs) + 1)), (conversation_id, seqs)
        assert [role for _, role in messages] == ["user", "assistant"] * (len(messages) // 2), conversation_id


@pytest.fixture
def throwaway_postgres():
    server = ThrowawayPostgres()
    yield server
    server.destroy()


def test_database_stopped_under_load_answers_503_then_recovers(tmp_path, throwaway_postgres):
    pg = throwaway_postgres
    server = Coachbot(tmp_path, {"DATABASE_URL": pg.url, "COACHBOT_RATE_LIMIT_USER": "100000/minute",
                                 "COACHBOT_RATE_LIMIT_IP": "100000/minute"}, workers=2, threads=4)
    chatters, stop = run_chatters(server.base, 4)
    try:
        assert wait_until(lambda: all(len(c.stored) >= 2 for c in chatters), 60)
        pg.stop()
        down_since = time.monotonic()
        assert wait_until(lambda: all(503 in c.statuses(down_since) for c in chatters), 30)
        status, headers, body = call(server.base, "GET", "/readyz")
        assert status == 503 and body["checks"]["database"] is False
        token = chatters[0].token
        for method, path, payload, accept in [("GET", "/api/conversations", None, None),
                                              ("POST", "/api/users", None, None),
                                              ("POST", "/api/chat", {"message": "hello"}, "text/event-stream"),
                                              ("GET", "/api/me/export", None, None)]:
            status, headers, body = call(server.base, method, path, payload, token=token,
                                         headers={"Accept": accept} if accept else None)
            assert status == 503, (path, status, body)
            assert body["error"]["code"] == "database_unavailable" and headers["Retry-After"]
        assert call(server.base, "GET", "/healthz")[0] == 200  # the process itself is fine
        pg.start()
        back_since = time.monotonic()
        assert wait_until(lambda: all(200 in c.statuses(back_since) for c in chatters), 60), "no recovery"
        assert call(server.base, "GET", "/readyz")[0] == 200
    finally:
        stop.set()
        for chatter in chatters:
            chatter.join(timeout=60)
        server.stop()
    statuses = [s for c in chatters for s in c.statuses()]
    assert set(statuses) <= {200, 503}, sorted(set(map(str, statuses)))
    assert statuses.count(503) >= len(chatters)
    bad = [body for c in chatters for _, s, body in c.outcomes if s == 503 and body["error"]["code"] !=
           "database_unavailable"]
    assert bad == []
    with psycopg.connect(pg.url.replace("+psycopg", "")) as conn:
        rows = conn.execute("SELECT conversation_id, seq, role FROM messages").fetchall()
        ids = {r[0] for r in conn.execute("SELECT id FROM messages")}
    assert_conversations_whole(rows, [m for c in chatters for m in c.stored], ids)


def test_a_worker_killed_under_load_loses_nothing_and_is_replaced(tmp_path):
    database = tmp_path / "db.sqlite3"
    server = Coachbot(tmp_path, {"DATABASE_URL": f"sqlite:///{database}", "COACHBOT_RATE_LIMIT_USER": "100000/minute",
                                 "COACHBOT_RATE_LIMIT_IP": "100000/minute"}, workers=2, threads=4)
    chatters, stop = run_chatters(server.base, 6)
    try:
        assert wait_until(lambda: all(len(c.stored) >= 2 for c in chatters), 60)
        workers = server.worker_pids()
        assert len(workers) == 2
        victim = min(workers)
        os.kill(victim, signal.SIGKILL)
        killed_at = time.monotonic()
        assert wait_until(lambda: len(server.worker_pids() - {victim}) == 2, 30), "gunicorn did not replace the worker"
        assert wait_until(lambda: all(200 in c.statuses(killed_at + 1) for c in chatters), 60)
    finally:
        stop.set()
        for chatter in chatters:
            chatter.join(timeout=60)
        server.stop()
    statuses = [s for c in chatters for s in c.statuses()]
    # Requests on the killed worker lose their connection; none may answer with a server error.
    assert not [s for s in statuses if isinstance(s, int) and s >= 500], statuses
    assert all(s == 200 or isinstance(s, str) for s in statuses), sorted(set(map(str, statuses)))
    with sqlite3.connect(database) as conn:
        rows = conn.execute("SELECT conversation_id, seq, role FROM messages").fetchall()
        ids = {r[0] for r in conn.execute("SELECT id FROM messages")}
    assert_conversations_whole(rows, [m for c in chatters for m in c.stored], ids)


class SilentModel:
    """A TCP server that accepts connections and never answers: a hung model endpoint."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)

    def close(self):
        self.sock.close()
        for conn in self.held:
            conn.close()


@pytest.fixture
def silent_model():
    model = SilentModel()
    yield model
    model.close()


@pytest.mark.parametrize("endpoint", ["closed", "silent"])
@pytest.mark.parametrize("stream", [False, True], ids=["json", "sse"])
def test_model_down_or_hanging_answers_with_the_built_in_engine(make_app, request, endpoint, stream):
    port = free_port() if endpoint == "closed" else request.getfixturevalue("silent_model").port
    app = make_app(openai_base_url=f"http://127.0.0.1:{port}/v1", openai_api_key="unused", model="any-model",
                   model_timeout_s=1.0, model_connect_timeout_s=0.5)
    client = app.test_client()
    token = client.post("/api/users").get_json()["token"]
    headers = {"Authorization": f"Bearer {token}", **({"Accept": "text/event-stream"} if stream else {})}
    started = time.monotonic()
    response = client.post("/api/chat", json={"message": "how much do LTAs earn?"}, headers=headers, buffered=True)
    assert response.status_code == 200
    if stream:
        text = response.get_data(as_text=True)
        assert "event: done" in text and "event: error" not in text
        import json
        answer = json.loads(text.split("event: done\ndata: ", 1)[1].split("\n", 1)[0])
    else:
        answer = response.get_json()
    assert answer["engine"] == "extractive" and answer["notice"]
    assert answer["citations"] and answer["in_scope"] is True
    assert time.monotonic() - started < 15  # bounded by the timeouts (and one retry), never hung
