"""The caller's profile: GET, PUT (replace) and PATCH (merge), each answering with how the coach understood it."""
from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify

from .. import db
from ..coaching import Coaching
from ..coaching.profile import ProfileError, clean_profile, understand
from ..http import ApiError
from ..models import Profile, utcnow
from .auth import login_required
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


def save(data: dict) -> None:
    session = db.session()
    row = session.get(Profile, g.user.id)
    if row is None:
        session.add(Profile(user_id=g.user.id, data=data, updated_at=utcnow()))
    else:
        row.data, row.updated_at = data, utcnow()
    session.commit()


@bp.get("/api/profile")
@login_required
def get_profile():
    return profile_response(stored_profile(g.user.id))


@bp.put("/api/profile")
@login_required
def put_profile():
    data = checked_profile(json_body())
    save(data)
    return profile_response(data)


@bp.patch("/api/profile")
@login_required
def patch_profile():
    """Change only the fields sent (null removes one), keeping the rest, e.g. what the chat noted."""
    body = json_body()
    checked = checked_profile(body)
    merged = {k: v for k, v in stored_profile(g.user.id).items() if k not in body}
    merged.update(checked)
    save(merged)
    return profile_response(merged)
