"""Plans: POST /api/plan builds one from the profile; the caller reads (or downloads) only their own."""
from __future__ import annotations

from flask import Blueprint, Response, g, jsonify
from sqlalchemy import select

from .. import db
from ..models import Plan, new_id
from .auth import login_required
from .errors import ApiError
from ..coaching.profile import unknown_fields
from .profile import checked_profile, coaching, stored_profile
from .requests import json_body
from ..web.naming import plan_file_name

bp = Blueprint("plans", __name__)

LIST_LIMIT = 100


@bp.post("/api/plan")
@login_required
def create_plan():
    body = json_body(required=False)
    unknown = sorted(set(body) - {"profile"})
    if unknown:
        raise ApiError(400, "unknown_field", f"Unknown field(s): {', '.join(map(repr, unknown))}; "
                                             "send {\"profile\": {...}} or no body.")
    ignored: list[str] = []
    if body.get("profile") is not None:
        # A one-off profile: fields the coach does not know are left out (and named), not refused.
        profile = checked_profile(body["profile"], strict=False)
        ignored = unknown_fields(body["profile"])
    else:
        profile = stored_profile(g.user.id)
    plan = coaching().planner.plan(profile)
    plan_id = new_id()
    result = plan.body(plan_id)
    if ignored:
        result["ignored_fields"] = ignored
    session = db.session()
    session.add(Plan(id=plan_id, user_id=g.user.id, profile=profile, body=result))
    session.commit()
    # Links a browser opens without the token (page, Markdown file), valid for a while; not stored.
    return jsonify({**result, "links": coaching().links.for_plan(plan_id)})


def owned_plan(plan_id: str) -> Plan:
    plan = db.session().get(Plan, plan_id)
    if plan is None or plan.user_id != g.user.id:
        raise ApiError(404, "plan_not_found", "No such plan for this user.")
    return plan


@bp.get("/api/plans")
@login_required
def list_plans():
    rows = db.session().scalars(select(Plan).where(Plan.user_id == g.user.id)
                                .order_by(Plan.created_at.desc()).limit(LIST_LIMIT))
    return jsonify({"plans": [{"id": p.id, "created_at": p.created_at.isoformat(),
                               "readiness": (p.body or {}).get("readiness", {}).get("score")} for p in rows]})


@bp.get("/api/plans/<plan_id>")
@login_required
def get_plan(plan_id: str):
    return jsonify(owned_plan(plan_id).body)


@bp.post("/api/plans/<plan_id>/links")
@login_required
def plan_links(plan_id: str):
    """Fresh signed links to the caller's plan: its page and its Markdown file open in any browser tab."""
    plan = owned_plan(plan_id)
    return jsonify(coaching().links.for_plan(plan.id))


@bp.get("/api/plans/<plan_id>.md")
@login_required
def download_plan(plan_id: str):
    """The stored plan as a Markdown file, with its sources."""
    plan = owned_plan(plan_id)
    return Response(plan.body.get("markdown", ""), mimetype="text/markdown",
                    headers={"Content-Disposition": f'attachment; filename="{plan_file_name(plan.id)}"'})
