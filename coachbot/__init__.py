"""Coachbot: a career coach for future Library Technical Assistants, grounded in one guide."""
from __future__ import annotations

from pathlib import Path

from flask import Flask

from .config import Settings, load_settings


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
