"""Token revocation, export, erasure (nothing left in any table) and the retention purge."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from coachbot import db
from coachbot.cli import main
from coachbot.models import Base, Conversation, Message, Plan, Profile, utcnow

QUESTION = "how much do library technical assistants earn?"


def new_token(client) -> str:
    return client.post("/api/users").get_json()["token"]


def auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def fill_account(app, client, token: str) -> dict:
    """A user with two conversations, feedback, a profile and a plan; returns what was stored."""
    first = client.post("/api/chat", json={"message": QUESTION}, headers=auth(token)).get_json()
    client.post("/api/chat", json={"message": "and what about the duties?",
                                   "conversation_id": first["conversation_id"]}, headers=auth(token))
    second = client.post("/api/chat", json={"message": "what certificates exist?"}, headers=auth(token)).get_json()
    assert client.post(f"/api/messages/{first['message_id']}/feedback", json={"rating": "up", "comment": "nice"},
                       headers=auth(token)).status_code == 204
    user_id = client.get("/api/me", headers=auth(token)).get_json()["user_id"]
    with app.app_context():
        session = db.session()
        # Written directly: the profile and plan endpoints belong to another module.
        session.add(Profile(user_id=user_id, data={"location": "Ohio, USA"}))
        session.add(Plan(user_id=user_id, profile={"location": "Ohio, USA"}, body={"steps": ["enrol"]}))
        session.commit()
    return {"user_id": user_id, "conversations": {first["conversation_id"], second["conversation_id"]},
            "answer_id": first["message_id"]}


def rows_mentioning(app, needles: set[str]) -> list[tuple[str, dict]]:
    """Every row of every table in which any column's text contains one of the needles."""
    found = []
    with app.app_context():
        session = db.session()
        for table in Base.metadata.sorted_tables:
            for row in session.execute(select(table)):
                values = {k: str(v) for k, v in row._mapping.items()}
                if any(needle in value for value in values.values() for needle in needles):
                    found.append((table.name, values))
    return found


def test_revoked_token_stops_working_and_others_do_not(client):
    token, other = new_token(client), new_token(client)
    assert client.get("/api/conversations", headers=auth(token)).status_code == 200
    assert client.post("/api/token/revoke", headers=auth(token)).status_code == 204
    for path in ("/api/conversations", "/api/me", "/api/me/export"):
        response = client.get(path, headers=auth(token))
        assert response.status_code == 401 and response.get_json()["error"]["code"] == "invalid_token"
    assert client.post("/api/token/revoke", headers=auth(token)).status_code == 401
    assert client.get("/api/conversations", headers=auth(other)).status_code == 200


def test_export_holds_everything_about_the_caller_and_nothing_else(app, client):
    token, stranger = new_token(client), new_token(client)
    stored = fill_account(app, client, token)
    client.post("/api/chat", json={"message": "a stranger's question about shelving"}, headers=auth(stranger))
    response = client.get("/api/me/export", headers=auth(token))
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    export = response.get_json()
    assert export["user"]["id"] == stored["user_id"]
    assert {c["id"] for c in export["conversations"]} == stored["conversations"]
    messages = [m for c in export["conversations"] for m in c["messages"]]
    assert len(messages) == 6 and messages[0]["content"] == QUESTION
    assert any(m["citations"] for m in messages if m["role"] == "assistant")
    assert [(f["message_id"], f["rating"], f["comment"]) for f in export["feedback"]] == [
        (stored["answer_id"], "up", "nice")]
    assert export["profile"]["data"] == {"location": "Ohio, USA"}
    assert [p["body"] for p in export["plans"]] == [{"steps": ["enrol"]}]
    assert "shelving" not in response.get_data(as_text=True)


def test_erase_leaves_nothing_of_the_user_in_any_table(any_db_app):
    app = any_db_app
    client = app.test_client()
    token, neighbour = new_token(client), new_token(client)
    stored = fill_account(app, client, token)
    kept = client.post("/api/chat", json={"message": "the neighbour asks about shelving"},
                       headers=auth(neighbour)).get_json()
    assert rows_mentioning(app, {stored["user_id"]})
    assert client.delete("/api/me", headers=auth(token)).status_code == 204
    assert rows_mentioning(app, {stored["user_id"], QUESTION, *stored["conversations"]}) == []
    assert client.get("/api/me", headers=auth(token)).status_code == 401
    assert client.delete("/api/me", headers=auth(token)).status_code == 401
    # The neighbour's data is untouched.
    conversation = client.get(f"/api/conversations/{kept['conversation_id']}", headers=auth(neighbour))
    assert conversation.status_code == 200 and len(conversation.get_json()["messages"]) == 2


def age_conversation(app, conversation_id: str, days: int) -> None:
    with app.app_context():
        session = db.session()
        session.execute(update(Conversation).where(Conversation.id == conversation_id)
                        .values(updated_at=utcnow() - timedelta(days=days)))
        session.commit()


def test_purge_deletes_only_conversations_idle_longer_than_asked(tmp_path, monkeypatch, make_app, capsys):
    database = f"sqlite:///{tmp_path / 'test.sqlite3'}"
    app = make_app()
    client = app.test_client()
    token = new_token(client)
    old = client.post("/api/chat", json={"message": QUESTION}, headers=auth(token)).get_json()
    client.post(f"/api/messages/{old['message_id']}/feedback", json={"rating": "down"}, headers=auth(token))
    recent = client.post("/api/chat", json={"message": "what does an LTA do?"}, headers=auth(token)).get_json()
    age_conversation(app, old["conversation_id"], days=91)
    age_conversation(app, recent["conversation_id"], days=89)

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", database)
    assert main(["purge", "--older-than", "90d"]) == 0
    assert "purged 1 conversation(s)" in capsys.readouterr().out

    left = client.get("/api/conversations", headers=auth(token)).get_json()["conversations"]
    assert [c["id"] for c in left] == [recent["conversation_id"]]
    assert rows_mentioning(app, {old["conversation_id"], old["message_id"]}) == []
    with app.app_context():
        assert db.session().scalar(select(Message.id).where(Message.conversation_id == recent["conversation_id"]))


@pytest.mark.parametrize("bad", ["90", "d", "-3d", "0d", "90 days", "1y"])
def test_purge_refuses_an_unclear_age(bad, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["purge", f"--older-than={bad}"])
    assert exit_info.value.code == 2
    assert "not an age like 90d" in capsys.readouterr().err


def test_a_revoked_token_can_still_erase_everything(any_db_app):
    app = any_db_app
    client = app.test_client()
    token = new_token(client)
    stored = fill_account(app, client, token)
    assert client.post("/api/token/revoke", headers=auth(token)).status_code == 204
    assert client.get("/api/me/export", headers=auth(token)).status_code == 401
    assert client.delete("/api/me", headers=auth(token)).status_code == 204
    assert rows_mentioning(app, {stored["user_id"], QUESTION, *stored["conversations"]}) == []
    assert client.delete("/api/me", headers=auth(token)).status_code == 401


def test_revoking_can_erase_at_the_same_time(any_db_app):
    app = any_db_app
    client = app.test_client()
    token = new_token(client)
    stored = fill_account(app, client, token)
    bad = client.post("/api/token/revoke", json={"erase": "yes"}, headers=auth(token))
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "bad_erase"
    assert client.post("/api/token/revoke", json={"erase": True}, headers=auth(token)).status_code == 204
    assert rows_mentioning(app, {stored["user_id"], *stored["conversations"]}) == []


def age_everything(app, user_id: str, days: int) -> None:
    """Move every timestamp of one user's data `days` into the past."""
    from coachbot.models import Feedback, User

    then = utcnow() - timedelta(days=days)
    with app.app_context():
        session = db.session()
        session.execute(update(User).where(User.id == user_id).values(created_at=then))
        session.execute(update(Conversation).where(Conversation.user_id == user_id).values(updated_at=then))
        session.execute(update(Profile).where(Profile.user_id == user_id).values(updated_at=then))
        session.execute(update(Plan).where(Plan.user_id == user_id).values(created_at=then))
        session.execute(update(Feedback).where(Feedback.user_id == user_id).values(created_at=then))
        session.commit()


def test_purge_erases_idle_accounts_whole_and_keeps_active_ones(any_db_app, monkeypatch, tmp_path, capsys):
    from coachbot.ops.privacy import purge

    app = any_db_app
    client = app.test_client()
    idle, revoked, active, newcomer = (new_token(client) for _ in range(4))
    idle_data, revoked_data, active_data = (fill_account(app, client, t) for t in (idle, revoked, active))
    assert client.post("/api/token/revoke", headers=auth(revoked)).status_code == 204
    for data in (idle_data, revoked_data, active_data):
        age_everything(app, data["user_id"], days=200)
    with app.app_context():  # revoked long ago too
        from coachbot.models import User
        db.session().execute(update(User).where(User.id == revoked_data["user_id"])
                             .values(revoked_at=utcnow() - timedelta(days=150)))
        db.session().commit()
    # The active user touched their profile last week: the whole account stays, old plans go.
    assert client.patch("/api/profile", json={"goal": "work in a school library"},
                        headers=auth(active)).status_code == 200
    with app.app_context():
        deleted = purge(db.session(), timedelta(days=90))
    assert deleted == {"conversation": 6, "plan": 3, "user": 2}
    assert rows_mentioning(app, {idle_data["user_id"], revoked_data["user_id"]}) == []
    assert client.get("/api/me", headers=auth(active)).status_code == 200
    assert client.get("/api/profile", headers=auth(active)).get_json()["goal"] == "work in a school library"
    assert client.get("/api/me", headers=auth(newcomer)).status_code == 200  # new, nothing stored yet


def test_purge_has_a_default_period_and_refuses_absurd_ages(tmp_path, monkeypatch, capsys):
    from coachbot.ops.privacy import DEFAULT_RETENTION

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'purge.sqlite3'}")
    assert main(["purge"]) == 0
    assert f"not used in the last {DEFAULT_RETENTION}" in capsys.readouterr().out
    for absurd in ("99999999999w", "999999999999999999999d"):
        with pytest.raises(SystemExit) as exit_info:
            main(["purge", "--older-than", absurd])
        assert exit_info.value.code == 2
        err = capsys.readouterr().err
        assert "not an age like 90d" in err and "Traceback" not in err
