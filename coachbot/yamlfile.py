"""YAML reading with libyaml's C parser when PyYAML has it (several times faster at start-up)."""
from __future__ import annotations

from pathlib import Path

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str):
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader, C or Python


def read_yaml(path: str | Path):
    return parse_yaml(Path(path).read_text(encoding="utf-8"))
