"""Requests that race: never a 500, and nothing lost, on SQLite and on PostgreSQL."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from coachbot import db
from coachbot.models import Message


def together(count: int, work) -> list:
    """Run work(i) for i in range(count) in threads that start at the same moment."""
    barrier = threading.Barrier(count)

    def run(i):
        barrier.wait()
        return work(i)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


def new_user(client) -> dict:
    return {"Authorization": f"Bearer {client.post('/api/users').get_json()['token']}"}


def test_concurrent_puts_of_a_new_profile_all_succeed(any_db_app):
    client = any_db_app.test_client()
    auth = new_user(client)
    statuses = together(10, lambda i: client.put("/api/profile", json={"hours_per_week": i + 1},
                                                 headers=auth).status_code)
    assert statuses == [200] * 10
    assert client.get("/api/profile", headers=auth).get_json()["hours_per_week"] in range(1, 11)


def test_concurrent_patches_of_different_fields_keep_every_field(any_db_app):
    client = any_db_app.test_client()
    auth = new_user(client)
    fields = {"education": "high school diploma", "experience": "two years in retail", "location": "Ohio, USA",
              "goal": "work in a public library", "hours_per_week": 10, "budget_usd": 500}
    names = list(fields)
    statuses = together(len(names), lambda i: client.patch("/api/profile", json={names[i]: fields[names[i]]},
                                                           headers=auth).status_code)
    assert statuses == [200] * len(names)
    stored = client.get("/api/profile", headers=auth).get_json()
    assert {k: stored.get(k) for k in names} == fields


def test_concurrent_chats_into_one_conversation_keep_their_order(any_db_app):
    client = any_db_app.test_client()
    auth = new_user(client)
    first = client.post("/api/chat", json={"message": "what does an LTA do?"}, headers=auth).get_json()
    conversation_id = first["conversation_id"]
    statuses = together(6, lambda i: client.post("/api/chat", json={"message": f"question {i} about shelving",
                                                                    "conversation_id": conversation_id},
                                                 headers=auth).status_code)
    assert statuses == [200] * 6
    with any_db_app.app_context():
        rows = db.session().execute(select(Message.seq, Message.role).where(Message.conversation_id == conversation_id)
                                    .order_by(Message.seq)).all()
    assert len({seq for seq, _ in rows}) == len(rows) == 14  # no position used twice
    assert [role for _, role in rows] == ["user", "assistant"] * 7
    messages = client.get(f"/api/conversations/{conversation_id}", headers=auth).get_json()["messages"]
    assert [m["role"] for m in messages] == ["user", "assistant"] * 7


def test_chat_racing_the_delete_of_its_conversation_never_fails(any_db_app):
    client = any_db_app.test_client()
    auth = new_user(client)
    for _ in range(3):
        conversation_id = client.post("/api/chat", json={"message": "what does an LTA do?"},
                                      headers=auth).get_json()["conversation_id"]

        def work(i):
            if i == 0:
                return client.delete(f"/api/conversations/{conversation_id}", headers=auth).status_code
            return client.post("/api/chat", json={"message": "and the pay?", "conversation_id": conversation_id},
                               headers=auth).status_code

        statuses = together(5, work)
        assert statuses[0] == 204
        assert set(statuses[1:]) <= {200, 404}, statuses
        assert client.get(f"/api/conversations/{conversation_id}", headers=auth).status_code == 404
        with any_db_app.app_context():  # nothing was written into the deleted conversation
            assert db.session().scalar(select(Message.id).where(Message.conversation_id == conversation_id)) is None
