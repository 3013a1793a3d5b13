"""A plan as a document of its own: a printable page and its Markdown file, opened by a signed link."""
from __future__ import annotations

import re

from flask import Response, abort, render_template, request
from markupsafe import Markup

from .. import db
from ..models import Plan
from ..services import services
from .naming import plan_file_name

MARKER = re.compile(r"\[(\d{1,3})\]")
LINK_PROBLEMS = {
    "expired": (403, "This plan link has expired", "Links to a plan work for a short while. Open the plan again "
                                                    "from the chat: it makes a fresh link."),
    "invalid": (404, "No plan at this link", "Check that the whole link was copied, or open the plan again from "
                                             "the chat."),
}


def _render_markdown(text: str) -> Markup:
    from . import render_markdown  # the knowledge pages' renderer: HTML in the text stays text

    return render_markdown(text)


def with_source_links(html: Markup) -> Markup:
    """[n] markers as links to the plan's own list of sources."""
    return Markup(MARKER.sub(lambda m: f'<a class="cite" href="#source-{m.group(1)}" '
                                       f'aria-label="Source {m.group(1)}">{m.group(1)}</a>', str(html)))


def sources(body: dict) -> list[dict]:
    """Every citation in the plan, once, in number order."""
    found: dict[int, dict] = {}
    groups = [body.get("readiness", {}).get("citations", [])]
    groups += [item.get("citations", []) for key in ("steps", "skill_gaps") for item in body.get(key, [])]
    for group in groups:
        for citation in group:
            found.setdefault(citation["n"], citation)
    return [found[n] for n in sorted(found)]


def _problem(kind: str, plans_available: bool = True):
    status, title, text = LINK_PROBLEMS[kind] if plans_available else (
        404, "Plans are not available", "This guide has no pathway data, so the coach makes no plans for it.")
    return render_template("plan_missing.html", title=title, text=text), status


def signed_plan(plan_id: str) -> Plan | tuple:
    """The plan a signed link names, or the page explaining why it does not open."""
    coaching = services().coaching
    if coaching is None:
        return _problem("invalid", plans_available=False)
    verdict = coaching.links.check(plan_id, request.args.get("expires"), request.args.get("signature"))
    if verdict != "ok":
        return _problem(verdict)
    plan = db.session().get(Plan, plan_id)
    if plan is None:
        return _problem("invalid")
    return plan


def plan_page(plan_id: str):
    plan = signed_plan(plan_id)
    if not isinstance(plan, Plan):
        return plan
    body = plan.body or {}
    markdown = body.get("markdown", "")
    title = markdown.splitlines()[0].lstrip("# ").strip() if markdown else "Your plan"
    steps = [{**step, "html": with_source_links(_render_markdown(step.get("detail", "")))}
             for step in body.get("steps", [])]
    readiness = body.get("readiness", {})
    parts = [{**part, "html": with_source_links(_render_markdown(f"**{part['label']}:** {part['why']}. "
                                                                 f"{part['reason']}"))}
             for part in readiness.get("breakdown", [])]
    gaps = [{**gap, "html": with_source_links(_render_markdown(f"**{gap['skill']}:** {gap['why']}"))}
            for gap in body.get("skill_gaps", [])]
    links = services().coaching.links.for_plan(plan.id)
    return render_template("plan.html", title=title, readiness=readiness, parts=parts, notes=body.get("notes", []),
                           steps=steps, gaps=gaps, sources=sources(body), download=links["markdown"],
                           created=plan.created_at)


def plan_file(plan_id: str):
    plan = signed_plan(plan_id)
    if not isinstance(plan, Plan):
        return plan
    return Response((plan.body or {}).get("markdown", ""), mimetype="text/markdown",
                    headers={"Content-Disposition": f'attachment; filename="{plan_file_name(plan.id)}"',
                             "Cache-Control": "private, no-store"})


def init_routes(bp) -> None:
    bp.add_url_rule("/plans/<plan_id>", "plan_page", plan_page)
    bp.add_url_rule("/plans/<plan_id>.md", "plan_file", plan_file)
