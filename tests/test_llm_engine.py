"""The model engine against a scripted OpenAI-compatible endpoint: citations, faults, streaming."""
from __future__ import annotations

import json
import re
import time

import pytest

from coachbot import create_app
from coachbot.config import load_settings
from coachbot.engines import build_engine
from coachbot.engines.base import Answer, Delta, Meta, Question
from coachbot.engines.extractive import ExtractiveEngine
from coachbot.engines.llm import LLMEngine
from coachbot.knowledge import load_index
from fake_openai import FakeOpenAI, Script, Unaccepting, refused_url, reply

MARKER = re.compile(r"\[(\d+)\]")


@pytest.fixture(scope="module")
def extractive():
    settings = load_settings()
    _, index = load_index(settings.knowledge_dir)
    return ExtractiveEngine(index)


@pytest.fixture
def fake():
    with FakeOpenAI() as server:
        yield server


def make_engine(extractive, base_url: str, **overrides) -> LLMEngine:
    settings = load_settings({"openai_base_url": base_url, "openai_api_key": "test", "model": "fake",
                              "model_connect_timeout_s": 0.3, "model_timeout_s": 1.0, **overrides})
    engine = build_engine(settings, extractive)
    assert isinstance(engine, LLMEngine)
    engine.client.backoff_s = 0.05  # keep retries quick in tests
    return engine


@pytest.fixture
def engine(extractive, fake):
    return make_engine(extractive, fake.base_url)


def ask(extractive, message: str, history=None) -> Question:
    return Question(message, message, extractive.index.search(message, k=5), history or [])


def first_sentence(text: str) -> str:
    """A passage's first line (a sentence or a list item), as a model would repeat it."""
    line = next(line for line in text.splitlines() if line.strip())
    return re.sub(r"^\s*[-*]\s+", "", line).strip()


def run(engine, question) -> tuple[list, Answer]:
    events = list(engine.stream(question))
    assert isinstance(events[-1], Answer)
    return events, events[-1]


# -- choosing the engine ------------------------------------------------------------------

def test_builtin_engine_without_a_model(extractive):
    assert build_engine(load_settings({"model": "", "openai_base_url": "", "openai_api_key": ""}),
                        extractive) is extractive


def test_model_engine_when_configured(extractive, fake):
    engine = make_engine(extractive, fake.base_url)
    assert engine.fallback is extractive and engine.client._client.max_retries == 0


# -- answers and citations ----------------------------------------------------------------

def test_stream_order_meta_deltas_answer(engine, fake, extractive):
    question = ask(extractive, "What is the median salary for this role?")
    sources, _ = engine.build_messages(question)
    text = f"{first_sentence(sources[0].passage.text)} [1]"
    fake.queue(reply(text, pieces=5))
    events, answer = run(engine, question)
    assert isinstance(events[0], Meta)
    assert [c.passage.id for c in events[0].citations] == [c.passage.id for c in sources]
    deltas = [e.text for e in events if isinstance(e, Delta)]
    assert len(deltas) >= 4 and "".join(deltas) == text
    assert answer.engine == "llm" and answer.notice is None
    assert [c.passage.id for c in answer.citations] == [sources[0].passage.id]
    assert MARKER.findall(answer.text) == ["1"]


def test_prompt_numbers_the_sources_and_asks_the_question(engine, fake, extractive):
    question = ask(extractive, "What cataloging standards are used?")
    fake.queue(reply("MARC is used [1]."))
    run(engine, question)
    sent = fake.requests[0]
    assert sent["stream"] is True and sent["model"] == "fake"
    system, user = sent["messages"][0], sent["messages"][-1]
    assert system["role"] == "system" and "[1]" in system["content"]
    sources, _ = engine.build_messages(question)
    for source in sources:
        assert f"[{source.n}] {source.passage.title}" in user["content"]
    assert "What cataloging standards are used?" in user["content"]


def test_markers_are_renumbered_to_the_sources_used(engine, fake, extractive):
    question = ask(extractive, "What are the steps to become an LTA?")
    sources, _ = engine.build_messages(question)
    stating = [s for s in sources if not first_sentence(s.passage.text).endswith(":")]  # not a lead-in
    assert len(stating) >= 2
    early, late = stating[0], stating[-1]
    fake.queue(reply(f"{first_sentence(late.passage.text)} [{late.n}] {first_sentence(early.passage.text)} "
                     f"[{early.n}]"))
    _, answer = run(engine, question)
    assert answer.engine == "llm" and late.n > early.n
    assert [(c.n, c.passage.id) for c in answer.citations] == [(1, late.passage.id), (2, early.passage.id)]
    assert MARKER.findall(answer.text) == ["1", "2"]


def test_a_marker_pointing_at_no_source_is_dropped(engine, fake, extractive):
    question = ask(extractive, "What is the median salary for this role?")
    sources, _ = engine.build_messages(question)
    fake.queue(reply(f"{first_sentence(sources[0].passage.text)} [1] [9]"))
    _, answer = run(engine, question)
    assert answer.engine == "llm" and MARKER.findall(answer.text) == ["1"]
    assert engine.guard_stats.repaired == 1


def test_invented_figure_is_cut_and_counted(engine, fake, extractive):
    question = ask(extractive, "What is the median salary for this role?")
    sources, _ = engine.build_messages(question)
    true = first_sentence(sources[0].passage.text)
    fake.queue(reply(f"{true} [1] Most earn $97,500. [1]"))
    _, answer = run(engine, question)
    assert answer.engine == "llm" and "97,500" not in answer.text and true.rstrip(".") in answer.text
    assert (engine.guard_stats.repaired, engine.guard_stats.replaced) == (1, 0)


def test_answer_with_little_support_is_replaced_by_the_builtin_one(engine, fake, extractive):
    question = ask(extractive, "What is the median salary for this role?")
    fake.queue(reply("In Ohio LTAs earn $71,250 and in Texas $64,000 [1]. Most retire at 55 [2]."))
    _, answer = run(engine, question)
    assert answer.engine == "extractive" and answer.notice is None
    assert answer.text == extractive.answer(question).text
    assert engine.guard_stats.replaced == 1


def test_history_is_trimmed_and_old_markers_removed(extractive, fake):
    from coachbot.engines.base import Turn
    engine = make_engine(extractive, fake.base_url, history_token_budget=60)
    old = [Turn("user", "What is an LTA? " + "filler " * 200), Turn("assistant", "An LTA catalogs books [1].")]
    recent = [Turn("user", "What do they earn?"), Turn("assistant", "The median is $38,400 [2].")]
    question = ask(extractive, "and senior ones?", old + recent)
    _, messages = engine.build_messages(question)
    conversation = messages[1:-1]
    assert conversation == [{"role": "user", "content": "What do they earn?"},
                            {"role": "assistant", "content": "The median is $38,400."}]


# -- faults: the built-in engine answers, with a notice -----------------------------------

def assert_fallback(engine, answer: Answer, reason_seen=True):
    assert answer.engine == "extractive" and answer.notice and "unavailable" in answer.notice
    assert answer.citations and MARKER.search(answer.text)
    assert engine.guard_stats.fallbacks == 1


@pytest.mark.parametrize("scripts, calls", [
    ([Script("status", status=500)] * 2, 2),  # 5xx: one retry, then the guide
    ([Script("status", status=503)] * 2, 2),
    ([Script("status", status=429)] * 2, 2),  # rate limited, no Retry-After: one retry
    ([Script("status", status=429, headers={"Retry-After": "30"})], 1),  # asked to wait long: no retry
    ([Script("status", status=400)], 1),  # e.g. the prompt is too long for the model: retrying cannot help
    ([Script("drop")] * 2, 2),  # the server hung up without answering
    ([Script("malformed")], 1),  # text had started: never retried
    ([Script("cutoff", pieces=["The median", " salary is"])], 1),
    ([Script("hang", delay_s=2.0)], 1),  # read timeout: a slow server stays slow
])
def test_faults_fall_back_to_the_builtin_engine(engine, fake, extractive, scripts, calls):
    fake.queue(*scripts)
    events, answer = run(engine, ask(extractive, "What is the median salary for this role?"))
    assert isinstance(events[0], Meta)
    assert_fallback(engine, answer)
    assert len(fake.requests) == calls


@pytest.mark.parametrize("first", [Script("status", status=502), Script("status", status=429), Script("drop")])
def test_one_retry_recovers(engine, fake, extractive, first):
    question = ask(extractive, "What is the median salary for this role?")
    sources, _ = engine.build_messages(question)
    fake.queue(first, reply(f"{first_sentence(sources[0].passage.text)} [1]"))
    _, answer = run(engine, question)
    assert answer.engine == "llm" and len(fake.requests) == 2 and engine.guard_stats.fallbacks == 0


def test_connection_refused(extractive):
    engine = make_engine(extractive, refused_url())
    _, answer = run(engine, ask(extractive, "What is the median salary for this role?"))
    assert_fallback(engine, answer)


def test_connect_timeout_is_retried_once_then_falls_back(extractive):
    unaccepting = Unaccepting()
    try:
        engine = make_engine(extractive, unaccepting.base_url, model_connect_timeout_s=0.2)
        start = time.perf_counter()
        _, answer = run(engine, ask(extractive, "What is the median salary for this role?"))
        elapsed = time.perf_counter() - start
    finally:
        unaccepting.close()
    assert_fallback(engine, answer)
    assert 0.4 <= elapsed < 3.0  # two connect attempts of 0.2 s and a short pause, not the read timeout


# -- the whole chat path over HTTP semantics ----------------------------------------------

@pytest.fixture
def chat(tmp_path, fake):
    app = create_app({"database_url": f"sqlite:///{tmp_path / 'chat.sqlite3'}", "instance_path": str(tmp_path),
                      "openai_base_url": fake.base_url, "openai_api_key": "test", "model": "fake",
                      "model_timeout_s": 2.0})
    app.config["TESTING"] = True
    client = app.test_client()
    token = client.post("/api/users").get_json()["token"]
    return app, client, {"Authorization": f"Bearer {token}"}


def parse_sse(raw: str) -> list[tuple[str, dict]]:
    events = []
    for block in raw.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((lines["event"], json.loads(lines["data"])))
    return events


def test_chat_json_answer_from_the_model(chat, fake):
    app, client, auth = chat
    fake.queue(reply("The median salary for a Library Technical Assistant is $38,400 USD [1]."))
    body = client.post("/api/chat", json={"message": "What is the median salary for this role?"},
                       headers=auth).get_json()
    assert body["engine"] == "llm" and "$38,400" in body["answer"] and body["in_scope"] is True
    assert {int(n) for n in MARKER.findall(body["answer"])} == {c["n"] for c in body["citations"]} == {1}
    assert body["citations"][0]["url"].startswith("/knowledge/")


def test_chat_stream_done_carries_the_guarded_answer(chat, fake):
    app, client, auth = chat
    fake.queue(reply("The median salary for a Library Technical Assistant is $38,400 USD [1]. "
                     "Lead LTAs earn $91,000 [1]."))
    response = client.post("/api/chat", json={"message": "What is the median salary for this role?"},
                           headers={**auth, "Accept": "text/event-stream"})
    events = parse_sse(response.get_data(as_text=True))
    kinds = [kind for kind, _ in events]
    assert kinds[0] == "meta" and kinds[-1] == "done" and "delta" in kinds
    streamed = "".join(data["text"] for kind, data in events if kind == "delta")
    done = events[-1][1]
    assert "91,000" in streamed and "91,000" not in done["answer"]  # the guard decided before done
    assert done["engine"] == "llm" and "$38,400" in done["answer"]


def test_chat_model_down_answers_from_the_guide(tmp_path, extractive):
    app = create_app({"database_url": f"sqlite:///{tmp_path / 'down.sqlite3'}", "instance_path": str(tmp_path),
                      "openai_base_url": refused_url(), "openai_api_key": "test", "model": "fake"})
    client = app.test_client()
    token = client.post("/api/users").get_json()["token"]
    response = client.post("/api/chat", json={"message": "What is the median salary for this role?"},
                           headers={"Authorization": f"Bearer {token}"})
    body = response.get_json()
    assert response.status_code == 200 and body["engine"] == "extractive" and "unavailable" in body["notice"]
    assert "$38,400" in body["answer"]


def test_client_disconnect_stops_the_model_call(chat, fake):
    app, client, auth = chat
    fake.queue(reply("word " * 200, pieces=100, delay_s=0.02))
    response = client.post("/api/chat", json={"message": "What is the median salary for this role?"},
                           headers={**auth, "Accept": "text/event-stream"}, buffered=False)
    chunks = iter(response.response)
    seen = ""
    while "event: delta" not in seen:
        seen += next(chunks).decode()
    response.close()  # the person closed the page
    assert fake.disconnected.wait(timeout=3.0)
    assert fake.pieces_sent < 100


def test_how_much_answered_without_a_figure_is_replaced(engine, fake, extractive):
    question = ask(extractive, "How much does an associate's degree in library technology cost?")
    fake.queue(reply("An associate's degree is a good investment for a Library Technical Assistant [1]."))
    _, answer = run(engine, question)
    assert answer.engine == "extractive" and re.search(r"\d", answer.text)
    assert engine.guard_stats.replaced == 1


def test_trim_history_keeps_the_newest_turns_within_budget():
    from coachbot.engines.base import Turn
    from coachbot.engines.prompting import estimate_tokens, trim_history
    turns = [Turn("user", "a" * 400), Turn("assistant", "b" * 400), Turn("user", "c" * 40), Turn("assistant", "d" * 40)]
    assert estimate_tokens("c" * 40) == 14  # ~4 characters a token, plus the message's own overhead
    assert trim_history(turns, 28) == turns[2:]
    # A budget that would start on the assistant's turn drops it: history starts with a question.
    assert trim_history(turns, 14 + 104 + 14) == turns[2:]
    assert trim_history(turns, 1000) == turns
    assert trim_history(turns, 0) == []


def test_prompts_are_the_template_files(extractive, fake, tmp_path):
    for name in ("system.j2", "answer.j2", "followup.j2"):
        (tmp_path / name).write_text(f"{name} says {{{{ question | default('') }}}}")
    engine = make_engine(extractive, fake.base_url, prompts_dir=str(tmp_path))
    _, messages = engine.build_messages(ask(extractive, "What cataloging standards are used?"))
    assert messages == [{"role": "system", "content": "system.j2 says"},
                        {"role": "user", "content": "answer.j2 says What cataloging standards are used?"}]


def test_followup_rewrite_prompt_renders_the_conversation(engine):
    from coachbot.engines.base import Turn
    messages = engine.prompts.followup_messages("and in the UK?", [Turn("user", "Salaries in Canada?"),
                                                                   Turn("assistant", "About $40k [1].")], 500)
    content = messages[0]["content"]
    assert "user: Salaries in Canada?" in content and "assistant: About $40k." in content
    assert content.rstrip().endswith("Last message: and in the UK?")


def test_chat_stream_cut_off_midway_ends_with_the_builtin_answer(chat, fake):
    app, client, auth = chat
    fake.queue(Script("cutoff", pieces=["The median ", "salary is"]))
    response = client.post("/api/chat", json={"message": "What is the median salary for this role?"},
                           headers={**auth, "Accept": "text/event-stream"})
    events = parse_sse(response.get_data(as_text=True))
    kinds = [kind for kind, _ in events]
    assert kinds == ["meta", "delta", "delta", "done"]  # the model's words came, then the guide's answer
    done = events[-1][1]
    assert done["engine"] == "extractive" and "unavailable" in done["notice"] and "$38,400" in done["answer"]
    stored = client.get(f"/api/conversations/{done['conversation_id']}", headers=auth).get_json()
    assert stored["messages"][-1]["content"] == done["answer"]
