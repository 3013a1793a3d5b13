"""Folding what a person says in chat into their stored profile, and saying back what was understood."""
from __future__ import annotations

import re

from .markdown_text import plain
from .profile import SKILLS_MAX, TEXT_FIELDS
from .profile_parser import Statement

ADDING = re.compile(r"\b(also|too|as well|in addition|besides)\b", re.I)


def _cap(name: str, text: str) -> str:
    text = " ".join(text.split())
    cap = TEXT_FIELDS[name]
    return text if len(text) <= cap else text[: cap - 1].rsplit(" ", 1)[0] + "…"


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def apply_statement(profile: dict, statement: Statement, message: str) -> tuple[dict, list[str]]:
    """The profile with the statement's facts folded in, and the facts in words ("education GED")."""
    new, noted = dict(profile), []
    if statement.education:
        new["education"] = _cap("education", statement.education.label)
        noted.append(f"education {new['education']}")
    if statement.experience:
        text = "; ".join(item.text for item in statement.experience)
        if profile.get("experience") and profile["experience"] != "none" and ADDING.search(message):
            text = f"{profile['experience']}; {text}"  # "I also volunteered at a library"
        new["experience"] = _cap("experience", text)
        noted.append(f"experience {new['experience']}")
    elif statement.no_experience:
        new["experience"] = "none"
        noted.append("experience none yet")
    if statement.place:
        new["location"] = _cap("location", statement.place.label)
        noted.append(f"location {new['location']}")
    if statement.goal:
        new["goal"] = _cap("goal", statement.goal)
        noted.append(f"goal \"{new['goal']}\"")
    if statement.hours_per_week is not None:
        new["hours_per_week"] = _number(min(statement.hours_per_week, 168))
        noted.append(f"{new['hours_per_week']} hours a week")
    if statement.budget_usd is not None:
        new["budget_usd"] = _number(statement.budget_usd)
        noted.append(f"budget ${new['budget_usd']:,}")
    if statement.skills:
        skills = list(dict.fromkeys([*profile.get("skills", []), *statement.skills]))[:SKILLS_MAX]
        new["skills"] = skills
        noted.append(f"skills {', '.join(statement.skills)}")
    return new, noted


def set_field(profile: dict, name: str, text: str) -> tuple[dict, list[str]]:
    """A free-text answer stored as the person wrote it (the parser did not recognise it)."""
    new = dict(profile)
    new[name] = _cap(name, text)
    label = {"education": "education", "experience": "experience", "goal": "goal", "location": "location"}[name]
    return new, [f"{label} \"{new[name]}\""]


def join_facts(noted: list[str]) -> str:
    """The facts for a Markdown reply: what the person wrote stays text, whatever characters it has."""
    return "; ".join(plain(fact) for fact in noted)


def known_facts(profile: dict) -> list[str]:
    """What the stored profile says, in the words the flow notes facts with ("education GED")."""
    facts = []
    for name in ("education", "experience", "location"):
        if profile.get(name):
            facts.append(f"{name} {profile[name]}")
    if profile.get("goal"):
        facts.append(f"goal \"{profile['goal']}\"")
    if profile.get("hours_per_week") is not None:
        facts.append(f"{_number(profile['hours_per_week'])} hours a week")
    if profile.get("budget_usd") is not None:
        facts.append(f"budget ${_number(profile['budget_usd']):,}")
    return facts
