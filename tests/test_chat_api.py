"""The chat API as the contract describes it: shapes, bad input, isolation."""
from __future__ import annotations

import json
import re
import threading

import pytest
from api_client import Api
from sqlalchemy import func, select

from coachbot.models import Conversation, Message


def message_count(app) -> int:
    with app.app_context():
        from coachbot import db
        return db.session().scalar(select(func.count()).select_from(Message)) or 0


def test_create_user(client):
    response = client.post("/api/users")
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"user_id", "token"} and len(body["token"]) >= 32


def test_chat_answer_shape(api):
    response = api.chat("How much do LTAs earn?")
    assert response.status_code == 200
    body = response.get_json()
    assert {"conversation_id", "message_id", "answer", "citations", "suggestions", "in_scope", "engine"} <= set(body)
    assert body["in_scope"] is True and body["engine"] == "extractive"
    # A pay figure from the guide (which passage and figures lead is retrieval's choice).
    assert re.search(r"\$\d\d,\d00", body["answer"])
    assert 2 <= len(body["suggestions"]) <= 3
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", body["answer"])}
    assert markers and markers == {c["n"] for c in body["citations"]}
    for citation in body["citations"]:
        assert set(citation) == {"n", "id", "title", "url", "quote"}
        assert citation["url"] == "/knowledge/" + citation["id"].replace("#", "#", 1)
        assert citation["quote"]


def test_citation_url_opens_the_passage(api, client):
    citation = api.chat("What cataloging standards are used?").get_json()["citations"][0]
    page, anchor = citation["url"].split("#")
    response = client.get(page)
    assert response.status_code == 200
    assert f'id="{anchor}"'.encode() in response.data


def test_out_of_scope_has_no_citations(api):
    body = api.chat("What's the weather in Paris tomorrow?").get_json()
    assert body["in_scope"] is False and body["citations"] == []
    assert "Library Technical Assistant" in body["answer"] and body["suggestions"]


@pytest.mark.parametrize("message", ["hello", "thanks!", "what can you do?"])
def test_small_talk_gets_a_helpful_reply(api, message):
    body = api.chat(message).get_json()
    assert body["answer"] and body["suggestions"]
    assert (body["in_scope"] is False) == (body["citations"] == [])


def test_follow_up_continues_the_conversation(api):
    first = api.chat("What do LTAs earn in Canada?").get_json()
    assert "35,000" in first["answer"]
    second = api.chat("and in the UK?", first["conversation_id"]).get_json()
    assert second["conversation_id"] == first["conversation_id"]
    assert "£22,000" in second["answer"]


def test_conversation_list_get_delete(api):
    first = api.chat("What is the LSSC?").get_json()
    api.chat("How long does it take?", first["conversation_id"])
    listed = api.get("/api/conversations").get_json()["conversations"]
    assert [c["id"] for c in listed] == [first["conversation_id"]]
    assert set(listed[0]) >= {"id", "title", "created_at", "updated_at"}
    conversation = api.get(f"/api/conversations/{first['conversation_id']}").get_json()
    assert [m["role"] for m in conversation["messages"]] == ["user", "assistant", "user", "assistant"]
    assert conversation["messages"][0]["content"] == "What is the LSSC?"
    assert conversation["messages"][1]["citations"] == first["citations"]
    assert set(conversation["messages"][0]) >= {"id", "role", "content", "citations", "created_at"}
    assert api.delete(f"/api/conversations/{first['conversation_id']}").status_code == 204
    assert api.get(f"/api/conversations/{first['conversation_id']}").status_code == 404
    assert api.get("/api/conversations").get_json()["conversations"] == []


def test_feedback(api):
    body = api.chat("Is remote work common for LTAs?").get_json()
    response = api.post(f"/api/messages/{body['message_id']}/feedback", json={"rating": "up", "comment": "clear"})
    assert response.status_code == 204
    bad = api.post(f"/api/messages/{body['message_id']}/feedback", json={"rating": "meh"})
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "bad_rating"
    assert api.post("/api/messages/nope/feedback", json={"rating": "up"}).status_code == 404


def test_users_never_see_each_other(app, client):
    alice, bob = Api(client), Api(client)
    body = alice.chat("What does an LTA do?").get_json()
    conv, msg = body["conversation_id"], body["message_id"]
    assert bob.get(f"/api/conversations/{conv}").status_code == 404
    assert bob.delete(f"/api/conversations/{conv}").status_code == 404
    assert bob.post(f"/api/messages/{msg}/feedback", json={"rating": "down"}).status_code == 404
    assert bob.chat("and more?", conv).status_code == 404
    assert bob.get("/api/conversations").get_json()["conversations"] == []
    assert alice.get(f"/api/conversations/{conv}").status_code == 200
    assert message_count(app) == 2


def test_streaming_events(api):
    response = api.chat("What are the pros of this career?", headers={"Accept": "text/event-stream"})
    assert response.status_code == 200 and response.mimetype == "text/event-stream"
    events = [(m.group(1), json.loads(m.group(2)))
              for m in re.finditer(r"event: (\w+)\ndata: (.*)\n\n", response.get_data(as_text=True))]
    kinds = [kind for kind, _ in events]
    assert kinds[0] == "meta" and kinds[-1] == "done" and "delta" in kinds
    meta, done = events[0][1], events[-1][1]
    assert meta["conversation_id"] == done["conversation_id"] and meta["message_id"] == done["message_id"]
    assert "".join(data["text"] for kind, data in events if kind == "delta") == done["answer"]
    stored = api.get(f"/api/conversations/{done['conversation_id']}").get_json()
    assert stored["messages"][-1]["content"] == done["answer"]


# -- bad input: a clear JSON error, and nothing stored -------------------------------------

def assert_error(response, status, code=None):
    assert response.status_code == status, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert set(error) == {"code", "message"} and error["message"]
    if code:
        assert error["code"] == code


@pytest.mark.parametrize("body, status, code", [
    ({"message": ""}, 400, "empty_message"),
    ({"message": "   \n\t "}, 400, "empty_message"),
    ({"message": "x" * 4001}, 413, "message_too_long"),
    ({"message": 42}, 400, "bad_message"),
    ({"message": ["a"]}, 400, "bad_message"),
    ({}, 400, "bad_message"),
    ({"message": "hi", "conversation_id": 7}, 400, "bad_conversation_id"),
    ([1, 2], 400, "bad_json"),
    ({"message": "hi", "conversation_id": "does-not-exist"}, 404, "conversation_not_found"),
    ({"message": "hi\u0000there"}, 400, "bad_characters"),
])
def test_bad_chat_bodies(app, api, body, status, code):
    assert_error(api.post("/api/chat", json=body), status, code)
    assert message_count(app) == 0


@pytest.mark.parametrize("data, content_type, status, code", [
    (b'{"message": "hi"', "application/json", 400, "bad_json"),
    (b'{"message": "\xff\xfe"}', "application/json", 400, "bad_encoding"),
    (b"message=hi", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
    (b"hello", "text/plain", 415, "unsupported_media_type"),
    (b"", "application/json", 400, "empty_body"),
    (b'{"message": "hi \\ud800 there"}', "application/json", 400, "bad_characters"),
])
def test_unreadable_bodies(app, api, data, content_type, status, code):
    assert_error(api.post("/api/chat", data=data, content_type=content_type), status, code)
    assert message_count(app) == 0


def test_body_over_one_megabyte(app, api):
    big = json.dumps({"message": "hi", "pad": "x" * (1024 * 1024)})
    assert_error(api.post("/api/chat", data=big, content_type="application/json"), 413)
    assert message_count(app) == 0


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"},
                                     {"Authorization": "Bearer "}])
def test_missing_or_bad_token(app, client, headers):
    assert_error(client.post("/api/chat", json={"message": "hi"}, headers=headers), 401)
    assert_error(client.get("/api/conversations", headers=headers), 401)
    assert message_count(app) == 0


def test_unknown_route_and_method_are_json(client):
    assert_error(client.get("/api/nope"), 404)
    assert_error(client.get("/api/chat"), 405)


def test_concurrent_messages_to_one_conversation_lose_nothing(app):
    client = app.test_client()
    api = Api(client)
    conversation = api.chat("What is an LTA?").get_json()["conversation_id"]
    questions = [f"What about skills number {i}?" for i in range(12)]
    statuses = []

    def send(question):
        statuses.append(Api.chat(api, question, conversation).status_code)

    threads = [threading.Thread(target=send, args=(q,)) for q in questions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * len(questions)
    stored = api.get(f"/api/conversations/{conversation}").get_json()["messages"]
    assert len(stored) == 2 + 2 * len(questions)
    assert sorted(m["content"] for m in stored if m["role"] == "user") == sorted(questions + ["What is an LTA?"])
    with app.app_context():
        from coachbot import db
        assert db.session().scalar(select(func.count()).select_from(Conversation)) == 1


def test_no_cookie_session_is_kept_or_sent(client):
    # Bearer tokens only: no request pays for Flask's cookie signer, and no response sets a cookie.
    token = client.post("/api/users").get_json()["token"]
    response = client.post("/api/chat", json={"message": "hello"}, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    assert client.application.session_interface.open_session(client.application, None) is None
