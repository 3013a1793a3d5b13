"""Shared fixtures: an app per test on its own SQLite file, or on its own PostgreSQL schema."""
from __future__ import annotations

import os
import uuid

import pytest
from api_client import Api
from coach_api_support import coach_app, make_person, person
from sqlalchemy import create_engine, text

from coachbot import create_app

# Fixtures shared from a helper module are named here, so that test modules use them without importing.
__all__ = ["coach_app", "make_person", "person"]

POSTGRES_URL = os.environ.get("COACHBOT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def needs_service(name: str, reason: str):
    """A missing service fails the run in CI and skips it on a developer's machine."""
    if os.environ.get("CI"):
        pytest.fail(f"{name} is required in CI: {reason}")
    pytest.skip(f"{name} not available: {reason}")


@pytest.fixture
def make_app(tmp_path):
    def build(**overrides):
        config = {"database_url": f"sqlite:///{tmp_path / 'test.sqlite3'}", "instance_path": str(tmp_path)}
        config.update(overrides)
        app = create_app(config)
        app.config["TESTING"] = True
        return app
    return build


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def postgres_schema_url():
    """A fresh schema in the PostgreSQL test database, dropped afterwards."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = create_engine(POSTGRES_URL)
    try:
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # server down or unreachable
        needs_service("PostgreSQL", str(exc).splitlines()[0])
    yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db_app(request, make_app):
    """The same test on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        app = make_app()
    else:
        app = make_app(database_url=request.getfixturevalue("postgres_schema_url"))
    yield app
    app.extensions["db_engine"].dispose()


@pytest.fixture
def api(client):
    return Api(client)


@pytest.fixture
def make_api(client):
    return lambda: Api(client)
