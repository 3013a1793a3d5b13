"""The whole chat path against a real local model (llama.cpp serving SmolLM2-135M-Instruct).

A model this small invents freely: these tests hold Coachbot to the contract whatever it
writes. Every answer cites what it says, states no figure its citations do not, leaks no
prompt, says at least what the built-in answer says, and a reachable model never turns into a
fallback notice or an error.
"""
from __future__ import annotations

import json
import re

import pytest
from llm_server import llama_server  # noqa: F401  (the session fixture)

from coachbot import create_app

MARKER = re.compile(r"\[(\d+)\]")
LEAKS = ("Question:", "Answer:", "Sources:", "<|im_end|>", "<|im_start|>")
FIGURE = re.compile(r"\d[\d,.]*\d%?|\d%?")  # the evaluator's rule


def figures(text: str) -> set[str]:
    return {m.group(0).rstrip(".,") for m in FIGURE.finditer(MARKER.sub(" ", text))}


@pytest.fixture(params=["rephrase", "answer"])
def chat(request, tmp_path, llama_server):  # noqa: F811
    # No wait limit: on a busy machine the built-in answer would otherwise stand in for a slow model.
    app = create_app({"database_url": f"sqlite:///{tmp_path / 'chat.sqlite3'}", "instance_path": str(tmp_path),
                      "openai_base_url": llama_server.base_url, "openai_api_key": "local", "model": "smollm2",
                      "model_max_tokens": 200, "model_mode": request.param, "model_wait_s": 0})
    client = app.test_client()
    token = client.post("/api/users").get_json()["token"]
    engine = app.extensions["coachbot"].coach.engine
    assert engine.name == "llm"
    return client, {"Authorization": f"Bearer {token}"}, engine


def assert_grounded(body: dict, app_passages: dict) -> None:
    assert body["in_scope"] is True and body["citations"]
    assert {int(n) for n in MARKER.findall(body["answer"])} == {c["n"] for c in body["citations"]}
    cited = " ".join(f"{app_passages[c['id']].heading} {app_passages[c['id']].text}" for c in body["citations"])
    assert figures(body["answer"]) <= figures(cited)
    assert not any(leak in body["answer"] for leak in LEAKS)
    assert "notice" not in body  # the model was reachable: no fallback


@pytest.fixture
def passages(chat):
    engine = chat[2]
    return {p.id: p for p in engine.fallback.index.passages}


def test_json_answer_through_the_model(chat, passages):
    client, auth, engine = chat
    response = client.post("/api/chat", json={"message": "What is the median salary for this role?"}, headers=auth)
    assert response.status_code == 200
    body = response.get_json()
    assert body["engine"] in {"llm", "extractive"}  # "extractive" when the model's answer fell short
    assert_grounded(body, passages)
    assert "38,400" in body["answer"]  # never less than the built-in answer: the figure asked for
    stats = engine.guard_stats
    assert stats.total("fallbacks") == 0 and stats.total("kept") + stats.total("repaired") + stats.total("replaced") == 1
    assert sum(stats.by_reason("path").values()) == 1


def test_streamed_answer_through_the_model(chat, passages):
    client, auth, engine = chat
    response = client.post("/api/chat", json={"message": "Which integrated library systems are common?"},
                           headers={**auth, "Accept": "text/event-stream"})
    assert response.status_code == 200 and response.mimetype == "text/event-stream"
    events = []
    for block in response.get_data(as_text=True).strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((fields["event"], json.loads(fields["data"])))
    kinds = [kind for kind, _ in events]
    assert kinds[0] == "meta" and kinds[-1] == "done" and "error" not in kinds
    assert kinds.count("delta") >= 1
    meta, done = events[0][1], events[-1][1]
    assert meta["citations"] and meta["message_id"] == done["message_id"]
    # Only checked text is streamed: what was shown is exactly the answer kept.
    assert "".join(data["text"] for kind, data in events if kind == "delta") == done["answer"]
    assert_grounded(done, passages)
    # Never less than the built-in answer: every name it gives (Koha, Alma, ...) is in this one.
    from coachbot.coach import RETRIEVE_K
    from coachbot.engines.base import Question
    from coachbot.engines.coverage import names
    message = "Which integrated library systems are common?"
    builtin = engine.fallback.answer(Question(message, message, engine.fallback.index.search(message, k=RETRIEVE_K)))
    named = {n.lower() for n in names(MARKER.sub(" ", builtin.text))} - engine.guard.topic_words
    assert named <= set(re.findall(r"\w+", done["answer"].lower()))
    assert engine.guard_stats.total("fallbacks") == 0


def test_follow_up_with_history(chat, passages):
    client, auth, engine = chat
    first = client.post("/api/chat", json={"message": "What is the job outlook?"}, headers=auth).get_json()
    second = client.post("/api/chat", json={"message": "and how many openings each year?",
                                            "conversation_id": first["conversation_id"]}, headers=auth)
    assert second.status_code == 200
    assert_grounded(second.get_json(), passages)
    assert engine.guard_stats.total("fallbacks") == 0
