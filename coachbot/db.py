"""The database: one engine per app, one session per request, migrations applied at start."""
from __future__ import annotations

import ast
import fcntl
import os
import re
import threading
import time
import weakref
from collections import namedtuple
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def database_url(app: Flask) -> str:
    url = app.config["SETTINGS"].database_url
    if url:
        # Heroku-style URLs name the old driver; psycopg 3 is the one installed.
        if url.startswith("postgres://"):
            url = "postgresql://" + url[len("postgres://"):]
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://"):]
        return url
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{Path(app.instance_path) / 'coachbot.sqlite3'}"


# Connections kept open per process: at least one per serving thread (`coachbot serve` runs 8), so
# under load no request opens a connection (a new PostgreSQL backend process) and then drops it.
POOL_SIZE = 10


def make_engine(url: str, **server_options) -> Engine:
    """The engine for a database URL; `server_options` go to a PostgreSQL engine's create_engine."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            # WAL lets readers work during a write; foreign keys make deletes cascade.
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            # No checkpoint inside a request's commit (it writes the database file and syncs it,
            # which under load took a second); a background thread checkpoints instead.
            cursor.execute("PRAGMA wal_autocheckpoint=0")
            cursor.close()

        return engine
    engine = create_engine(url, pool_size=POOL_SIZE, max_overflow=10, pool_timeout=10, **server_options)
    _ping_when_idle(engine)
    return engine


# A connection used within this many seconds is taken to be alive; one idle for longer is checked.
IDLE_PING_S = 5.0


def _ping_when_idle(engine: Engine) -> None:
    """Check a pooled connection before use only when it sat idle for a while.

    A check on every checkout (pool_pre_ping) costs a round trip on every request. Connections in
    steady use are checked by that use: a broken one fails its request with a 503 and SQLAlchemy
    then drops the whole pool, so the service recovers by itself when the database is back."""

    @event.listens_for(engine, "checkin")
    def _note_checkin(_dbapi_conn, record):
        record.info["checked_in_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_conn, record, _proxy):
        if time.monotonic() - record.info.get("checked_in_at", 0.0) < IDLE_PING_S:
            return
        try:
            cursor = dbapi_conn.cursor()
            cursor.execute("SELECT 1")
            cursor.close()
            dbapi_conn.rollback()
        except Exception as exc:  # the pool opens a fresh connection instead
            raise DisconnectionError(str(exc)) from exc


def head_revisions() -> set[str]:
    """The newest revision(s) of the migrations: those no other revision follows. Read from each
    file's `revision = ...` and `down_revision = ...` lines, as alembic reads them."""
    revisions: set[str] = set()
    followed: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.Assign):
                continue
            names = [getattr(t, "id", None) for t in node.targets]
            if names == ["revision"]:
                revisions.add(ast.literal_eval(node.value))
            elif names == ["down_revision"]:
                down = ast.literal_eval(node.value) or ()  # None, one revision, or several (a merge)
                followed.update([down] if isinstance(down, str) else down)
    return revisions - followed


def at_head(engine: Engine) -> bool:
    """Whether the database's schema is at the newest revision (a fresh database is not)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return False
        current = {row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))}
    heads = head_revisions()
    return bool(heads) and current == heads


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision; safe to call from many processes at once."""
    # Most starts find the schema already at the newest revision: then alembic, a fifth of a
    # second to import, is not needed at all.
    if at_head(engine):
        return
    from alembic import command
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Workers starting together wait for one another instead of racing.
            conn.execute(text("SELECT pg_advisory_xact_lock(727272)"))
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


class SqliteWriteGate:
    """Writers to one SQLite file take turns in a queue: a lock among this process's threads, then
    an flock among processes. Left to itself, SQLite makes a waiting writer poll, sleeping up to
    100 ms between tries, and under load some writers lose the race again and again for a second
    or more; a blocked flock wakes as soon as the lock is free."""

    def __init__(self, database_path: str):
        self.path = database_path + ".write-lock"
        self.threads = threading.Lock()

    @contextmanager
    def __call__(self):
        with self.threads:
            # Opened per use: cheap, never shared across a fork, never left open.
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                yield
            finally:
                os.close(fd)  # closing the last descriptor releases the lock


class SqliteCheckpointer:
    """Copies the write-ahead log into the database file every second, off the request path.

    One daemon thread per process, started by the first request; it stops when its engine is gone
    or the database cannot be reached. PASSIVE never waits for (or blocks) readers and writers."""

    INTERVAL_S = 1.0

    def __init__(self, engine: Engine):
        self.engine = weakref.ref(engine)
        self.pid = 0

    def ensure_running(self) -> None:
        if self.pid != os.getpid():
            self.pid = os.getpid()
            threading.Thread(target=self._run, name="sqlite-checkpoint", daemon=True).start()

    def _run(self) -> None:
        while True:
            time.sleep(self.INTERVAL_S)
            engine = self.engine()
            if engine is None:
                return
            try:
                with engine.connect() as conn:
                    conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")
            except Exception:  # the database is gone (a test's folder, say): nothing left to do
                return
            finally:
                del engine


@contextmanager
def _no_gate():
    yield


@contextmanager
def write_gate(session: Session):
    """Around a write transaction that the block commits: on SQLite, writers queue for their turn
    (PostgreSQL's row locks need no help). A failure inside rolls the transaction back."""
    gate = current_app.extensions.get("db_write_gate") or _no_gate
    with gate():
        try:
            yield
        except BaseException:
            session.rollback()
            raise


def insert_if_missing(session: Session, model, **values):
    """INSERT ... ON CONFLICT DO NOTHING for this session's database (SQLite or PostgreSQL)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert
        return postgresql_insert(model).values(**values).on_conflict_do_nothing()
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert
    return sqlite_insert(model).values(**values).on_conflict_do_nothing()


def init_app(app: Flask) -> None:
    engine = make_engine(database_url(app))
    migrate(engine)
    app.extensions["db_engine"] = engine
    if engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
        app.extensions["db_write_gate"] = SqliteWriteGate(engine.url.database)
        app.extensions["db_checkpointer"] = SqliteCheckpointer(engine)
    app.extensions["db_sessionmaker"] = sessionmaker(engine, expire_on_commit=False)
    if engine.dialect.name == "postgresql":
        # For the chat's lone read and one-statement write: every statement commits by itself (no
        # BEGIN and COMMIT round trips). A pool of its own, since a connection borrowed from the main
        # pool with its isolation level switched pays for the switch, and for switching back, on every
        # request; nothing is left open on these connections, so returning one needs no ROLLBACK.
        app.extensions["db_autocommit"] = make_engine(database_url(app), isolation_level="AUTOCOMMIT",
                                                      pool_reset_on_return=None)
    app.extensions["db_driver_statements"] = {}
    app.teardown_appcontext(_close_session)


def session() -> Session:
    """The request's session, opened on first use."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["db_sessionmaker"]()
        checkpointer = current_app.extensions.get("db_checkpointer")
        if checkpointer is not None:
            checkpointer.ensure_running()
    return g.db_session


# A named placeholder as SQLAlchemy writes it for psycopg: %(name)s
PYFORMAT_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


class DriverStatement:
    """A Core statement compiled once for PostgreSQL and run straight on the driver's cursor.

    For the statements every chat runs (the token lookup, the first exchange's write): SQLAlchemy's
    execution layer cost more per call than the database's own work. What it did that matters is
    kept: values go through the columns' own bind processing (JSON), a driver error comes out as
    SQLAlchemy's (a lost server is an OperationalError, answered with 503), and a connection found
    broken is dropped from the pool."""

    def __init__(self, statement, engine: Engine):
        self.dialect = engine.dialect
        compiled = statement.compile(dialect=self.dialect)
        # Positional placeholders, values in a list: psycopg then skips matching names on every call.
        self.sql = PYFORMAT_PLACEHOLDER.sub("%s", compiled.string)
        self.binds = [(name, compiled.binds[name].type.dialect_impl(self.dialect).bind_processor(self.dialect))
                      for name in PYFORMAT_PLACEHOLDER.findall(compiled.string)]
        self.row: Any = None
        if statement.is_select:
            self.row = namedtuple("Row", statement.selected_columns.keys())  # type: ignore[misc]  # names known only here

    def run(self, params: dict, fetch_one: bool = False):
        """Run in autocommit; with `fetch_one`, the first row (attributes named by its columns) or None."""
        values = [params[name] if process is None else process(params[name]) for name, process in self.binds]
        engine = current_app.extensions["db_autocommit"]
        connection = None
        try:
            # Inside the try: a refused connection raises the driver's own error here, too.
            connection = engine.raw_connection()
            # One cursor per connection, kept with it (the pool forgets it when the connection is
            # replaced): opening and closing a cursor cost a third of a lookup.
            cursor = connection.info.get("driver_cursor")
            if cursor is None:
                cursor = connection.info["driver_cursor"] = connection.dbapi_connection.cursor()
            cursor.execute(self.sql, values)
            if not fetch_one:
                return None
            found = cursor.fetchone()
            return None if found is None else self.row(*found)
        except self.dialect.loaded_dbapi.Error as exc:
            if connection is not None and self.dialect.is_disconnect(exc, connection.dbapi_connection, None):
                # As SQLAlchemy does: the server went away, so every pooled connection is stale.
                connection.invalidate(exc)
                engine.dispose()
            raise DBAPIError.instance(self.sql, values, exc, self.dialect.loaded_dbapi.Error) from exc
        finally:
            if connection is not None:
                connection.close()  # back to the pool (or dropped, when invalidated)


class SqliteStatement:
    """A Core statement compiled once for SQLite and run straight on a pooled sqlite3 connection.

    As DriverStatement does for PostgreSQL, for the statements every chat runs: the ORM session and
    SQLAlchemy's execution layer cost more per chat than SQLite's own work. Values go through the
    columns' own bind processing (JSON, timestamps) in the placeholders' order, a row's values
    through the columns' result processing, and a driver error comes out as SQLAlchemy's."""

    def __init__(self, statement, engine: Engine, column_keys: list[str] | None = None):
        dialect = engine.dialect
        compiled = statement.compile(dialect=dialect, column_keys=column_keys)
        self.sql = compiled.string
        self.binds = [(name, compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect))
                      for name in compiled.positiontup or ()]
        self.row: Any = None
        self.results: list = []
        if statement.is_select:
            columns = statement.selected_columns
            self.row = namedtuple("Row", columns.keys())  # type: ignore[misc]  # names known only here
            self.results = [c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns]

    def values(self, params: dict) -> tuple:
        return tuple(params[name] if process is None else process(params[name]) for name, process in self.binds)

    def first(self, cursor, params: dict):
        """The first row (attributes named by its columns, values as the columns read them) or None."""
        found = cursor.execute(self.sql, self.values(params)).fetchone()
        if found is None:
            return None
        return self.row(*(v if process is None else process(v) for v, process in zip(found, self.results, strict=True)))

    def execute_many(self, cursor, rows: list[dict]) -> None:
        cursor.executemany(self.sql, [self.values(row) for row in rows])

    def run(self, params: dict, fetch_one: bool = False):
        """Run on a pooled connection and commit; with `fetch_one`, the first row or None (as DriverStatement.run)."""
        with sqlite_connection() as connection:
            cursor = connection.cursor()
            if fetch_one:  # a read: outside any transaction (sqlite3 begins one only before a write)
                return self.first(cursor, params)
            cursor.execute(self.sql, self.values(params))
            connection.commit()
            return None


@contextmanager
def sqlite_connection():
    """A pooled sqlite3 connection, back in the pool (rolled back) at the end; driver errors come out
    as SQLAlchemy's (a locked or unreachable database is an OperationalError, answered with 503)."""
    import sqlite3

    checkpointer = current_app.extensions.get("db_checkpointer")
    if checkpointer is not None:
        checkpointer.ensure_running()
    connection = None
    try:
        connection = current_app.extensions["db_engine"].raw_connection()
        yield connection
    except sqlite3.Error as exc:
        raise DBAPIError.instance(None, None, exc, sqlite3.Error) from exc
    finally:
        if connection is not None:
            connection.close()


def sqlite_write(*steps: tuple[SqliteStatement, list[dict]]) -> None:
    """Run each statement over its rows, all in one transaction, in the SQLite writers' queue."""
    gate = current_app.extensions.get("db_write_gate") or _no_gate
    with sqlite_connection() as connection, gate():
        try:
            cursor = connection.cursor()
            for statement, rows in steps:
                statement.execute_many(cursor, rows)
            connection.commit()
        except BaseException:
            connection.rollback()  # inside the gate: the next writer finds the write lock free
            raise


def is_postgresql() -> bool:
    return current_app.extensions["db_engine"].dialect.name == "postgresql"


def driver_statement(statement) -> DriverStatement | SqliteStatement:
    """The statement ready to run on the driver (PostgreSQL's or SQLite's), compiled on first use."""
    prepared = current_app.extensions["db_driver_statements"]
    if statement not in prepared:
        engine = current_app.extensions["db_engine"]
        prepared[statement] = (DriverStatement(statement, engine) if engine.dialect.name == "postgresql"
                               else SqliteStatement(statement, engine))
    return prepared[statement]


def sqlite_statement(statement, column_keys: list[str]) -> SqliteStatement:
    """An INSERT ready to run on SQLite's driver, given the values of `column_keys` (compiled on first use)."""
    prepared = current_app.extensions["db_driver_statements"]
    if statement not in prepared:
        prepared[statement] = SqliteStatement(statement, current_app.extensions["db_engine"], column_keys)
    return prepared[statement]


def dispose(app: Flask, close: bool = True) -> None:
    """Let go of the app's pooled connections (both engines'). `close=False` in a forked worker:
    it must not share the parent's connections, nor close them under the parent."""
    for name in ("db_engine", "db_autocommit"):
        if name in app.extensions:
            app.extensions[name].dispose(close=close)


def _close_session(_exc) -> None:
    db_session = g.pop("db_session", None)
    if db_session is not None:
        db_session.close()


def ping() -> bool:
    try:
        with current_app.extensions["db_engine"].connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:  # any driver error means "not ready"
        current_app.logger.warning("database ping failed", exc_info=True)
        return False
