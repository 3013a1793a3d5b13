"""The world's places (places.yaml), written once: where a person lives, and the places a question or
passage speaks of. Guides say which of them they have figures for; nothing here knows any guide."""
from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..yamlfile import read_yaml


@dataclass(frozen=True)
class Area:
    name: str  # its name in places.yaml, lower case: "ohio", "united states"
    label: str  # how it is written: "Ohio", "USA", "Western Europe"
    inside: str | None = None  # the area it lies in
    country: bool = False  # a country is written after its towns: "Ohio, USA"


def title(name: str) -> str:
    """A name as written in a sentence: "nyc" -> "NYC", "district of columbia" -> "District of Columbia"."""
    if len(name.replace(".", "")) <= 3:
        return name.upper()
    return " ".join(w if w in {"of", "de"} else w[:1].upper() + w[1:] for w in name.split())


def _load(path: Path) -> tuple[dict[str, Area], dict[str, str], dict[str, str], dict[str, list[str]], dict[str, str]]:
    """Every area by name; each place name -> its area; each state code -> its area; each country or
    region -> the words that name it in a question (the vocabulary's place entities); each short
    name of a place -> its full name."""
    areas: dict[str, Area] = {}
    names: dict[str, str] = {}
    codes: dict[str, str] = {}
    entities: dict[str, list[str]] = {}
    short: dict[str, str] = {}
    for name, entry in read_yaml(path).items():
        areas[name] = Area(name, entry.get("label") or title(name), entry.get("in"), entry["kind"] == "country")
        smaller = [*entry.get("parts", []), *entry.get("places", []), *entry.get("codes", {}).values()]
        for part in smaller:
            areas[part] = Area(part, title(part), name)
        names.update({n: name for n in [name, *entry.get("names", []), *entry.get("titles", [])]})
        names.update({n: n for n in smaller})
        codes.update(entry.get("codes", {}))
        entities[name] = [name, *entry.get("names", []), *entry.get("words", []), *entry.get("parts", [])]
        short.update(entry.get("short", {}))
        names.update(entry.get("short", {}))  # a short name is read as the place it stands for
    return areas, names, codes, entities, short


AREAS, _AREA_OF, _CODES, ENTITIES, _SHORT = _load(Path(__file__).with_name("places.yaml"))
_ENTITY_WORDS = {word for words in ENTITIES.values() for word in words}

# One pattern for every name, longest first, so "new south wales" wins over "wales" and "latin
# america" over "america": a name inside a longer one is not read.
_ANY_NAME = re.compile(r"(?<![\w.])(" + "|".join(re.escape(n) for n in sorted(_AREA_OF, key=len, reverse=True))
                       + r")(?![\w])")
_CODE = re.compile(r",\s*(" + "|".join(_CODES) + r")\b")  # "Columbus, OH"


def named(text: str) -> list[tuple[str, Area]]:
    """Every place the text names, as written (lower case) and its area; a state's code first."""
    found = [(_CODES[m.group(1)], AREAS[_CODES[m.group(1)]]) for m in _CODE.finditer(text)]
    return found + [(m.group(1), AREAS[_AREA_OF[m.group(1)]]) for m in _ANY_NAME.finditer(text.lower())]


# A misspelt place name is this close to the name ("pensylvania", "massachusets"), and at least this long.
MISSPELT_CUTOFF = 0.85
MISSPELT_MIN_LENGTH = 6
_ONE_WORD_NAMES = sorted(n for n in _AREA_OF if n.isalpha() and len(n) >= MISSPELT_MIN_LENGTH)


def misspelt(word: str) -> str | None:
    """The one-word place name a word is a misspelling of, if it is close to one, else None."""
    if len(word) < MISSPELT_MIN_LENGTH:
        return None
    candidates = [n for n in _ONE_WORD_NAMES if n[0] == word[0] and abs(len(n) - len(word)) <= 2]
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=MISSPELT_CUTOFF)
    return close[0] if close else None


def local_names(text: str) -> list[str]:
    """The states, provinces and cities a text writes out in full (not the countries and regions)."""
    return list(dict.fromkeys(m.group(1) for m in _ANY_NAME.finditer(text.lower())
                              if _AREA_OF[m.group(1)] not in ENTITIES and m.group(1) not in _ENTITY_WORDS))


def enclosing(area: Area) -> Iterator[Area]:
    """The area, then each larger one it lies in: Ohio, the United States, North America."""
    current: Area | None = area
    while current is not None:
        yield current
        current = AREAS.get(current.inside) if current.inside else None


def nearest_covered(area: Area, covered: Callable[[Area], bool]) -> Area | None:
    """The area itself, or the nearest larger one it lies in, that `covered` accepts."""
    return next((a for a in enclosing(area) if covered(a)), None)


def first_covered(text: str, covered: Callable[[Area], bool]) -> tuple[str, Area, Area] | None:
    """The first place the text names that is, or lies in, an area `covered` accepts: the name as
    written, its area, and the covered one ("ohio", Ohio, the United States)."""
    for written, area in named(text):
        region = nearest_covered(area, covered)
        if region is not None:
            return written, area, region
    return None


def short_names(place: str) -> list[str]:
    """What people write for a place in short ("nyc" for New York City)."""
    return [short for short, full in _SHORT.items() if full == place]
