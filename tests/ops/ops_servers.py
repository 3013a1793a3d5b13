"""Real servers for the operations tests: gunicorn running Coachbot, and throwaway PostgreSQL and Redis
servers of the tests' own (on free ports, in temporary folders) that the tests may stop and kill."""
from __future__ import annotations

import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def needs(name: str, reason: str):
    """A missing service fails the run in CI and skips the test on a developer's machine."""
    if os.environ.get("CI"):
        pytest.fail(f"{name} is required in CI: {reason}")
    pytest.skip(f"{name} not available: {reason}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.1)
    return False


def call(base: str, method: str, path: str, body=None, token: str | None = None, headers: dict | None = None,
         timeout: float = 30.0):
    """One HTTP request; returns (status, headers, parsed JSON or text). Never raises on HTTP errors."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, head, raw = response.status, response.headers, response.read()
    except urllib.error.HTTPError as err:
        status, head, raw = err.code, err.headers, err.read()
    text = raw.decode("utf-8", "replace")
    try:
        return status, head, json.loads(text) if text else None
    except ValueError:
        return status, head, text


class Coachbot:
    """`coachbot serve` in a subprocess, in its own folder (so no .env is read)."""

    def __init__(self, workdir: Path, env: dict, workers: int = 2, threads: int = 8):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(workdir / f"server-{self.port}.log", "wb")
        full_env = {k: v for k, v in os.environ.items() if not k.startswith(("COACHBOT_", "OPENAI_"))}
        full_env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        full_env.update({"COACHBOT_KNOWLEDGE_DIR": str(ROOT / "knowledge"), "COACHBOT_PROMPTS_DIR": str(ROOT / "prompts"),
                         **env})
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "coachbot.cli", "serve", "--port", str(self.port), "--workers", str(workers),
             "--threads", str(threads)],
            cwd=workdir, env=full_env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"coachbot serve exited with {self.proc.returncode}: {self.read_log()[-2000:]}")
            try:
                if call(self.base, "GET", "/healthz", timeout=2)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("coachbot serve did not come up")

    def read_log(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text(errors="replace")

    def worker_pids(self) -> set[int]:
        pids = set()
        for stat in glob.glob("/proc/[0-9]*/stat"):
            try:
                fields = Path(stat).read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.proc.pid:  # field 4 of stat: the parent's pid
                pids.add(int(stat.split("/")[2]))
        return pids

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


def _as_postgres_user(args: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root; the tests may run as root (CI does).
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


class ThrowawayPostgres:
    """A PostgreSQL cluster of its own, in a temporary folder, that a test may stop and start again."""

    def __init__(self):
        binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
        if not binaries:
            needs("PostgreSQL server binaries", "no /usr/lib/postgresql/*/bin/pg_ctl")
        self.bin = Path(binaries[-1]).parent
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="coachbot-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self.data = self.folder / "data"
        self._run([str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                   "--no-sync"])
        self.start()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, args: list[str]) -> None:
        subprocess.run(_as_postgres_user(args), check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100"
        self._run([str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"),
                   "-w", "-t", "60", "start"])

    def stop(self) -> None:
        self._run([str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"])

    def destroy(self) -> None:
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass  # already stopped
        shutil.rmtree(self.folder, ignore_errors=True)


class ThrowawayRedis:
    """A redis-server of its own on a free port, that a test may kill."""

    def __init__(self):
        server = shutil.which("redis-server")
        if server is None:
            needs("redis-server", "not installed")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc = subprocess.Popen([server, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                      "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not wait_for_port(self.port):
            self.kill()
            raise RuntimeError("redis-server did not start")

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


REDIS_URL = os.environ.get("COACHBOT_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def shared_redis_url():
    """The machine's Redis (each test uses its own key prefix, so runs in parallel do not collide)."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError as exc:
        needs("Redis", str(exc))
    finally:
        client.close()
    return REDIS_URL


@pytest.fixture
def key_prefix():
    import uuid

    return f"coachbot-test-{uuid.uuid4().hex[:12]}"


PROXY_CONFIG = ROOT / "deploy" / "nginx.conf"


class Nginx:
    """Debian's nginx running the deployment's proxy configuration (deploy/nginx.conf) on a free
    loopback port, in front of an app on `upstream_port`; only the two addresses are rewritten."""

    def __init__(self, upstream_port: int):
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(binary).exists():
            needs("nginx", "not installed (scripts/install-test-deps.sh installs Debian's package)")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.folder = Path(tempfile.mkdtemp(prefix="coachbot-nginx-"))
        site = PROXY_CONFIG.read_text()
        for old, new in (("server app:8000;", f"server 127.0.0.1:{upstream_port};"),
                         ("listen 80;", f"listen 127.0.0.1:{self.port};")):
            assert site.count(old) == 1, f"deploy/nginx.conf should have one '{old}'"
            site = site.replace(old, new)
        (self.folder / "coachbot.conf").write_text(site)
        temp = {name: self.folder / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
        for path in temp.values():
            path.mkdir()
        user = "user root;" if os.geteuid() == 0 else ""
        (self.folder / "nginx.conf").write_text(f"""
{user}
worker_processes 1;
daemon off;
pid {self.folder / 'nginx.pid'};
error_log {self.folder / 'error.log'} warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {temp['body']};
    proxy_temp_path {temp['proxy']};
    fastcgi_temp_path {temp['fastcgi']};
    uwsgi_temp_path {temp['uwsgi']};
    scgi_temp_path {temp['scgi']};
    include {self.folder / 'coachbot.conf'};
}}
""")
        self.proc = subprocess.Popen([binary, "-e", str(self.folder / "error.log"), "-p", str(self.folder),
                                      "-c", str(self.folder / "nginx.conf")],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        if not wait_for_port(self.port):
            self.stop()
            raise RuntimeError(f"nginx did not start: {(self.folder / 'error.log').read_text()[-2000:]}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


def call_from(source: str, port: int, method: str, path: str, headers: dict | None = None, body: bytes | None = None):
    """One request to 127.0.0.1:port from the loopback address `source` (any 127.x.y.z works on Linux),
    so tests can play different clients; returns (status, parsed JSON or text)."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(source, 0))
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        raw = response.read().decode("utf-8", "replace")
    finally:
        connection.close()
    try:
        return response.status, json.loads(raw) if raw else None
    except ValueError:
        return response.status, raw
