"""Where a person lives -> the guide's salary region (a key of pathway.yaml's `regions`)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..language import places


@dataclass(frozen=True)
class Place:
    label: str  # how to write it back: "Ohio, USA"
    region: str | None  # a region key of pathway.yaml, None when the guide has no figures for it
    within: bool = False  # a part of the region (a state, a city, one country of several): no figures of its own


def find_place(text: str, regions: Mapping[str, str]) -> Place | None:
    """The first place the text names that lies in a region the guide has figures for, or None.
    `regions`: the name of each such region in places.yaml -> its key in pathway.yaml."""
    found = places.first_covered(text, lambda area: area.name in regions)
    if found is None:
        return None
    written, area, region = found
    if region is area:
        return Place(region.label, regions[region.name])
    # A town or state is written with the country whose figures apply: "Ohio, USA".
    label = f"{places.title(written)}, {region.label}" if region.country else places.title(written)
    return Place(label, regions[region.name], within=True)
