"""Bearer tokens: random, shown once, stored only as a hash, revocable."""
from __future__ import annotations

import hashlib
import secrets
from functools import wraps

from flask import g
from sqlalchemy import bindparam, select

from .. import db
from ..http import ApiError, bearer_token
from ..models import User


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_user() -> tuple[User, str]:
    token = secrets.token_urlsafe(32)
    return User(token_hash=hash_token(token)), token


# Built once: this runs on every request. Its columns, not an ORM object: nothing changes the row here.
_USER_BY_TOKEN = select(User.__table__.c.id, User.__table__.c.created_at, User.__table__.c.revoked_at).where(
    User.__table__.c.token_hash == bindparam("token_hash"))


def current_user(allow_revoked: bool = False):
    """The caller's user row (id, created_at, revoked_at), from the bearer token."""
    token = bearer_token()
    if token is None:
        raise ApiError(401, "missing_token", "Send 'Authorization: Bearer <token>' (get one from POST /api/users).")
    user = db.session().connection().execute(_USER_BY_TOKEN, {"token_hash": hash_token(token)}).first()
    if user is None or (user.revoked_at is not None and not allow_revoked):
        raise ApiError(401, "invalid_token", "This token is not valid; create a new user with POST /api/users.")
    return user


def login_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        g.user = current_user()
        return view(*args, **kwargs)
    return wrapper


def token_holder_required(view):
    """Like login_required, but a revoked token still proves who holds it (to erase their data)."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        g.user = current_user(allow_revoked=True)
        return view(*args, **kwargs)
    return wrapper
