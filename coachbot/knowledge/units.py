"""A passage cut into units: its sentences and list items, the pieces an answer is made of."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..text import split_sentences
from .loader import Passage

BULLET = re.compile(r"^\s*(?:[-*+]|\d+\.)\s+")
TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}")


@dataclass(frozen=True)
class Unit:
    """One sentence or list item of a passage."""
    passage: Passage
    position: int
    text: str
    is_bullet: bool


def split_units(passage: Passage) -> list[Unit]:
    units: list[Unit] = []
    for block in _blocks(passage.text):
        lines = [line for line in block.splitlines() if line.strip()]
        if lines and all(TABLE_ROW.match(line) for line in lines):
            units += [Unit(passage, len(units) + i, row, True) for i, row in enumerate(table_rows(lines))]
            continue
        for line in _join_wrapped(block):
            if BULLET.match(line):
                units.append(Unit(passage, len(units), BULLET.sub("", line).strip(), True))
                continue
            for sentence in split_sentences(line):
                units.append(Unit(passage, len(units), sentence, False))
    return units


def _blocks(text: str) -> list[str]:
    """The text's blocks: paragraphs and lists split at blank lines, and a table apart from the
    lines around it even where no blank line sets it off ("Pay by state:" then its rows)."""
    blocks: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        run: list[str] = []
        for line in block.splitlines():
            if run and bool(TABLE_ROW.match(line)) != bool(TABLE_ROW.match(run[-1])):
                blocks.append("\n".join(run))
                run = []
            run.append(line)
        blocks.append("\n".join(run))
    return blocks


def table_rows(lines: list[str]) -> list[str]:
    """A Markdown table as one line a row, each cell named by its column:
    "Denmark: typical range DKK 400,000 - 550,000; approx. USD $58,000 - $80,000"."""
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in lines
            if not TABLE_RULE.match(line)]
    if len(rows) < 2:
        return [" ".join(row) for row in rows]
    header, body = rows[0], rows[1:]
    out = []
    for row in body:
        cells = [f"{name[:1].lower() + name[1:]} {value}".strip() if name else value
                 for name, value in zip(header[1:], row[1:], strict=False) if value]
        out.append(f"{row[0]}: {'; '.join(cells)}" if cells else row[0])
    return out


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


