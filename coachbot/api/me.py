"""The caller's own account: who am I, export everything, erase everything, revoke the token."""
from __future__ import annotations

from flask import Blueprint, g, jsonify
from sqlalchemy import update

from .. import db
from ..http import ApiError
from ..models import User, utcnow
from ..ops.privacy import erase_user, export_user, iso_utc
from .auth import login_required, token_holder_required
from .requests import json_body

bp = Blueprint("me", __name__)


@bp.get("/api/me")
@login_required
def who_am_i():
    return jsonify({"user_id": g.user.id, "created_at": iso_utc(g.user.created_at)})


@bp.get("/api/me/export")
@login_required
def export():
    response = jsonify(export_user(db.session(), g.user))
    response.headers["Content-Disposition"] = 'attachment; filename="coachbot-export.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.delete("/api/me")
@token_holder_required
def erase():
    """Deletes the user row too, so the token stops working and nothing of the user is left.

    A revoked token still works here: whoever holds it can always have their data erased."""
    return _erased(g.user.id)


def _erased(user_id: str):
    session = db.session()
    erase_user(session, user_id)
    session.commit()
    return "", 204


@bp.post("/api/token/revoke")
@login_required
def revoke_token():
    """Log out for good: the token stops working; the data stays until erased or purged.

    With {"erase": true} everything is erased at once as well (the same as DELETE /api/me)."""
    body = json_body(required=False)
    if not isinstance(body.get("erase", False), bool):
        raise ApiError(400, "bad_erase", "'erase' must be true or false.")
    if body.get("erase"):
        return _erased(g.user.id)
    session = db.session()
    session.execute(update(User).where(User.id == g.user.id).values(revoked_at=utcnow()))
    session.commit()
    return "", 204
