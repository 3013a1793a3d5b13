"""Load test: many users chatting at once against `coachbot serve --workers 2` on loopback.

Runs once on SQLite and once on PostgreSQL + Redis (or one of them with --backend), prints
throughput and p50/p95/p99 latency of POST /api/chat, and checks that nothing was lost: every
answered (200) message is in its conversation afterwards, and no request got a 5xx. The baseline
in the same run is GET /healthz at the same concurrency (the server's floor: no database, no engine).

    python benchmarks/load.py                       # both backends, 50 users x 20 messages
    python benchmarks/load.py --backend sqlite --users 10 --messages 5

Standard library only (threads and http.client), plus psycopg to create the load database.
Exits non-zero when a check fails.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "how much do library technical assistants earn?", "what does an LTA do day to day?",
    "which certificates are worth it?", "do I need a degree?", "where do LTAs work?",
    "what skills should I learn first?", "is the job outlook good?", "what is cataloging?",
    "and in academic libraries?", "how long does the certificate take?",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Client:
    """One user: a kept-alive connection, a token, one conversation."""

    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.token: str | None = None

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, Any]:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=json.dumps(body) if body is not None else None,
                                  headers=headers)
                response = self.conn.getresponse()
                raw = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed an idle kept-alive connection: reconnect once.
                self.conn.close()
                if attempt == 2:
                    raise
        return response.status, json.loads(raw) if raw and response.headers.get_content_type() == "application/json" \
            else None


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))]


def run_users(port: int, users: int, messages: int, chat: bool) -> dict:
    latencies: list[float] = []
    statuses: dict[int | str, int] = {}
    answered: dict[str, int] = {}  # conversation id -> answers that got 200
    tokens: dict[str, str | None] = {}  # conversation id -> its owner's token
    lock = threading.Lock()
    start_line = threading.Barrier(users)

    def one_user(n: int) -> None:
        client = Client(port)
        status: int | str
        if chat:
            status, body = client.request("POST", "/api/users")
            if status != 201:
                with lock:
                    statuses[status] = statuses.get(status, 0) + 1
                return
            client.token = body["token"]
        conversation_id = None
        start_line.wait()
        for i in range(messages):
            started = time.perf_counter()
            try:
                if chat:
                    status, body = client.request("POST", "/api/chat", {
                        "message": QUESTIONS[(n + i) % len(QUESTIONS)], "conversation_id": conversation_id})
                else:
                    status, body = client.request("GET", "/healthz")
            except OSError as exc:
                status, body = type(exc).__name__, None
            elapsed = time.perf_counter() - started
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
                latencies.append(elapsed)
                if chat and status == 200:
                    conversation_id = body["conversation_id"]
                    answered[conversation_id] = answered.get(conversation_id, 0) + 1
        if chat and conversation_id:
            with lock:
                tokens[conversation_id] = client.token  # the owner reads it back afterwards

    threads = [threading.Thread(target=one_user, args=(n,)) for n in range(users)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    return {"latencies": latencies, "statuses": statuses, "wall": wall, "answered": answered, "tokens": tokens}


def lost_messages(port: int, answered: dict[str, int], tokens: dict[str, str | None]) -> int:
    """Answers that got a 200 but are not in their conversation now (each answer stores two messages)."""
    lost = 0
    reader = Client(port)
    for conversation_id, count in answered.items():
        reader.token = tokens[conversation_id]
        status, body = reader.request("GET", f"/api/conversations/{conversation_id}")
        stored = len(body["messages"]) if status == 200 else 0
        lost += max(0, 2 * count - stored)
    return lost


def start_server(env: dict, workdir: Path, workers: int = 2, threads: int = 8) -> tuple[subprocess.Popen, int]:
    port = free_port()
    log = open(workdir / "server.log", "wb")  # noqa: SIM115 (open while the server runs)
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("COACHBOT_", "OPENAI_"))}
    full_env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    full_env.update({"COACHBOT_KNOWLEDGE_DIR": str(ROOT / "knowledge"), "COACHBOT_PROMPTS_DIR": str(ROOT / "prompts"),
                     # High limits: the benchmark measures the service, not its rate limiter's refusals.
                     "COACHBOT_RATE_LIMIT_USER": "1000000/minute", "COACHBOT_RATE_LIMIT_IP": "1000000/minute",
                     **env})
    proc = subprocess.Popen([sys.executable, "-m", "coachbot.cli", "serve", "--workers", str(workers),
                             "--threads", str(threads), "--port", str(port)],
                            cwd=workdir, env=full_env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited early; see {workdir / 'server.log'}")
        try:
            if Client(port).request("GET", "/readyz")[0] == 200:
                return proc, port
        except OSError:
            time.sleep(0.2)
    raise SystemExit("server did not become ready")


def stop_server(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def fresh_postgres_database(url: str) -> None:
    """Drop and create the load database (never the shared `test` one)."""
    import psycopg

    base, name = url.rsplit("/", 1)
    if name in ("", "test", "postgres"):
        raise SystemExit(f"refusing to use the database {name!r} for load; name a dedicated one")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def report(label: str, result: dict, messages: int) -> None:
    lat = [x * 1000 for x in result["latencies"]]
    ok = sum(v for k, v in result["statuses"].items() if k in (200, 201))
    print(f"  {label:<22} {len(lat):>5} req in {result['wall']:6.2f}s = {len(lat) / result['wall']:7.1f} req/s"
          f" | p50 {percentile(lat, 50):7.1f} ms  p95 {percentile(lat, 95):7.1f} ms  p99 {percentile(lat, 99):7.1f} ms"
          f" | ok {ok}  statuses {dict(sorted(result['statuses'].items(), key=str))}")


def run_backend(name: str, env: dict, users: int, messages: int) -> bool:
    print(f"\n== {name}: {users} users x {messages} messages, gunicorn 2 workers (gthread, 8 threads) ==")
    with tempfile.TemporaryDirectory(prefix=f"coachbot-load-{name}-") as folder:
        workdir = Path(folder)
        env = {k: v.replace("{tmp}", folder) for k, v in env.items()}
        proc, port = start_server(env, workdir)
        try:
            baseline = run_users(port, users, messages, chat=False)
            report("baseline GET /healthz", baseline, messages)
            load = run_users(port, users, messages, chat=True)
            report("POST /api/chat", load, messages)
            lost = lost_messages(port, load["answered"], load["tokens"])
        finally:
            stop_server(proc)
        server_errors = sum(v for k, v in load["statuses"].items() if isinstance(k, int) and k >= 500)
        failures = sum(v for k, v in load["statuses"].items() if k != 200)
        print(f"  checks: 5xx={server_errors}  other failures={failures - server_errors}  lost messages={lost}  "
              f"conversations={len(load['answered'])}")
        good = server_errors == 0 and lost == 0 and failures == 0
        if not good:
            print(f"  FAILED (server log kept at {workdir / 'server.log'} only while running)")
        return good


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--pg-url", default=os.environ.get("COACHBOT_LOAD_POSTGRES_URL",
                                                            "postgresql://postgres@127.0.0.1:5432/coachbot_load"))
    parser.add_argument("--redis-url", default=os.environ.get("COACHBOT_LOAD_REDIS_URL", "redis://127.0.0.1:6379/3"))
    args = parser.parse_args()
    results = []
    if args.backend in ("sqlite", "both"):
        results.append(run_backend("sqlite", {"DATABASE_URL": "sqlite:///{tmp}/load.sqlite3"}, args.users,
                                   args.messages))
    if args.backend in ("postgres", "both"):
        fresh_postgres_database(args.pg_url)
        results.append(run_backend("postgresql+redis", {"DATABASE_URL": args.pg_url, "REDIS_URL": args.redis_url},
                                   args.users, args.messages))
    print("\nall checks passed" if all(results) else "\nSOME CHECKS FAILED")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
