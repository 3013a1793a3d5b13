"""Production refuses to start with a missing, placeholder or weak secret, or an unknown COACHBOT_ENV,
with a clear message."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from ops_servers import ROOT

from coachbot import create_app
from coachbot.cli import main
from coachbot.config import DEFAULT_SECRET, ConfigError

STRONG_SECRET = "kM3v-Qx9_tR2wYz8LpN4sJ7hB1cF6dGa"


@pytest.mark.parametrize("secret, why", [
    ("change-me", "placeholder"), ("x", "shorter than 32"), ("a" * 40, "not random enough"),
    ("0123456789" * 4, "not random enough"), ("please-change-me-0123456789abcdefXYZ", "placeholder"),
])
def test_production_refuses_weak_or_placeholder_secrets(secret, why, tmp_path):
    with pytest.raises(ConfigError, match=why):
        create_app({"env": "production", "secret_key": secret, "database_url": f"sqlite:///{tmp_path / 'w.sqlite3'}"})


@pytest.mark.parametrize("env", ["prod", "Production", "staging", "dev"])
def test_unknown_environment_names_are_refused_not_read_as_development(env, tmp_path):
    with pytest.raises(ConfigError, match="COACHBOT_ENV must be one of development, production"):
        create_app({"env": env, "secret_key": STRONG_SECRET, "database_url": f"sqlite:///{tmp_path / 'e.sqlite3'}"})


def test_production_never_exempts_loopback_from_the_address_limit(tmp_path):
    base = {"env": "production", "secret_key": STRONG_SECRET, "database_url": f"sqlite:///{tmp_path / 'l.sqlite3'}",
            "instance_path": str(tmp_path), "rate_limit_ip": "2/minute"}
    client = create_app(base).test_client()
    assert [client.post("/api/users").status_code for _ in range(3)] == [201, 201, 429]
    with pytest.raises(ConfigError, match="loopback"):
        create_app({**base, "rate_limit_exempt_addresses": "127.0.0.1"})


@pytest.mark.parametrize("secret", [None, "", DEFAULT_SECRET])
def test_serve_in_production_without_a_private_secret_exits_with_a_message(secret, monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(tmp_path)  # no .env
    monkeypatch.setenv("COACHBOT_ENV", "production")
    monkeypatch.delenv("COACHBOT_SECRET_KEY", raising=False)
    if secret is not None:
        monkeypatch.setenv("COACHBOT_SECRET_KEY", secret)
    assert main(["serve", "--port", "1"]) == 2
    err = capsys.readouterr().err
    assert "configuration error" in err and "COACHBOT_SECRET_KEY" in err


def test_the_installed_command_exits_non_zero(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("COACHBOT_")}
    env.update(COACHBOT_ENV="production", COACHBOT_KNOWLEDGE_DIR=str(ROOT / "knowledge"))
    done = subprocess.run([sys.executable, "-m", "coachbot.cli", "serve", "--port", "1"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "COACHBOT_SECRET_KEY must be set" in done.stderr and "Traceback" not in done.stderr


def test_production_with_a_private_secret_starts(tmp_path):
    app = create_app({"env": "production", "secret_key": STRONG_SECRET,
                      "database_url": f"sqlite:///{tmp_path / 'p.sqlite3'}", "instance_path": str(tmp_path)})
    assert app.test_client().get("/healthz").status_code == 200
    with pytest.raises(ConfigError):
        create_app({"env": "production", "database_url": f"sqlite:///{tmp_path / 'p.sqlite3'}"})


def test_the_deployment_gunicorn_config_serves_and_refuses_a_default_secret(tmp_path):
    import signal
    import time

    from ops_servers import call, free_port

    env = {k: v for k, v in os.environ.items() if not k.startswith(("COACHBOT_", "PROMETHEUS_"))}
    env.update(COACHBOT_KNOWLEDGE_DIR=str(ROOT / "knowledge"), COACHBOT_PROMPTS_DIR=str(ROOT / "prompts"),
               DATABASE_URL=f"sqlite:///{tmp_path / 'g.sqlite3'}", WEB_CONCURRENCY="2")
    command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "coachbot:create_app()"]

    refused = subprocess.run(command, cwd=tmp_path, env={**env, "COACHBOT_ENV": "production",
                                                         "COACHBOT_BIND": f"127.0.0.1:{free_port()}"},
                             capture_output=True, text=True, timeout=60)
    assert refused.returncode != 0 and "COACHBOT_SECRET_KEY must be set" in refused.stderr

    port = free_port()
    server = subprocess.Popen(command, cwd=tmp_path, env={**env, "COACHBOT_BIND": f"127.0.0.1:{port}"},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if call(base, "GET", "/readyz", timeout=2)[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        assert call(base, "POST", "/api/users")[0] == 201
        assert "coachbot_http_requests_total" in call(base, "GET", "/metrics")[2]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


@pytest.mark.parametrize("env, threads", [
    ({}, 4),  # the built-in engine: more threads would only take turns at the GIL
    ({"COACHBOT_MODEL": "m", "OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}, 8),  # answers wait on the model
    ({"COACHBOT_MODEL": "m", "OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "COACHBOT_THREADS": "3"}, 3),
])
def test_the_deployment_gunicorn_config_and_coachbot_serve_pick_their_threads(env, threads, monkeypatch, tmp_path):
    import runpy

    from coachbot.ops.serving import default_threads

    monkeypatch.chdir(tmp_path)  # no .env
    for name in ("COACHBOT_MODEL", "OPENAI_BASE_URL", "OPENAI_API_KEY", "COACHBOT_THREADS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["threads"] == threads
    assert default_threads() == threads  # `coachbot serve` without --threads
