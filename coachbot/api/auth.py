"""Bearer tokens: random, shown once, stored only as a hash, revocable."""
from __future__ import annotations

import hashlib
import secrets
from functools import wraps

from flask import g
from sqlalchemy import select

from .. import db
from ..http import ApiError, bearer_token
from ..models import User


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_user() -> tuple[User, str]:
    token = secrets.token_urlsafe(32)
    return User(token_hash=hash_token(token)), token


def current_user() -> User:
    token = bearer_token()
    if token is None:
        raise ApiError(401, "missing_token", "Send 'Authorization: Bearer <token>' (get one from POST /api/users).")
    user = db.session().scalar(select(User).where(User.token_hash == hash_token(token)))
    if user is None or user.revoked_at is not None:
        raise ApiError(401, "invalid_token", "This token is not valid; create a new user with POST /api/users.")
    return user


def login_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        g.user = current_user()
        return view(*args, **kwargs)
    return wrapper
