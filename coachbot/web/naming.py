"""How plan files are named: after the guide's short name (knowledge/guide.yaml `short_name`)."""
from __future__ import annotations

import re

from ..services import services


def plan_file_name(plan_id: str) -> str:
    short = re.sub(r"[^a-z0-9]+", "-", services().guide.short_name.lower()).strip("-") or "career"
    return f"{short}-plan-{plan_id}.md"
