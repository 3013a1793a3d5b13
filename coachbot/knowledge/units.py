"""A passage cut into units: its sentences and list items, the pieces an answer is made of."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .loader import Passage

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[A-Z$€£¥0-9])")
ABBREVIATION = re.compile(r"(?:\b[A-Z]\.){1,3}$|\b(?:e\.g|i\.e|approx|vs|etc|Dr|Mr|Ms)\.$")
BULLET = re.compile(r"^\s*(?:[-*+]|\d+\.)\s+")


@dataclass(frozen=True)
class Unit:
    """One sentence or list item of a passage."""
    passage: Passage
    position: int
    text: str
    is_bullet: bool


def split_units(passage: Passage) -> list[Unit]:
    units: list[Unit] = []
    for block in re.split(r"\n\s*\n", passage.text):
        for line in _join_wrapped(block):
            if BULLET.match(line):
                units.append(Unit(passage, len(units), BULLET.sub("", line).strip(), True))
                continue
            for sentence in _sentences(line):
                units.append(Unit(passage, len(units), sentence, False))
    return units


def _join_wrapped(block: str) -> list[str]:
    """Lines of a block, with wrapped continuation lines joined to the line they continue."""
    lines: list[str] = []
    for raw in block.splitlines():
        line = raw.strip()
        if not line:
            continue
        if lines and not BULLET.match(line):
            lines[-1] += " " + line
        else:
            lines.append(line)
    return lines


def _sentences(text: str) -> list[str]:
    parts, current = [], ""
    for piece in SENTENCE_END.split(text):
        current = f"{current} {piece}".strip() if current else piece
        if not ABBREVIATION.search(current):
            parts.append(current)
            current = ""
    if current:
        parts.append(current)
    return [p.strip() for p in parts if p.strip()]
