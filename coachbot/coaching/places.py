"""Where a person lives -> the guide's salary region (us, canada, uk, germany, ...)."""
from __future__ import annotations

import re
from dataclasses import dataclass

US_STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California", "CO": "Colorado",
    "CT": "Connecticut", "DE": "Delaware", "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho",
    "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York", "NC": "North Carolina",
    "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
    "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas",
    "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington", "WV": "West Virginia",
    "WI": "Wisconsin", "WY": "Wyoming", "DC": "District of Columbia",
}

# region -> names that place a person there (lower case, matched on whole words).
REGION_NAMES: dict[str, list[str]] = {
    "us": ["united states", "usa", "u.s.a.", "u.s.", "america", "the us", "the states", "new york city", "nyc",
           "los angeles", "chicago", "houston", "philadelphia", "boston", "seattle", "san francisco",
           "washington dc", "washington d.c.", "atlanta", "denver", "miami", "detroit", "portland"]
          + [name.lower() for name in US_STATES.values()],
    "canada": ["canada", "ontario", "quebec", "québec", "british columbia", "alberta", "manitoba", "saskatchewan",
               "nova scotia", "new brunswick", "newfoundland", "prince edward island", "toronto", "montreal",
               "montréal", "vancouver", "calgary", "ottawa", "edmonton", "winnipeg", "halifax"],
    "uk": ["uk", "u.k.", "united kingdom", "britain", "great britain", "england", "scotland", "wales",
           "northern ireland", "london", "manchester", "birmingham", "glasgow", "edinburgh", "cardiff", "leeds",
           "bristol", "liverpool"],
    "germany": ["germany", "deutschland", "berlin", "munich", "münchen", "hamburg", "frankfurt", "cologne",
                "köln", "stuttgart", "dresden", "leipzig"],
    "western_europe": ["western europe", "europe", "france", "paris", "netherlands", "holland", "amsterdam",
                       "belgium", "brussels", "luxembourg", "ireland", "dublin", "austria", "vienna",
                       "switzerland", "zurich", "geneva", "lyon"],
    "australia": ["australia", "sydney", "melbourne", "brisbane", "perth", "adelaide", "canberra", "queensland",
                  "new south wales", "victoria, australia", "tasmania"],
    "japan": ["japan", "tokyo", "osaka", "kyoto", "yokohama", "nagoya", "sapporo"],
    "latin_america": ["latin america", "south america", "central america", "mexico", "méxico", "brazil", "brasil",
                      "argentina", "chile", "colombia", "peru", "perú", "venezuela", "ecuador", "bolivia",
                      "uruguay", "paraguay", "guatemala", "costa rica", "panama", "cuba", "dominican republic",
                      "puerto rico", "mexico city", "são paulo", "sao paulo", "buenos aires", "bogotá", "bogota",
                      "lima", "santiago"],
    "asia_pacific": ["asia", "asia-pacific", "asia pacific", "new zealand", "singapore", "hong kong", "korea",
                     "south korea", "taiwan", "philippines", "malaysia", "indonesia", "thailand", "vietnam",
                     "india", "china", "auckland", "wellington", "seoul", "manila"],
}

# Names that mean a whole region; any other name of a region is a place within it.
WHOLE_REGION = {"united states", "usa", "u.s.a.", "u.s.", "america", "the us", "the states", "canada", "uk", "u.k.",
                "united kingdom", "britain", "great britain", "germany", "deutschland", "western europe", "europe",
                "australia", "japan", "latin america", "south america", "central america", "asia", "asia-pacific",
                "asia pacific"}

COUNTRY_LABEL = {"us": "USA", "canada": "Canada", "uk": "UK", "germany": "Germany", "australia": "Australia",
                 "japan": "Japan"}

_STATE_CODE = re.compile(r",\s*(" + "|".join(US_STATES) + r")\b")  # "Columbus, OH"


@dataclass(frozen=True)
class Place:
    label: str  # how to write it back: "Ohio, USA"
    region: str | None  # a region key of pathway.yaml, None when the guide has no figures for it
    within: bool = False  # a part of the region (a state, a city, one country of several): no figures of its own


# One pattern for every name, longest first, so "new south wales" wins over "wales" and "new york
# city" over "new york"; the leftmost name in a text is found in one pass.
_REGION_OF = {name: region for region, names in REGION_NAMES.items() for name in names}
_ANY_NAME = re.compile(r"(?<![\w.])(" + "|".join(re.escape(name) for name in sorted(_REGION_OF, key=len, reverse=True))
                       + r")(?![\w])")


def find_place(text: str) -> Place | None:
    """The first place the text names that the guide's regions cover, or None."""
    code = _STATE_CODE.search(text)
    if code:
        return Place(f"{US_STATES[code.group(1)]}, USA", "us", within=True)
    match = _ANY_NAME.search(text.lower())
    if match is None:
        return None
    name = match.group(1)
    region = _REGION_OF[name]
    label = _title(name)
    country = COUNTRY_LABEL.get(region)
    if country and name not in {c.lower() for c in COUNTRY_LABEL.values()} and len(name) > 3:
        label = f"{label}, {country}"
    return Place(label, region, within=name not in WHOLE_REGION)


ACRONYMS = {"uk", "usa", "nyc", "u.s.", "u.k.", "u.s.a."}


def _title(name: str) -> str:
    if name in ACRONYMS:
        return name.upper()
    return " ".join(w if w in {"of", "de"} else w[:1].upper() + w[1:] for w in name.split())
