"""Profile -> plan: readiness, skill gaps and ordered next steps, every line cited to the guide."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..engines.base import Citation
from .career_steps import cataloging_step, career_steps, grow_step, librarian_step, salary_step, specialization_step
from .citations import CitationBook, markers
from .entry_steps import entry_steps
from .pathway import Pathway
from .profile import FIELDS, Understanding, understand
from .profile_parser import ProfileParser
from .readiness import LEVEL_ORDER, Readiness, assess, relevant_skills, skills_shown
from .render import render_markdown
from .steps import Draft, Step


@dataclass
class Gap:
    id: str
    skill: str
    level: str
    why: str  # with [n] markers
    citations: list[Citation]

    def to_dict(self) -> dict:
        return {"skill": self.skill, "id": self.id, "level": self.level, "why": self.why,
                "citations": [c.to_dict() for c in self.citations]}


@dataclass
class Plan:
    readiness: Readiness
    readiness_citations: list[Citation]
    gaps: list[Gap]
    steps: list[Step]
    citations: list[Citation]  # every source, numbered as the markers use them
    understanding: Understanding
    missing: list[str] = field(default_factory=list)  # profile fields the person has not told
    notes: list[str] = field(default_factory=list)  # what the plan made of the person's place and pace
    level_names: dict[str, str] = field(default_factory=dict)  # level -> the guide's name for it

    def markdown(self, with_sources: bool = True) -> str:
        return render_markdown(self, with_sources)

    def body(self, plan_id: str) -> dict:
        """The plan as the API returns and stores it."""
        r = self.readiness
        return {
            "plan_id": plan_id,
            "readiness": {"score": r.score, "summary": r.summary, "level": r.target,
                          "breakdown": [p.to_dict() for p in r.parts],
                          "citations": [c.to_dict() for c in self.readiness_citations]},
            "skill_gaps": [g.to_dict() for g in self.gaps],
            "steps": [s.to_dict() for s in self.steps],
            "markdown": self.markdown(),
            "missing": self.missing,
            "notes": self.notes,
            "understood": self.understanding.to_dict(),
        }


class Planner:
    def __init__(self, pathway: Pathway, parser: ProfileParser):
        self.pathway, self.parser = pathway, parser

    def plan(self, profile: dict) -> Plan:
        pathway = self.pathway
        person = understand(profile, self.parser)
        book = CitationBook(pathway.knowledge)
        readiness = assess(person, pathway)
        readiness_citations = []
        for part in readiness.parts:
            cited = book.cite([part.source], part.reason)
            part.reason = f"{part.reason} {markers(cited)}"
            readiness_citations += cited
        shown = skills_shown(person, pathway)
        draft = Draft(pathway, person, shown, book)
        steps = self._steps(draft, readiness.target)
        gaps = self._gaps(draft, readiness.target)
        missing = [name for name in FIELDS if name != "skills" and profile.get(name) in (None, "")]
        level_names = {key: level["name"] for key, level in pathway.levels.items() if "name" in level}
        return Plan(readiness, readiness_citations, gaps, steps, book.all, person, missing, draft.notes, level_names)

    def _steps(self, d: Draft, target: str) -> list[Step]:
        person = d.person
        if target == "entry":
            steps = entry_steps(d)
            extra = [specialization_step(d, always=False)]
            if person.goal.level in ("senior", "lead"):
                extra.append(grow_step(d, person.goal.level))
        else:
            steps = career_steps(d, target)
            extra = [specialization_step(d, always=True)]
        steps += [s for s in extra if s is not None]
        technical = cataloging_step(d)
        if technical is not None:  # after the library software, before the resume that shows it
            keys = [s.key for s in steps]
            at = next((keys.index(k) + 1 for k in ("software", "education", "certificate", "self_study") if k in keys),
                      0)
            steps.insert(at, technical)
        steps.append(salary_step(d, target))
        if person.goal.librarian:
            steps.append(librarian_step(d))
        return steps

    def _gaps(self, d: Draft, target: str) -> list[Gap]:
        """Skills the person has not shown: the target level's own first, then the entry-level ones."""
        pathway = d.pathway
        wanted = []
        for level in reversed(LEVEL_ORDER[: LEVEL_ORDER.index(target) + 1]):
            wanted += [s for s in pathway.skills if s.level == level]
        if target != "entry":  # people in the job: only the core entry skills still missing
            core = set(relevant_skills(pathway, "entry"))
            wanted = [s for s in wanted if s.level != "entry" or s.id in core]
        gaps = []
        for skill in wanted:
            if skill.id in d.shown:
                continue
            cited = d.book.cite(list(skill.sources), skill.why)
            gaps.append(Gap(skill.id, skill.name, skill.level, f"{skill.why} {markers(cited)}", cited))
        return gaps
