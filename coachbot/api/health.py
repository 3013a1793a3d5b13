"""Liveness and readiness."""
from flask import Blueprint, jsonify

from .. import db
from ..services import services

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return jsonify({"status": "ok"})


@bp.get("/readyz")
def readyz():
    checks = {"database": db.ping(), "knowledge": bool(services().index.passages)}
    ready = all(checks.values())
    return jsonify({"status": "ready" if ready else "unavailable", "checks": checks}), 200 if ready else 503
