"""The one place where the plan pages and files name the career (to be read from the guide's manifest,
knowledge/guide.yaml `short_name`, once it exists)."""
from __future__ import annotations

GUIDE_SHORT_NAME = "LTA"


def plan_file_name(plan_id: str) -> str:
    return f"{GUIDE_SHORT_NAME.lower()}-plan-{plan_id}.md"
