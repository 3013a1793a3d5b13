"""Reading a JSON body strictly: the right content type, valid UTF-8, bounded size and depth, an object."""
from __future__ import annotations

import json
import re

from flask import current_app, request

from .errors import ApiError

# No request of the API nests deeper than a few levels; anything deeper is refused before it is
# parsed or walked, so no recursion anywhere can run out of stack.
MAX_DEPTH = 32
BAD_CHARACTERS = re.compile("[\x00\ud800-\udfff]")


def read_body() -> bytes:
    """The raw body, refusing (413) one over the size limit, chunked bodies included.

    werkzeug cuts a chunked body off at the limit without saying so; here it is read to one byte
    past the limit, so a body that is too large is refused instead of silently truncated."""
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if request.content_length is None and "wsgi.input_terminated" in request.environ \
            and getattr(request, "_cached_data", None) is None:
        raw = request.environ["wsgi.input"].read(limit + 1) or b""
        if len(raw) > limit:
            raise ApiError(413, "too_large", f"The request body is too large ({limit // 1024} KB at most).")
        request._cached_data = raw  # later readers (get_json, the request log) see the same bytes
        return raw
    return request.get_data(cache=True)


def json_depth(text: str) -> int:
    """How deeply arrays and objects nest in a JSON text, counted without parsing it."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def json_body(required: bool = True) -> dict:
    raw = read_body()
    if not raw.strip():
        if required:
            raise ApiError(400, "empty_body", "Send a JSON object in the request body.")
        return {}
    if not request.is_json:
        raise ApiError(415, "unsupported_media_type", "Send the body as JSON (Content-Type: application/json).")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError(400, "bad_encoding", "The body is not valid UTF-8.") from None
    if text.count("[") + text.count("{") > MAX_DEPTH and json_depth(text) > MAX_DEPTH:
        raise ApiError(400, "too_deep", f"The JSON nests too deeply ({MAX_DEPTH} levels at most).")
    try:
        body = json.loads(text)
    except ValueError:
        raise ApiError(400, "bad_json", "The body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise ApiError(400, "bad_json", "The body must be a JSON object.")
    if has_bad_text(body):
        # NUL cannot be stored in PostgreSQL text, and a lone surrogate ("\\ud800") is no character
        # at all: neither is something a person types, so both are refused for every store.
        raise ApiError(400, "bad_characters",
                       "The body contains a NUL (\\u0000) or an unpaired surrogate (\\ud800-\\udfff); remove it.")
    return body


def has_bad_text(value) -> bool:
    """Whether any string (key or value) anywhere in a parsed JSON value holds a NUL or a lone surrogate."""
    pending = [value]
    while pending:  # a loop, not recursion: depth is bounded anyway, but this never needs the stack
        item = pending.pop()
        if isinstance(item, str):
            if BAD_CHARACTERS.search(item):
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
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
