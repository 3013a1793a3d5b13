"""Production refuses to start with a missing or default secret, with a clear message."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from coachbot import create_app
from coachbot.cli import main
from coachbot.config import DEFAULT_SECRET, ConfigError

from ops_servers import ROOT


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
    app = create_app({"env": "production", "secret_key": "a-long-private-value-0123456789",
                      "database_url": f"sqlite:///{tmp_path / 'p.sqlite3'}", "instance_path": str(tmp_path)})
    assert app.test_client().get("/healthz").status_code == 200
    with pytest.raises(ConfigError):
        create_app({"env": "production", "database_url": f"sqlite:///{tmp_path / 'p.sqlite3'}"})
