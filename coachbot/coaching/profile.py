"""A person's profile: the stored fields (checked and capped) and what the coach understands of them."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from .places import Place
from .profile_parser import Education, Experience, Goal, ProfileParser

# Free-text fields and their length caps (characters).
TEXT_FIELDS = {"education": 200, "experience": 500, "location": 120, "goal": 300}
# Numeric fields and their allowed range.
NUMBER_FIELDS = {"hours_per_week": (0, 168), "budget_usd": (0, 10_000_000)}
SKILLS_MAX, SKILL_CHARS = 40, 80
FIELDS = (*TEXT_FIELDS, *NUMBER_FIELDS, "skills")
READ_ONLY = ("understood",)  # sent back by GET; ignored when a client PUTs the object back


class ProfileError(ValueError):
    def __init__(self, code: str, message: str, too_long: bool = False):
        super().__init__(message)
        self.code, self.message, self.too_long = code, message, too_long


def unknown_fields(data: dict) -> list[str]:
    return sorted(set(data) - set(FIELDS) - set(READ_ONLY))


def clean_profile(data, strict: bool = True) -> dict:
    """The profile a client sent, checked field by field; null or "" removes a field.

    `strict`: an unknown field is an error (storing a profile); otherwise it is left out (a one-off plan)."""
    if not isinstance(data, dict):
        raise ProfileError("bad_profile", "The profile must be a JSON object.")
    unknown = unknown_fields(data)
    if unknown and strict:
        raise ProfileError("unknown_field", f"Unknown profile field(s): {', '.join(map(repr, unknown))}. "
                                            f"Known fields: {', '.join(FIELDS)}.")
    clean: dict = {}
    for name, cap in TEXT_FIELDS.items():
        value = data.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            raise ProfileError("bad_type", f"'{name}' must be a string (free text).")
        value = " ".join(value.split())
        if len(value) > cap:
            raise ProfileError("too_long", f"'{name}' is too long ({cap} characters at most).", too_long=True)
        if value:
            clean[name] = value
    for name, (low, high) in NUMBER_FIELDS.items():
        value = data.get(name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)) \
                or (isinstance(value, float) and not math.isfinite(value)):
            raise ProfileError("bad_type", f"'{name}' must be a number.")
        # Compared before any float conversion: a 309-digit integer would overflow a float.
        if not low <= value <= high:
            raise ProfileError("out_of_range", f"'{name}' must be between {low} and {high}.")
        clean[name] = int(value) if float(value).is_integer() else value
    skills = data.get("skills")
    if skills is not None:
        if not isinstance(skills, list) or not all(isinstance(s, str) for s in skills):
            raise ProfileError("bad_type", "'skills' must be a list of strings, e.g. [\"Koha\", \"Excel\"].")
        if len(skills) > SKILLS_MAX:
            raise ProfileError("too_long", f"'skills' lists too many skills ({SKILLS_MAX} at most).", too_long=True)
        if any(len(s) > SKILL_CHARS for s in skills):
            raise ProfileError("too_long", f"Each skill is at most {SKILL_CHARS} characters.", too_long=True)
        named = list(dict.fromkeys(" ".join(s.split()) for s in skills if s.strip()))
        if named:
            clean["skills"] = named
    return clean


@dataclass
class Understanding:
    """What the coach takes a profile to mean."""
    education: Education | None = None
    experience: list[Experience] = field(default_factory=list)
    no_experience: bool = False
    place: Place | None = None
    goal: Goal = field(default_factory=Goal)
    budget_usd: float | None = None
    hours_per_week: float | None = None
    named_skills: set[str] = field(default_factory=set)  # skill ids the person named

    @property
    def kinds(self) -> set[str]:
        return {kind for item in self.experience for kind in item.kinds}

    def years_in(self, *kinds: str) -> float:
        return sum(item.years or 0 for item in self.experience if set(item.kinds) & set(kinds))

    @property
    def works_in_library(self) -> bool:
        return "library" in self.kinds

    def to_dict(self) -> dict:
        """A readable summary for clients ("how the coach understood you")."""
        out: dict = {}
        if self.education:
            out["education_level"] = self.education.level
            out["library_education"] = self.education.library
        if self.experience or self.no_experience:
            out["experience"] = [{"kinds": list(e.kinds), "years": e.years} for e in self.experience]
        if self.place:
            out["region"] = self.place.region
        goal = {k: v for k, v in vars(self.goal).items() if v}
        if goal:
            out["goal"] = goal
        if self.named_skills:
            out["skills"] = sorted(self.named_skills)
        return out


def understand(profile: dict, parser: ProfileParser) -> Understanding:
    u = Understanding()
    if profile.get("education"):
        u.education = parser.education(profile["education"])
    if profile.get("experience"):
        u.experience, u.no_experience = parser.experience(profile["experience"])
        if not u.experience and not u.no_experience:  # work the parser has no kind for: still experience
            text = profile["experience"]
            u.experience = [Experience(None, (), text, text)]
    if profile.get("location"):
        u.place = parser.place(profile["location"]) or Place(profile["location"], None)
    if profile.get("goal"):
        u.goal = parser.goal(profile["goal"])
    u.budget_usd = profile.get("budget_usd")
    u.hours_per_week = profile.get("hours_per_week")
    for text in [*profile.get("skills", []), profile.get("experience", "")]:
        u.named_skills.update(parser.skills(text))
    return u
