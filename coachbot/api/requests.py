"""Reading a JSON body strictly: the right content type, valid UTF-8, an object, typed fields."""
from __future__ import annotations

import json
import re

from flask import request

from ..http import ApiError


def json_body(required: bool = True) -> dict:
    raw = request.get_data(cache=True)
    if not raw.strip():
        if required:
            raise ApiError(400, "empty_body", "Send a JSON object in the request body.")
        return {}
    if not request.is_json:
        raise ApiError(415, "unsupported_media_type", "Send the body as JSON (Content-Type: application/json).")
    try:
        body = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ApiError(400, "bad_encoding", "The body is not valid UTF-8.") from None
    except ValueError:
        raise ApiError(400, "bad_json", "The body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise ApiError(400, "bad_json", "The body must be a JSON object.")
    if _has_bad_text(body):
        # NUL cannot be stored in PostgreSQL text, and a lone surrogate ("\\ud800") is no character
        # at all: neither is something a person types, so both are refused for every store.
        raise ApiError(400, "bad_characters",
                       "The body contains a NUL (\\u0000) or an unpaired surrogate (\\ud800-\\udfff); remove it.")
    return body


BAD_CHARACTERS = re.compile("[\x00\ud800-\udfff]")


def _has_bad_text(value) -> bool:
    if isinstance(value, str):
        return bool(BAD_CHARACTERS.search(value))
    if isinstance(value, dict):
        return any(_has_bad_text(k) or _has_bad_text(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_bad_text(v) for v in value)
    return False


def optional_str(body: dict, name: str, max_len: int | None = None) -> str | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ApiError(400, "bad_type", f"'{name}' must be a string.")
    if max_len is not None and len(value) > max_len:
        raise ApiError(413, "too_long", f"'{name}' is too long ({max_len} characters at most).")
    return value
