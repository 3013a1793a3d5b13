"""Database failures that errors.py does not name still answer 503, never 500."""
from __future__ import annotations

from flask import Flask
from sqlalchemy.exc import PendingRollbackError, TimeoutError as PoolTimeout

from ..api.errors import error_response


def init_app(app: Flask) -> None:
    # PendingRollbackError: a write failed earlier in this request (the database went away mid-way).
    # PoolTimeout: every connection is busy or the server does not accept new ones in time.
    @app.errorhandler(PendingRollbackError)
    @app.errorhandler(PoolTimeout)
    def _database_unavailable(err):
        app.logger.error("database unavailable: %s", err.__class__.__name__, exc_info=err)
        return error_response(503, "database_unavailable",
                              "The service cannot reach its database right now; try again shortly.",
                              {"Retry-After": "5"})
