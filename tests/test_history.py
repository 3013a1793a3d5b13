"""Per-user history on both databases: the same API, the same guarantees."""
from __future__ import annotations

from api_client import Api
from sqlalchemy import inspect

from coachbot import db


def test_schema_is_migrated(any_db_app):
    tables = set(inspect(any_db_app.extensions["db_engine"]).get_table_names())
    assert {"users", "conversations", "messages", "feedback", "profiles", "plans", "alembic_version"} <= tables


def test_history_round_trip(any_db_app):
    client = any_db_app.test_client()
    alice, bob = Api(client), Api(client)
    first = alice.chat("What do LTAs earn in Canada?").get_json()
    follow = alice.chat("and in the UK?", first["conversation_id"]).get_json()
    assert "£22,000" in follow["answer"]
    other = alice.chat("What is the LSSC?").get_json()
    listed = alice.get("/api/conversations").get_json()["conversations"]
    assert [c["id"] for c in listed] == [other["conversation_id"], first["conversation_id"]]
    assert listed[1]["title"] == "What do LTAs earn in Canada?"
    messages = alice.get(f"/api/conversations/{first['conversation_id']}").get_json()["messages"]
    assert [m["content"] for m in messages[::2]] == ["What do LTAs earn in Canada?", "and in the UK?"]
    assert messages[3]["citations"] == follow["citations"]
    assert bob.get(f"/api/conversations/{first['conversation_id']}").status_code == 404
    assert alice.delete(f"/api/conversations/{first['conversation_id']}").status_code == 204
    assert [c["id"] for c in alice.get("/api/conversations").get_json()["conversations"]] == [other["conversation_id"]]


def test_readyz_checks_the_database(any_db_app):
    response = any_db_app.test_client().get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["checks"] == {"database": True, "knowledge": True}


def test_migrations_run_twice_safely(any_db_app, make_app):
    # A second app on the same database (another worker starting) finds the schema at head.
    url = any_db_app.config["SETTINGS"].database_url
    again = make_app(database_url=url)
    assert Api(again.test_client()).chat("What is an LTA?").status_code == 200
    db.dispose(again)


def test_nul_characters_are_refused_before_the_database_sees_them(any_db_app):
    api = Api(any_db_app.test_client())
    for path, body in (("/api/chat", {"message": "hi\u0000"}), ("/api/profile", {"goal": "a\u0000b"})):
        send = api.client.put if path == "/api/profile" else api.client.post
        response = send(path, json=body, headers=api.auth)
        assert response.status_code == 400 and response.get_json()["error"]["code"] == "bad_characters"
    assert api.get("/api/conversations").get_json()["conversations"] == []


def test_the_token_lookup_brings_the_profile_and_honours_revocation(any_db_app):
    # The lookup that every request makes (on PostgreSQL straight on the driver) returns the
    # stored profile as data the coach reads, and a revoked token no longer opens anything.
    api = Api(any_db_app.test_client())
    assert api.client.put("/api/profile", json={"location": "United Kingdom"}, headers=api.auth).status_code == 200
    assert "£" in api.chat("how much would i get paid?").get_json()["answer"]
    assert api.post("/api/token/revoke").status_code in (200, 204)
    refused = api.chat("how much would i get paid?")
    assert refused.status_code == 401 and refused.get_json()["error"]["code"] == "invalid_token"
    assert api.get("/api/conversations").status_code == 401


def test_a_first_exchange_stored_on_the_driver_reads_back_as_the_orm_stores_it(any_db_app):
    # The token lookup and a new conversation's write run straight on the driver (both databases):
    # timestamps, JSON and the user's profile come back as the ORM's own writes do.
    api = Api(any_db_app.test_client())
    me = api.get("/api/me").get_json()
    assert me["created_at"].endswith("+00:00")
    assert api.client.put("/api/profile", json={"location": "Canada"}, headers=api.auth).status_code == 200
    first = api.chat("What do LTAs earn?").get_json()
    messages = api.get(f"/api/conversations/{first['conversation_id']}").get_json()["messages"]
    assert [m["role"] for m in messages] == ["user", "assistant"]
    assert messages[1]["citations"] == first["citations"] and messages[1]["created_at"].endswith("+00:00")
    assert messages[1]["id"] == first["message_id"]
    listed = api.get("/api/conversations").get_json()["conversations"]
    assert listed[0]["title"] == "What do LTAs earn?"


def test_a_driver_error_on_sqlite_is_a_503_not_a_500(make_app):
    # Straight on sqlite3, a driver error still comes out as SQLAlchemy's, which the app answers with 503.
    app = make_app()
    api = Api(app.test_client())
    with app.extensions["db_engine"].begin() as conn:
        conn.exec_driver_sql("ALTER TABLE messages RENAME TO messages_gone")
    response = api.chat("What is an LTA?")
    assert response.status_code == 503 and response.get_json()["error"]["code"] == "database_unavailable"
    with app.extensions["db_engine"].begin() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM conversations").scalar() == 0  # all or nothing


def test_the_driver_path_starts_afresh_when_its_database_connection_is_lost(make_app, postgres_schema_url):
    # Each pooled connection keeps one cursor for the lookup and the write; when the server drops the
    # connection, that request gets a 503 and the next one runs on a new connection and its own cursor.
    from sqlalchemy import create_engine, text

    app = make_app(database_url=postgres_schema_url)
    api = Api(app.test_client())
    assert api.chat("What is an LTA?").status_code == 200
    with app.app_context():
        pooled = app.extensions["db_autocommit"].raw_connection()
        backend, cursor = pooled.dbapi_connection.info.backend_pid, pooled.info["driver_cursor"]
        pooled.close()
    killer = create_engine(postgres_schema_url)
    with killer.begin() as conn:
        assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend}).scalar()
    killer.dispose()
    lost = api.chat("What is an LTA?")
    assert lost.status_code == 503 and lost.get_json()["error"]["code"] == "database_unavailable"
    again = api.chat("What is an LTA?")
    assert again.status_code == 200
    with app.app_context():
        pooled = app.extensions["db_autocommit"].raw_connection()
        assert pooled.info["driver_cursor"] is not cursor and pooled.dbapi_connection.info.backend_pid != backend
        pooled.close()
    assert len(api.get("/api/conversations").get_json()["conversations"]) == 2
    db.dispose(app)
