"""The caller's profile: GET, PUT (replace) and PATCH (merge), each answering with how the coach understood it."""
from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify

from .. import db
from ..coaching import Coaching
from ..coaching.profile import ProfileError, clean_profile, understand
from ..history import lock_profile, save_profile
from ..models import Profile, utcnow
from .auth import login_required
from .errors import ApiError
from .requests import json_body

bp = Blueprint("profile", __name__)


def coaching() -> Coaching:
    found = current_app.extensions["coachbot"].coaching
    if found is None:
        raise ApiError(503, "coaching_unavailable", "Plans are not available: the guide's pathway data is missing.")
    return found


def checked_profile(data, strict: bool = True) -> dict:
    """A client's profile, checked; bad input becomes the matching JSON error."""
    try:
        return clean_profile(data, strict)
    except ProfileError as err:
        raise ApiError(413 if err.too_long else 400, err.code, err.message) from None


def stored_profile(user_id: str) -> dict:
    row = db.session().get(Profile, user_id)
    return dict(row.data or {}) if row else {}


def profile_response(data: dict):
    return jsonify({**data, "understood": understand(data, coaching().parser).to_dict()})


@bp.get("/api/profile")
@login_required
def get_profile():
    return profile_response(stored_profile(g.user.id))


@bp.put("/api/profile")
@login_required
def put_profile():
    data = checked_profile(json_body())
    session = db.session()
    with db.write_gate(session):
        save_profile(session, g.user.id, data)
        session.commit()
    return profile_response(data)


@bp.patch("/api/profile")
@login_required
def patch_profile():
    """Change only the fields sent (null removes one), keeping the rest, e.g. what the chat noted."""
    body = json_body()
    checked = checked_profile(body)
    session = db.session()
    with db.write_gate(session):
        row = lock_profile(session, g.user.id)  # read, merge and write while no other change can interleave
        merged = {k: v for k, v in (row.data or {}).items() if k not in body}
        merged.update(checked)
        row.data, row.updated_at = merged, utcnow()
        session.commit()
    return profile_response(merged)
