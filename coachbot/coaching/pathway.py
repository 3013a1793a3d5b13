"""knowledge/pathway.yaml: the guide's pathway (education, steps, skills, levels, pay) as data.

Every item names the passage that states it; loading checks each named passage exists, so a
plan never cites a section that is not there.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import CoachbotError
from ..knowledge import KnowledgeBase
from ..language import places
from ..yamlfile import read_yaml
from .profile_parser import Names

SOURCE_KEYS = ("source", "also")  # what an item's own text cites
CHECKED_KEYS = (*SOURCE_KEYS, "pay_source", "advance_source")  # every passage id the file names
MONEY = re.compile(r"\$(\d[\d,]*)")


class PathwayError(CoachbotError, ValueError):
    pass


@dataclass(frozen=True)
class Skill:
    id: str
    name: str
    level: str  # entry | senior | lead
    core: bool
    names: tuple[str, ...]
    why: str
    sources: tuple[str, ...]


def sources_of(item: dict, keys: tuple[str, ...] = SOURCE_KEYS) -> list[str]:
    """The passage ids an item cites, its main source first."""
    ids: list[str] = []
    for key in keys:
        value = item.get(key)
        ids += [value] if isinstance(value, str) else list(value or [])
    return ids


def cited_items(node, path: str = "") -> Iterator[tuple[str, dict]]:
    """Every mapping in the data that cites a passage, with where it sits ("steps.volunteer")."""
    if isinstance(node, dict):
        if "source" in node:
            yield path, node
        for key, value in node.items():
            if key not in CHECKED_KEYS:
                yield from cited_items(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            name = value.get("id", i) if isinstance(value, dict) else i
            yield from cited_items(value, f"{path}[{name}]")


def money_range(text: str) -> tuple[float, float]:
    """"between $6,000 and $20,000" -> (6000, 20000): budgets are compared with the guide's own figures."""
    values = [float(v.replace(",", "")) for v in MONEY.findall(text)]
    if not values:
        raise PathwayError(f"no dollar figure in {text!r}")
    return min(values), max(values)


def first_number(text: str) -> float:
    """"3-6 years" -> 3: the usual start of a level, for readiness toward it."""
    match = re.search(r"\d+", text)
    if not match:
        raise PathwayError(f"no number in {text!r}")
    return float(match.group(0))


class Pathway:
    def __init__(self, data: dict, knowledge: KnowledgeBase):
        self.data = data
        self.knowledge = knowledge
        self.readiness = data["readiness"]
        self.education = data["education"]
        self.steps = data["steps"]
        self.levels = data["levels"]
        self.specializations = {k: v for k, v in data["specializations"].items() if "name" in v}
        self.library_types = data["library_types"]
        self.backgrounds = data["backgrounds"]
        self.regions = data["regions"]
        self.skills = [Skill(s["id"], s["name"], s["level"], bool(s.get("core")), tuple(s.get("names", [])),
                             s["why"], tuple(sources_of(s))) for s in data["skills"]]
        self.skill_by_id = {s.id: s for s in self.skills}
        self._check()

    @classmethod
    def from_file(cls, path: Path, knowledge: KnowledgeBase) -> Pathway:
        try:
            data = read_yaml(path)
        except yaml.YAMLError as exc:
            raise PathwayError(f"{Path(path).name}: not valid YAML ({exc})") from exc
        if not isinstance(data, dict):
            raise PathwayError(f"{Path(path).name}: expected a mapping at the top")
        try:
            return cls(data, knowledge)
        except (KeyError, TypeError) as exc:
            raise PathwayError(f"{Path(path).name}: missing or malformed entry {exc}") from exc

    def _check(self) -> None:
        missing = [(where, pid) for where, item in cited_items(self.data) for pid in sources_of(item, CHECKED_KEYS)
                   if self.knowledge.passage(pid) is None]
        if missing:
            raise PathwayError("pathway.yaml cites passages that do not exist: "
                               + ", ".join(f"{pid} (at {where})" for where, pid in missing))
        weights = sum(part["weight"] for part in self.readiness["parts"].values())
        if weights != 100:
            raise PathwayError(f"readiness weights add up to {weights}, not 100")
        for background in self.backgrounds.values():
            unknown = set(background.get("shows", [])) - set(self.skill_by_id)
            if unknown:
                raise PathwayError(f"a background shows unknown skills: {sorted(unknown)}")
        unknown_places = {r["place"] for r in self.regions.values() if "place" in r} - set(places.AREAS)
        if unknown_places:
            raise PathwayError(f"regions name places coachbot/language/places.yaml does not know: {sorted(unknown_places)}")

    def names(self) -> Names:
        """The words people use for the guide's things, for the profile parser."""
        return Names(
            skills={s.id: [s.name.lower(), *s.names] for s in self.skills},
            specializations={k: [v["name"].lower(), *v.get("names", [])] for k, v in self.specializations.items()},
            library_types={k: v.get("names", []) for k, v in self.library_types.items()},
            regions={v["place"]: k for k, v in self.regions.items() if "place" in v},
        )

    def band(self, score: int, advancing: bool) -> str:
        for band in self.readiness["bands"]:
            if score < band["below"]:
                return band["advance" if advancing else "entry"]
        return self.readiness["bands"][-1]["advance" if advancing else "entry"]
