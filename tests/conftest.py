"""Shared fixtures: an app per test on its own SQLite file, or on its own PostgreSQL schema."""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from api_client import Api
from coach_api_support import coach_app, make_person, person
from llm_server import llama_server
from sqlalchemy import create_engine, text

from coachbot import create_app, db
from coachbot import services as services_module

# Fixtures shared from a helper module are named here, so that test modules use them without importing.
__all__ = ["coach_app", "llama_server", "make_person", "person"]

TESTS = Path(__file__).parent
FOLDER_MARKERS = {"browser": "browser", "ops": "ops"}


def pytest_collection_modifyitems(items):
    """Markers by what a test needs, so that `-m "not browser and not ops and not model and not postgres"`
    leaves the quick unit suite: by folder, by the model server's fixture, by the PostgreSQL variant."""
    for item in items:
        folder = item.path.relative_to(TESTS).parts[0] if item.path.is_relative_to(TESTS) else ""
        if folder in FOLDER_MARKERS:
            item.add_marker(FOLDER_MARKERS[folder])
        if "llama_server" in item.fixturenames:
            item.add_marker("model")
        params = getattr(item, "callspec", None)
        if "postgres_schema_url" in item.fixturenames or (params and params.params.get("any_db_app") == "postgresql"):
            item.add_marker("postgres")


POSTGRES_URL = os.environ.get("COACHBOT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def needs_service(name: str, reason: str):
    """A missing service fails the run in CI and skips it on a developer's machine."""
    if os.environ.get("CI"):
        pytest.fail(f"{name} is required in CI: {reason}")
    pytest.skip(f"{name} not available: {reason}")


def _fingerprint(folder) -> tuple:
    """What a folder holds, by name, size and change time: a test that edits a file gets a fresh build."""
    folder = Path(folder)
    if not folder.is_dir():
        return (str(folder),)
    return (str(folder.resolve()),) + tuple(sorted((str(p), p.stat().st_size, p.stat().st_mtime_ns)
                                                  for p in folder.rglob("*") if p.is_file()))


@pytest.fixture(scope="session", autouse=True)
def built_once():
    """The knowledge index and the coaching (read-only once built) are built once per session for each
    knowledge folder, prompts folder and secret, instead of once per app: most tests build an app."""
    load_index, load_coaching = services_module.load_index, services_module.load_coaching
    indexes: dict = {}
    coachings: dict = {}

    def cached_index(folder, vector_file=None):  # built once in memory, its vectors too
        key = _fingerprint(folder)
        if key not in indexes:
            indexes[key] = load_index(folder)
        return indexes[key]

    def cached_coaching(knowledge, settings):
        key = (id(knowledge), _fingerprint(settings.knowledge_dir), _fingerprint(settings.prompts_dir),
               settings.secret_key)
        if key not in coachings:
            coachings[key] = (knowledge, load_coaching(knowledge, settings))  # the knowledge kept alive: id stays its
        return coachings[key][1]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(services_module, "load_index", cached_index)
        patch.setattr(services_module, "load_coaching", cached_coaching)
        yield


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
    db.dispose(app)


@pytest.fixture
def api(client):
    return Api(client)


@pytest.fixture
def make_api(client):
    return lambda: Api(client)
