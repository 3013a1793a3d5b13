"""A plan as one Markdown document. It writes no figures of its own: every number comes from the guide."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .planner import Plan

FIELD_WORDS = {"education": "your education", "experience": "your work experience", "goal": "your goal",
               "location": "where you live", "hours_per_week": "the hours a week you can give",
               "budget_usd": "your budget"}
GAPS_IN_FULL = 6  # the most important gaps get a line each; the rest are named in one line


def render_markdown(plan: Plan, with_sources: bool = True) -> str:
    r = plan.readiness
    name = plan.level_names[r.target]  # the guide's names for its levels (pathway.yaml)
    title = f"your first {name} job" if r.target == "entry" else name
    lines = [f"# Your next steps toward {title}", "", f"**Where you stand:** {r.summary}", ""]
    for part in r.parts:
        lines.append(f"- **{part.label}:** {part.why}. {part.reason}")
    if plan.notes:
        lines += ["", "**Fitted to you:**", ""] + [f"- {note}" for note in plan.notes]
    if plan.missing:
        words = [FIELD_WORDS[f] for f in plan.missing if f in FIELD_WORDS]
        told = words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"
        lines += ["", f"_For a sharper plan, tell me {told}._"]
    lines += ["", "## Your steps", ""]
    for step in plan.steps:
        lines += [f"### {step.title}", "", step.detail, "",
                  f"*Timeframe:* {step.timeframe} · *Cost:* {step.cost}", ""]
    if plan.gaps:
        lines += ["## Skills to build", ""]
        for gap in plan.gaps[:GAPS_IN_FULL]:
            lines.append(f"- **{gap.skill}:** {gap.why}")
        rest = [g.skill for g in plan.gaps[GAPS_IN_FULL:]]
        if rest:
            lines.append(f"- Also worth building: {', '.join(rest)}.")
        lines.append("")
    if with_sources:
        lines += ["## Sources", ""]
        for c in plan.citations:
            lines.append(f"[{c.n}] **{c.passage.title}**: \"{c.quote}\" ({c.passage.url})")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"
