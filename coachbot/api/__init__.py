"""The JSON API: one blueprint per resource."""
from flask import Flask

from .. import http
from . import chat, conversations, health, plans, profile, users


def init_app(app: Flask) -> None:
    http.init_app(app)
    for module in (users, chat, conversations, health, profile, plans):
        app.register_blueprint(module.bp)
    from . import me, openapi  # privacy (export, erase, revoke) and the API's description
    for module in (me, openapi):
        app.register_blueprint(module.bp)
