"""The plan as the chat shows it: a compact card (readiness, the first steps, links to the whole plan),
and, when a correction rebuilds it, what changed."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .citations import markers

if TYPE_CHECKING:
    from .planner import Plan

CARD_STEPS = 3  # the full plan is one click away; the chat shows where to start


def card_markdown(plan: Plan, links: dict, texts: dict) -> str:
    r = plan.readiness
    parts = [texts["title"].format(score=r.score, summary=r.summary)]
    if plan.notes:
        parts.append(texts["fitted"].format(notes=" ".join(plan.notes)))
    lines = [texts["first_steps"]]
    for i, step in enumerate(plan.steps[:CARD_STEPS], 1):
        lines.append(f"{i}. **{step.title}** ({step.timeframe}; {_lower_first(step.cost)}) {markers(step.citations)}"
                     .rstrip())
    parts.append("\n".join(lines))
    if len(plan.steps) > CARD_STEPS:
        parts.append(texts["more"].format(count=len(plan.steps)))
    parts.append(texts["links"].format(page=links["page"], markdown=links["markdown"]))
    parts.append(texts["correct"])
    return "\n\n".join(parts)


def digest(plan: Plan) -> dict:
    """What a later correction compares against (kept in the conversation state)."""
    return {"score": plan.readiness.score,
            "steps": [[s.key, s.title, s.timeframe, s.cost] for s in plan.steps]}


def changes(before: dict, after: dict, texts: dict) -> list[str]:
    """What differs between two plans, in words: readiness, steps added, dropped or re-timed."""
    out = []
    if before.get("score") != after["score"]:
        out.append(texts["score"].format(old=before.get("score"), new=after["score"]))
    old = {key: (title, timeframe, cost) for key, title, timeframe, cost in before.get("steps", [])}
    new = {key: (title, timeframe, cost) for key, title, timeframe, cost in after["steps"]}
    for key, (title, timeframe, cost) in new.items():
        if key not in old:
            out.append(texts["added"].format(title=title))
        elif old[key] != (title, timeframe, cost):
            out.append(texts["changed"].format(title=title, timeframe=timeframe, cost=_lower_first(cost)))
    out += [texts["removed"].format(title=old[key][0]) for key in old if key not in new]
    return out


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text
