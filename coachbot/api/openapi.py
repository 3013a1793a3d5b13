"""GET /openapi.json: the API's OpenAPI 3.1 description (kept true by tests/ops/test_openapi.py)."""
from __future__ import annotations

from functools import cache
from pathlib import Path

from flask import Blueprint, jsonify

from ..yamlfile import read_yaml

SPEC_FILE = Path(__file__).with_name("openapi.yaml")

bp = Blueprint("openapi", __name__)


@cache
def spec() -> dict:
    """The description, read once per process (it ships with the package and never changes)."""
    return read_yaml(SPEC_FILE)


@bp.get("/openapi.json")
def openapi_json():
    response = jsonify(spec())
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
