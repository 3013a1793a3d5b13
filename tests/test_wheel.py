"""An installed wheel carries the guide and the prompts, and finds them without any setting."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_wheel_carries_the_guide_and_the_prompts(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "-w", str(tmp_path), str(ROOT)], check=True, capture_output=True)
    wheel = next(tmp_path.glob("coachbot-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    data = [n.split(".data/data/", 1)[1] for n in names if ".data/data/" in n]
    for path in (ROOT / "knowledge").glob("*.md"):
        assert f"share/coachbot/knowledge/{path.name}" in data
    assert "share/coachbot/knowledge/guide.yaml" in data
    assert "share/coachbot/prompts/replies.yaml" in data
    assert "coachbot/language/english.yaml" in names


def test_settings_find_the_bundled_folders_outside_a_checkout(monkeypatch, tmp_path):
    from coachbot import config

    monkeypatch.setattr(config, "PROJECT_ROOT", tmp_path / "site-packages")
    monkeypatch.setattr(config.sys, "prefix", str(tmp_path / "env"))
    assert config.bundled("knowledge") == tmp_path / "env" / "share" / "coachbot" / "knowledge"
    assert config.bundled("prompts") == tmp_path / "env" / "share" / "coachbot" / "prompts"
