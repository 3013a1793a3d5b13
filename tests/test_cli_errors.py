"""Coachbot's own errors reach the person running it as one line on stderr, not a traceback."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from coachbot.cli import main
from coachbot.config import ConfigError
from coachbot.errors import CoachbotError
from coachbot.http import ApiError
from coachbot.knowledge.loader import KnowledgeError

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no .env
    for name in ("COACHBOT_ENV", "COACHBOT_KNOWLEDGE_DIR", "COACHBOT_ENGINE", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    return monkeypatch


def test_a_broken_knowledge_file_is_one_line(clean_env, tmp_path, capsys):
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    (knowledge / "01-topic.md").write_text("---\n- not a mapping\n---\n# Topic\n\n## A section\n\nText.\n")
    clean_env.setenv("COACHBOT_KNOWLEDGE_DIR", str(knowledge))
    assert main(["ask", "what", "is", "this?"]) == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines() == ["coachbot: KnowledgeError: 01-topic.md: front matter must be a mapping"]


def test_a_missing_knowledge_folder_is_a_configuration_error(clean_env, tmp_path, capsys):
    clean_env.setenv("COACHBOT_KNOWLEDGE_DIR", str(tmp_path / "nowhere"))
    assert main(["ask", "hello"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("coachbot: configuration error: knowledge folder not found") and "\n" not in err


def test_every_own_error_shares_the_base_and_keeps_its_old_one():
    assert issubclass(KnowledgeError, CoachbotError) and issubclass(KnowledgeError, ValueError)
    assert issubclass(ConfigError, CoachbotError) and issubclass(ConfigError, RuntimeError)
    assert issubclass(ApiError, CoachbotError)


def test_a_prompts_file_citing_a_missing_passage_is_one_line(clean_env, tmp_path, capsys):
    prompts = tmp_path / "prompts"
    shutil.copytree(ROOT / "prompts", prompts)
    flow = prompts / "plan_flow.yaml"
    data = yaml.safe_load(flow.read_text(encoding="utf-8"))
    first = next(iter(data["questions"].values()))
    first["why"] = "overview#no-such-section"
    flow.write_text(yaml.safe_dump(data), encoding="utf-8")
    clean_env.setenv("COACHBOT_PROMPTS_DIR", str(prompts))
    assert main(["ask", "hello"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "coachbot: PromptsError: plan_flow.yaml cites passages that do not exist: overview#no-such-section"
