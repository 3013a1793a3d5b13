"""Time to first token: through Coachbot's streaming API, and straight from the model server with
the very prompt Coachbot built. The difference is what Coachbot adds (HTTP, auth, history,
retrieval, prompt building, the model client, SSE).

    python benchmarks/ttft.py [--model-url http://127.0.0.1:PORT/v1] [--rounds 15] [--new 5]

Without --model-url it starts llama.cpp's server with SmolLM2-135M-Instruct (as the tests do).
It also starts `coachbot serve` on a free port, pointed at that server, with its own SQLite file.

llama.cpp reuses the KV cache of its previous prompt, so two cases are measured:
- repeated prompt: the same prompt was just evaluated, the first token comes in milliseconds;
- new prompt: the cache holds something else (a one-token request in between), so the whole
  prompt is evaluated first, which takes seconds on a CPU.
Each pair (direct, through Coachbot) is measured back to back under the same cache state, and
the median of the per-pair differences is printed. A new prompt's evaluation takes seconds and
varies by seconds on a busy machine, which drowns a difference of milliseconds; so Coachbot's
requests to the model also pass through a timing relay here, which notes when each piece of
the model's stream went back to Coachbot. Coachbot streams a model's text only once the guard
has checked it (a whole sentence that covers the question), or the built-in answer when the
model's falls short, so its first token waits for the model's text it needs. Coachbot's own
overhead on a request is the time from the last piece of the model's stream that reached it
before its first token, to that first token reaching the client: checking, storing and
sending, on one clock. Target: a median under 30 ms in both cases.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import socketserver
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the local model server module the tests use

from llm_server import LlamaServer, free_port  # noqa: E402

from coachbot import create_app  # noqa: E402
from coachbot.coach import RETRIEVE_K  # noqa: E402
from coachbot.engines.base import Question  # noqa: E402

MODEL = "smollm2"
MAX_TOKENS = 16  # only the first token matters; a short answer keeps the run short
QUESTIONS = [
    "What is the median salary for this role?",
    "Which integrated library systems are common?",
    "What cataloging standards are used?",
    "How much does an associate's degree in library technology cost?",
    "What are the cons of this career?",
    "Is remote work common for LTAs?",
    "What does a Senior Library Technical Assistant do?",
    "What visa category applies to LTAs moving abroad?",
]


def post_stream(url: str, body: dict, headers: dict, first_token) -> float:
    """Seconds from sending the request to the first token, reading the stream to its end."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=120)
    payload = json.dumps(body).encode()
    start = time.perf_counter()
    connection.request("POST", parts.path, payload, {"Content-Type": "application/json", **headers})
    response = connection.getresponse()
    if response.status != 200:
        raise RuntimeError(f"{url} answered {response.status}: {response.read()[:200]!r}")
    ttft = None
    for raw in response:
        if ttft is None and first_token(raw.decode("utf-8", "replace").strip()):
            ttft = time.perf_counter() - start
    connection.close()
    if ttft is None:
        raise RuntimeError(f"{url} streamed no token")
    post_stream.last_start = start  # type: ignore[attr-defined]
    return ttft


def model_token(line: str) -> bool:
    if not line.startswith("data: ") or line == "data: [DONE]":
        return False
    choices = json.loads(line[6:]).get("choices") or [{}]
    return bool((choices[0].get("delta") or {}).get("content"))


def coachbot_token(line: str) -> bool:
    return line == "event: delta"


class Relay:
    """Forwards Coachbot's model calls to the model server, timing each one: when the request
    arrived and when the first token went back, on this process's clock."""

    def __init__(self, target: str):
        self.target = urllib.parse.urlsplit(target)
        self.timings: list[tuple[float, list[float]]] = []  # when a request came, when each piece went back
        relay = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                self._forward(None)

            def do_POST(self):
                self._forward(self.rfile.read(int(self.headers.get("Content-Length") or 0)))

            def _forward(self, body):
                received = time.perf_counter()
                upstream = http.client.HTTPConnection(relay.target.hostname, relay.target.port, timeout=120)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in {"host", "connection"}}
                upstream.request(self.command, self.path, body, headers)
                response = upstream.getresponse()
                self.send_response(response.status)
                for name, value in response.getheaders():
                    if name.lower() not in {"transfer-encoding", "connection", "content-length"}:
                        self.send_header(name, value)
                self.send_header("Connection", "close")
                self.end_headers()
                sent: list[float] = []
                relay.timings.append((received, sent))  # `sent` fills as the stream goes on
                for line in response:
                    self.wfile.write(line)
                    self.wfile.flush()
                    if line.strip():
                        sent.append(time.perf_counter())
                upstream.close()
                self.close_connection = True

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}{self.target.path}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class Bench:
    def __init__(self, model_url: str, coachbot_url: str, token: str, app, relay: Relay):
        self.model_url, self.coachbot_url, self.token, self.app = model_url, coachbot_url, token, app
        self.relay = relay

    def messages(self, message: str) -> list[dict]:
        """The prompt Coachbot builds for a new conversation's first message."""
        coach = self.app.extensions["coachbot"].coach
        question = Question(message, message, coach.index.search(message, k=RETRIEVE_K), [])
        return coach.engine.build_messages(question)[1]

    def direct(self, messages: list[dict]) -> float:
        body = {"model": MODEL, "messages": messages, "stream": True, "max_tokens": MAX_TOKENS, "temperature": 0.0}
        return post_stream(f"{self.model_url}/chat/completions", body, {}, model_token)

    def through_coachbot(self, message: str) -> tuple[float, float]:
        """Time to first token through Coachbot, and the model's part of it: until the last piece
        of the model's stream that Coachbot had before it sent its first token (from the relay)."""
        before = len(self.relay.timings)
        ttft = post_stream(f"{self.coachbot_url}/api/chat", {"message": message},
                           {"Accept": "text/event-stream", "Authorization": f"Bearer {self.token}"},
                           coachbot_token)
        start = post_stream.last_start  # type: ignore[attr-defined]
        deadline = time.monotonic() + 2
        while len(self.relay.timings) <= before and time.monotonic() < deadline:
            time.sleep(0.001)
        _, sent = self.relay.timings[before]
        needed = max(t for t in sent if t <= start + ttft)
        return ttft, needed - start

    def flush(self) -> None:
        """Replace the server's cached prompt with an unrelated one-token request."""
        self.direct([{"role": "user", "content": f"Say one word. {time.perf_counter()}"}])


def report(name: str, samples: list[tuple[float, float, float]]) -> float:
    """samples: (direct ttft, ttft through Coachbot, the model's part of the latter), in seconds."""
    direct = [d * 1000 for d, _, _ in samples]
    coachbot = [c * 1000 for _, c, _ in samples]
    own = [(c - m) * 1000 for _, c, m in samples]
    paired = statistics.median([c - d for d, c in zip(direct, coachbot, strict=True)])
    overhead = statistics.median(own)
    print(f"{name}: n={len(samples)}")
    print(f"  direct from the model server: median {statistics.median(direct):.1f} ms "
          f"(min {min(direct):.1f}, max {max(direct):.1f})")
    print(f"  through Coachbot:             median {statistics.median(coachbot):.1f} ms "
          f"(min {min(coachbot):.1f}, max {max(coachbot):.1f})")
    print(f"  median of pair differences (Coachbot - direct): {paired:.1f} ms")
    print(f"  Coachbot's own overhead (its time - the model's time, same request): median {overhead:.1f} ms "
          f"(max {max(own):.1f})")
    return overhead


def start_coachbot(model_url: str, database: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "OPENAI_BASE_URL": model_url, "OPENAI_API_KEY": "local", "COACHBOT_MODEL": MODEL,
           "COACHBOT_MODEL_MAX_TOKENS": str(MAX_TOKENS), "DATABASE_URL": f"sqlite:///{database}",
           "COACHBOT_RATE_LIMIT_USER": "100000/minute", "COACHBOT_RATE_LIMIT_IP": "100000/minute"}
    process = subprocess.Popen([sys.executable, "-m", "coachbot.cli", "serve", "--port", str(port)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"{url}/readyz", timeout=2):
                return process, url
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("coachbot serve did not become ready")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-url", help="a running OpenAI-compatible server (default: start llama.cpp)")
    parser.add_argument("--rounds", type=int, default=15, help="pairs measured with a repeated prompt")
    parser.add_argument("--new", type=int, default=5, help="pairs measured with a new prompt")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ttft-"))
    llama = None
    model_url = args.model_url
    if not model_url:
        llama = LlamaServer(work / "llama.log")
        llama.start()
        model_url = llama.base_url
    relay = Relay(model_url)
    coachbot, coachbot_url = start_coachbot(relay.base_url, str(work / "bench.sqlite3"))
    try:
        app = create_app({"database_url": f"sqlite:///{work / 'prompts.sqlite3'}", "openai_base_url": model_url,
                          "openai_api_key": "local", "model": MODEL, "model_max_tokens": MAX_TOKENS})
        with urllib.request.urlopen(urllib.request.Request(f"{coachbot_url}/api/users", method="POST")) as r:
            token = json.load(r)["token"]
        bench = Bench(model_url, coachbot_url, token, app, relay)

        question = QUESTIONS[0]
        messages = bench.messages(question)
        bench.through_coachbot(question)  # warm up both paths and the cache
        repeated = []
        for i in range(args.rounds):
            # Alternate the order so neither path always follows the other.
            if i % 2:
                c, m = bench.through_coachbot(question)
                d = bench.direct(messages)
            else:
                d = bench.direct(messages)
                c, m = bench.through_coachbot(question)
            repeated.append((d, c, m))

        fresh = []
        for i in range(args.new):
            question = QUESTIONS[(i + 1) % len(QUESTIONS)]
            messages = bench.messages(question)
            bench.flush()
            d = bench.direct(messages)
            bench.flush()
            c, m = bench.through_coachbot(question)
            fresh.append((d, c, m))

        print(f"time to first token, model {MODEL} at {model_url}, max_tokens={MAX_TOKENS}")
        over_repeated = report("repeated prompt (cached)", repeated)
        over_new = report("new prompt (not cached)  ", fresh)
        target = 30.0
        verdict = "met" if over_repeated < target and over_new < target else "NOT met"
        print(f"target: Coachbot's median overhead under {target:.0f} ms in each case: {verdict}")
    finally:
        coachbot.terminate()
        coachbot.wait(timeout=20)
        relay.close()
        if llama:
            llama.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
