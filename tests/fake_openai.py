"""A scripted OpenAI-compatible endpoint on 127.0.0.1, for fast tests of the model engine.

Each request to /v1/chat/completions takes the next script from the queue (or the default):
a reply streamed in pieces, an HTTP error, a malformed or cut-off stream, a hang, a dropped
connection. The server records what it was sent and whether the client went away.
"""
from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Script:
    kind: str = "reply"  # reply | status | malformed | cutoff | hang | drop
    pieces: list[str] = field(default_factory=list)
    finish: str = "stop"
    status: int = 200
    headers: dict = field(default_factory=dict)
    delay_s: float = 0.0  # between pieces (reply, cutoff) or before answering (hang)


def reply(text: str, pieces: int = 4, delay_s: float = 0.0, finish: str = "stop") -> Script:
    """`text` streamed in about `pieces` parts."""
    size = max(1, len(text) // pieces)
    return Script("reply", [text[i:i + size] for i in range(0, len(text), size)], finish=finish, delay_s=delay_s)


class FakeOpenAI:
    def __init__(self):
        self.scripts: list[Script] = []
        self.default = reply("The guide has nothing to add [1].")
        self.requests: list[dict] = []
        self.disconnected = threading.Event()  # the client closed the stream before its end
        self.pieces_sent = 0
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def queue(self, *scripts: Script) -> None:
        self.scripts.extend(scripts)

    def next_script(self, body: dict) -> Script:
        with self._lock:
            self.requests.append(body)
            return self.scripts.pop(0) if self.scripts else self.default

    def __enter__(self) -> FakeOpenAI:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output quiet
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                script = fake.next_script(body)
                getattr(self, f"_{script.kind}")(script)

            def _status(self, script: Script):
                payload = json.dumps({"error": {"message": "scripted failure", "type": "server_error"}}).encode()
                self.send_response(script.status)
                for name, value in script.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def _start_stream(self):
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Connection", "close")
                self.end_headers()

            def _event(self, data) -> bool:
                raw = data if isinstance(data, str) else json.dumps(data)
                try:
                    self.wfile.write(f"data: {raw}\n\n".encode())
                    self.wfile.flush()
                    return True
                except (BrokenPipeError, ConnectionResetError):
                    fake.disconnected.set()
                    return False

            def _chunk(self, text: str | None, finish: str | None) -> dict:
                delta = {"content": text} if text is not None else {}
                return {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": int(time.time()),
                        "model": "fake", "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}

            def _reply(self, script: Script, finished: bool = True):
                self._start_stream()
                if not self._event(self._chunk("", None)):
                    return
                for piece in script.pieces:
                    if script.delay_s:
                        time.sleep(script.delay_s)
                    if not self._event(self._chunk(piece, None)):
                        return
                    fake.pieces_sent += 1
                if finished and self._event(self._chunk(None, script.finish)):
                    self._event("[DONE]")
                self.close_connection = True

            def _cutoff(self, script: Script):
                self._reply(script, finished=False)  # the stream just ends: no finish_reason, no [DONE]

            def _malformed(self, script: Script):
                self._start_stream()
                self._event(self._chunk("Partial", None))
                self._event("{this is not json")
                self.close_connection = True

            def _hang(self, script: Script):
                time.sleep(script.delay_s)
                self.close_connection = True

            def _drop(self, script: Script):
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True

        return Handler


def refused_url() -> str:
    """A loopback URL where nothing listens: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


class Unaccepting:
    """A socket whose accept queue is full, so new connections wait until the client gives up:
    a real connect timeout, all on loopback."""

    def __init__(self):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(0)
        self.fillers = []
        port = self.listener.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{port}/v1"
        for _ in range(4):  # fill the backlog; connections beyond it wait in SYN-retry
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex(("127.0.0.1", port))
            self.fillers.append(filler)
        time.sleep(0.05)

    def close(self):
        for sock in self.fillers:
            sock.close()
        self.listener.close()
