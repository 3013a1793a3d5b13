"""Liveness and readiness."""
from flask import Blueprint, current_app, jsonify

from .. import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return jsonify({"status": "ok"})


@bp.get("/readyz")
def readyz():
    checks = {"database": db.ping(), "knowledge": bool(current_app.extensions["coachbot"].index.passages)}
    ready = all(checks.values())
    return jsonify({"status": "ready" if ready else "unavailable", "checks": checks}), 200 if ready else 503
