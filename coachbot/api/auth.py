"""Bearer tokens: random, shown once, stored only as a hash, revocable."""
from __future__ import annotations

import hashlib
import secrets
from functools import wraps

from flask import g
from sqlalchemy import bindparam, select

from .. import db
from ..http import ApiError, bearer_token
from ..models import Profile, User


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_user() -> tuple[User, str]:
    token = secrets.token_urlsafe(32)
    return User(token_hash=hash_token(token)), token


# Built once: this runs on every request. Its columns, not an ORM object: nothing changes the row here.
# The profile comes along (the chat reads it), which saves a round trip to the database.
_USERS, _PROFILES = User.__table__, Profile.__table__
_USER_BY_TOKEN = (select(_USERS.c.id, _USERS.c.created_at, _USERS.c.revoked_at, _PROFILES.c.data.label("profile"))
                  .select_from(_USERS.outerjoin(_PROFILES, _PROFILES.c.user_id == _USERS.c.id))
                  .where(_USERS.c.token_hash == bindparam("token_hash")))


def current_user(allow_revoked: bool = False):
    """The caller's user row (id, created_at, revoked_at, profile), from the bearer token."""
    token = bearer_token()
    if token is None:
        raise ApiError(401, "missing_token", "Send 'Authorization: Bearer <token>' (get one from POST /api/users).")
    # Straight on the driver (a pooled connection, returned at once): no session is opened for it.
    user = db.driver_statement(_USER_BY_TOKEN).run({"token_hash": hash_token(token)}, fetch_one=True)
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
