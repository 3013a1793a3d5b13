"""How ready a person is for the job they aim at: a 0-100 score from education, experience and skills.

The weights and the credit each kind of education or experience earns live in pathway.yaml
(`readiness`), each with the guide's reason; this module only applies them.
"""
from __future__ import annotations

from dataclasses import dataclass

from .pathway import Pathway, first_number
from .profile import Understanding

LEVEL_ORDER = ("entry", "senior", "lead")


@dataclass
class Part:
    name: str  # education | experience | skills
    label: str
    points: int
    max: int
    why: str  # this person's situation, in words (no figures)
    reason: str  # why the part counts, from the guide
    source: str

    def to_dict(self) -> dict:
        return {"part": self.name, "label": self.label, "points": self.points, "max": self.max,
                "why": self.why, "reason": self.reason}


@dataclass
class Readiness:
    score: int
    summary: str
    target: str  # the level the score measures readiness for
    parts: list[Part]


def target_level(u: Understanding, pathway: Pathway) -> str:
    """The level the plan works toward now: entry for newcomers, the next rung for people in the job."""
    if not u.works_in_library or u.goal.level == "entry":  # e.g. a library clerk who wants to become an LTA
        return "entry"
    if u.goal.level in ("senior", "lead"):
        return u.goal.level
    # No level named: the rung above the one their years in the job reach.
    years = u.years_in("library")
    return "senior" if years < first_number(pathway.levels["senior"]["years"]) else "lead"


def skills_shown(u: Understanding, pathway: Pathway) -> set[str]:
    """Skills the person named, plus those their kinds of work show (pathway.yaml `backgrounds`)."""
    shown = set(u.named_skills)
    for kind in u.kinds:
        shown.update(pathway.backgrounds.get(kind, {}).get("shows", []))
    if u.education and u.education.library and u.education.level == "associate":
        # The guide: associate's programs teach cataloging, circulation and library systems (it says so of no
        # other degree, so an MLIS holder moving into technical work still learns the standards).
        shown.update({"cataloging", "circulation", "ils"})
    return shown


def relevant_skills(pathway: Pathway, target: str) -> list[str]:
    if target == "entry":
        return [s.id for s in pathway.skills if s.level == "entry" and s.core]
    return [s.id for s in pathway.skills if s.level != "entry" and LEVEL_ORDER.index(s.level) <= LEVEL_ORDER.index(target)]


def assess(u: Understanding, pathway: Pathway) -> Readiness:
    target = target_level(u, pathway)
    config = pathway.readiness["parts"]
    parts = [_education(u, config["education"]), _experience(u, config["experience"], pathway, target),
             _skills(u, config["skills"], pathway, target)]
    score = max(0, min(100, sum(p.points for p in parts)))
    advancing = target != "entry"
    band = pathway.band(score, advancing)
    goal_name = pathway.levels[target]["name"]
    weakest = min(parts, key=lambda p: p.points / p.max)
    summary = f"You are {band} for a {goal_name} role. Biggest gap: {weakest.label.lower()} ({weakest.why})."
    return Readiness(score, summary, target, parts)


def _part(name: str, config: dict, share: float, why: str, reason: tuple[str, str] | None = None) -> Part:
    """`reason`: (text, passage id) when it differs from the part's usual one (aiming at senior or lead)."""
    weight = int(config["weight"])
    text, source = reason or (config["reason"], config["source"])
    return Part(name, config["label"], round(weight * max(0.0, min(1.0, share))), weight, why, text, source)


def _education(u: Understanding, config: dict) -> Part:
    credit = config["credit"]
    edu = u.education
    if edu is None:
        return _part("education", config, 0.0, "not told yet; tell me your highest education")
    if edu.library and edu.level != "none" and edu.level != "high_school":
        return _part("education", config, credit["library_education"],
                     f"your {edu.label} is library education, which employers value most")
    if edu.level == "high_school":
        library_work = bool({"library", "library_volunteer"} & u.kinds)
        key = "high_school_with_library_experience" if library_work else "high_school"
        why = ("a diploma or GED with library experience is an accepted route" if library_work else
               "a diploma or GED qualifies together with the LSSC or relevant experience")
        return _part("education", config, credit[key], why)
    if edu.level == "none":
        return _part("education", config, credit["none"], "every accepted route starts from a diploma or GED")
    why = {"certificate": "a certificate is one of the routes most jobs accept",
           "associate": "an associate's degree is what many employers prefer",
           "bachelor": "a bachelor's degree in any field can qualify you",
           "master": "your degree is more than LTA jobs require"}[edu.level]
    return _part("education", config, credit[edu.level], why)


def _experience(u: Understanding, config: dict, pathway: Pathway, target: str) -> Part:
    credit = config["credit"]
    if target != "entry":
        level = pathway.levels[target]
        years = u.years_in("library")
        share = min(1.0, years / first_number(level["years"])) if years else 0.5  # in the job, years not told
        name = level["name"]
        why = (f"your library experience meets what a {name} usually has" if share >= 1 else
               f"a {name} usually has more years in the job")
        reason = (f"A {name} typically has {level['years']} of experience.", level["source"])
        return _part("experience", config, share, why, reason)
    if not u.experience:
        if u.no_experience:
            return _part("experience", config, credit["none"], "no work experience yet; volunteering is the way in")
        return _part("experience", config, 0.0, "not told yet; tell me about your work so far")
    counts = [pathway.backgrounds[k]["counts_as"] for k in u.kinds if k in pathway.backgrounds] or ["other"]
    best = max(counts, key=lambda c: credit[c])
    why = {"library": "you already work in a library",
           "library_volunteer": "library volunteering is the practical experience employers look for",
           "related": "your experience is related, and career changers compete with transferable skills",
           "other": "experience outside libraries counts a little; library experience counts most"}[best]
    return _part("experience", config, credit[best], why)


def _skills(u: Understanding, config: dict, pathway: Pathway, target: str) -> Part:
    relevant = relevant_skills(pathway, target)
    shown = skills_shown(u, pathway) & set(relevant)
    share = len(shown) / len(relevant) if relevant else 1.0
    level = "entry-level" if target == "entry" else pathway.levels[target]["name"]
    if not shown:
        why = f"none of the key {level} skills shown yet"
    elif share >= 1:
        why = f"you show the key {level} skills"
    else:
        why = f"you show some of the key {level} skills"
    reason = None if target == "entry" else (config["advance_reason"], config["advance_source"])
    return _part("skills", config, share, why, reason)
