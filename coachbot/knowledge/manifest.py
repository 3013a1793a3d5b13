"""The guide's manifest (guide.yaml): which career the knowledge folder is about.

Everything that names the career in replies, pages and scope comes from here, so the same code
serves any guide.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..yamlfile import read_yaml

MANIFEST = "guide.yaml"


@dataclass(frozen=True)
class Guide:
    name: str  # "Wind Turbine Technician"
    short_name: str  # "wind tech"
    aliases: tuple[str, ...] = ()
    summary: str = ""
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def names(self) -> list[str]:
        """Every way of naming the career, with plurals and a trailing "'s" form: the subject."""
        forms: list[str] = []
        for name in (self.name, self.short_name, *self.aliases):
            name = name.strip().lower()
            if name:
                forms += [name, _plural(name), f"{name}'s"]
        return list(dict.fromkeys(forms))

    @property
    def plural(self) -> str:
        """The career's name in the plural: "Wind Turbine Technicians"."""
        return _plural(self.name)

    @property
    def article(self) -> str:
        """'a' or 'an' before the career's name."""
        return "an" if re.match(r"[aeiou]", self.name.lower()) else "a"

    def fill(self, text: str) -> str:
        """A reply template with {name}, {short_name}, {a_name} filled in. A short name that is only
        the name again is not added in brackets ("a Pharmacy Technician (pharmacy technician)")."""
        if self.short_name.lower() == self.name.lower():
            text = text.replace(" ({short_name})", "")
        return (text.replace("{a_name}", f"{self.article} {self.name}")
                .replace("{name}", self.name).replace("{short_name}", self.short_name))


def _plural(name: str) -> str:
    if name.endswith(("s", "x", "sh")):
        return name + "es"
    if name.endswith("y") and not name.endswith(("ay", "ey", "oy", "uy")):
        return name[:-1] + "ies"
    return name + "s"


def load_guide(folder: Path, fallback_title: str = "") -> Guide:
    """guide.yaml of a knowledge folder; without one, the career is named after the first page."""
    path = Path(folder) / MANIFEST
    data = read_yaml(path) if path.exists() else {}
    if not isinstance(data, dict):
        data = {}
    name = str(data.get("name") or fallback_title or Path(folder).name).strip()
    aliases = data.get("aliases") or []
    if isinstance(aliases, str):
        aliases = [aliases]
    known = {"name", "short_name", "aliases", "summary"}
    return Guide(name=name, short_name=str(data.get("short_name") or name).strip(),
                 aliases=tuple(str(a) for a in aliases), summary=str(data.get("summary") or "").strip(),
                 extra={k: v for k, v in data.items() if k not in known})
