"""Coachbot: a career coach grounded in one career guide, served over HTTP with a chat widget."""
from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask.sessions import SessionInterface

from .config import Settings, load_settings


class NoCookieSession(SessionInterface):
    """No cookie session: `flask.session` is Flask's null session, which refuses writes."""

    def open_session(self, app: Flask, request) -> None:
        return None

    def save_session(self, app: Flask, session, response) -> None:
        return None


def create_app(config: dict | Settings | None = None) -> Flask:
    """Build the app. `config` (tests) overrides settings read from the environment and `.env`."""
    settings = config if isinstance(config, Settings) else load_settings(config)
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(
        SETTINGS=settings,
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        JSON_SORT_KEYS=False,
    )
    app.json.sort_keys = False  # type: ignore[attr-defined]  # the default provider has it
    # Callers prove who they are with bearer tokens; nothing is kept in a cookie session, so no
    # request pays for Flask building its cookie signer.
    app.session_interface = NoCookieSession()
    if "instance_path" in settings.extra:
        app.instance_path = settings.extra["instance_path"]

    from . import api, db, web
    from .services import Services

    app.extensions["coachbot"] = Services.build(settings, Path(app.instance_path))
    db.init_app(app)
    api.init_app(app)
    web.init_app(app)
    from . import ops  # request ids and logs, security headers, rate limits, metrics

    ops.init_app(app)
    return app
