"""POST /api/users: a new anonymous user and its token."""
from flask import Blueprint, jsonify

from .. import db
from .auth import new_user

bp = Blueprint("users", __name__)


@bp.post("/api/users")
def create_user():
    user, token = new_user()
    session = db.session()
    session.add(user)
    session.commit()
    return jsonify({"user_id": user.id, "token": token}), 201
