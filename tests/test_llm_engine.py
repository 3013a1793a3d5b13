"""The model engine against a scripted OpenAI-compatible endpoint: citations, faults, streaming."""
from __future__ import annotations

import json
import re
import time

import pytest
from fake_openai import FakeOpenAI, Script, Unaccepting, refused_url, reply

from coachbot import create_app
from coachbot.config import load_settings
from coachbot.engines import build_engine
from coachbot.engines.base import Answer, Delta, Meta, Question
from coachbot.engines.extractive import ExtractiveEngine
from coachbot.engines.llm import LLMEngine
from coachbot.knowledge import load_index

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


BUILT: list[LLMEngine] = []


@pytest.fixture(autouse=True)
def close_engines():
    """Each engine's kept-alive connections are closed after its test: left to the garbage collector,
    an unclosed socket warns in whichever later test happens to collect it."""
    yield
    while BUILT:
        BUILT.pop().client.close()


def make_engine(extractive, base_url: str, **overrides) -> LLMEngine:
    settings = load_settings({"openai_base_url": base_url, "openai_api_key": "test", "model": "fake",
                              "model_connect_timeout_s": 0.3, "model_timeout_s": 1.0, **overrides})
    engine = build_engine(settings, extractive)
    assert isinstance(engine, LLMEngine)
    engine.client.backoff_s = 0.05  # keep retries quick in tests
    BUILT.append(engine)
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


# -- compose, then rephrase (the default mode) -------------------------------------------

def plain(answer: Answer) -> str:
    """The built-in answer as a model rephrasing it word for word would write it: no markers."""
    return re.sub(r"[ \t]+\n", "\n", MARKER.sub("", answer.text)).strip()


def deltas_of(events) -> str:
    return "".join(e.text for e in events if isinstance(e, Delta))


def test_rephrase_streams_checked_sentences_and_cites_them(engine, fake, extractive):
    question = ask(extractive, "What is the median salary for this role?")
    builtin = extractive.answer(question)
    fake.queue(reply(plain(builtin), pieces=8))
    events, answer = run(engine, question)
    assert isinstance(events[0], Meta) and [c.passage.id for c in events[0].citations] == \
        [c.passage.id for c in builtin.citations]
    assert answer.engine == "llm" and "$38,400" in answer.text
    assert deltas_of(events) == answer.text  # what was streamed is exactly what is kept
    assert {int(n) for n in MARKER.findall(answer.text)} == {c.n for c in answer.citations} == {1}
    assert engine.guard_stats.by_reason("path") == {"model": 1}


def test_rephrase_prompt_is_the_draft_without_markers(engine, fake, extractive):
    question = ask(extractive, "which bibliographic utility do catalogers use")
    builtin = extractive.answer(question)
    fake.queue(reply(plain(builtin)))
    run(engine, question)
    sent = fake.requests[0]
    content = sent["messages"][-1]["content"]
    assert plain(builtin) in content and "[1]" not in content and "which bibliographic utility" in content
    assert "Question:" not in content  # nothing in the prompt for a small model to echo as a new turn
    assert sent["stop"] and "<|im_end|>" in sent["stop"] and len(sent["stop"]) <= 4  # OpenAI takes four
    assert sent["max_tokens"] < 400  # a rephrasing needs about as many tokens as its draft


def test_claim_without_figures_is_dropped_before_it_is_shown(engine, fake, extractive):
    question = ask(extractive, "hw much do lta's make")
    builtin = extractive.answer(question)
    invented = ("The LTA's make a significant amount of money, with the majority coming from remote work "
                "and salaries in North America.")
    fake.queue(reply(f"{invented}\n{plain(builtin)}", pieces=10))
    events, answer = run(engine, question)
    assert answer.engine == "llm" and "majority" not in answer.text and "$38,400" in answer.text
    assert "majority" not in deltas_of(events)  # never flashed on screen
    assert {"relation", "name", "claim"} & set(engine.guard_stats.by_reason("dropped"))


def test_answer_that_loses_the_figure_gets_the_builtin_one(engine, fake, extractive):
    question = ask(extractive, "How much does an associate's degree in library technology cost?")
    builtin = extractive.answer(question)
    fake.queue(reply("Employers often prefer Library Technical Assistant candidates who hold an associate's degree."))
    events, answer = run(engine, question)
    assert answer.engine == "extractive" and answer.text == builtin.text and "$6,000" in answer.text
    assert deltas_of(events) == builtin.text  # only the built-in answer was streamed
    assert engine.guard_stats.by_reason("path") == {"builtin_not_covered": 1}
    assert engine.guard_stats.by_reason("not_covered") == {"figure": 1}


def test_answer_that_drops_a_list_item_gets_the_builtin_one(engine, fake, extractive):
    question = ask(extractive, "What are the steps to become an LTA?")
    builtin = extractive.answer(question)
    shorter = "\n".join(line for line in plain(builtin).splitlines() if "resume" not in line)
    fake.queue(reply(shorter))
    _, answer = run(engine, question)
    assert answer.engine == "extractive" and "resume" in answer.text
    assert engine.guard_stats.by_reason("not_covered") == {"list": 1}


def test_off_topic_step_and_prompt_leak_get_the_builtin_answer(engine, fake, extractive):
    question = ask(extractive, "which bibliographic utility do catalogers use")
    fake.queue(reply("The fourth step toward becoming a Library Technical Assistant is to develop proficiency in "
                     "library-specific software and database management.\nQuestion: what is OCLC?"))
    events, answer = run(engine, question)
    assert answer.engine == "extractive" and "Connexion" in answer.text and "Question:" not in deltas_of(events)
    assert list(engine.guard_stats.by_reason("path")) in (["builtin_not_covered"], ["builtin_guard"])
    assert engine.guard_stats.by_reason("dropped").get("leak") == 1


@pytest.mark.parametrize("marker", ["<|im_end|>", "\nSources:\n[1] Tools", "\nAnswer: again", "<|im_start|>user"])
def test_role_and_prompt_markers_end_the_answer(engine, fake, extractive, marker):
    question = ask(extractive, "which bibliographic utility do catalogers use")
    builtin = extractive.answer(question)
    fake.queue(reply(f"{plain(builtin)}{marker} Koha is used by everyone in Ohio."))
    events, answer = run(engine, question)
    assert answer.engine == "llm" and "Ohio" not in answer.text and "<|" not in answer.text
    assert deltas_of(events) == answer.text
    assert engine.guard_stats.by_reason("dropped").get("leak") == 1


def test_a_label_the_answer_opens_with_is_no_leak(engine, fake, extractive):
    question = ask(extractive, "which bibliographic utility do catalogers use")
    builtin = extractive.answer(question)
    fake.queue(reply(f"Answer:\n{plain(builtin)}"))
    _, answer = run(engine, question)
    assert answer.engine == "llm" and not answer.text.startswith("Answer")
    assert "leak" not in engine.guard_stats.by_reason("dropped")


def test_slow_model_streams_the_builtin_answer_and_stops_the_call(extractive, fake):
    engine = make_engine(extractive, fake.base_url, model_wait_s=0.3, model_timeout_s=5.0)
    question = ask(extractive, "What is the median salary for this role?")
    builtin = extractive.answer(question)
    fake.queue(reply(plain(builtin), pieces=40, delay_s=0.05))
    start = time.perf_counter()
    events, answer = run(engine, question)
    assert time.perf_counter() - start < 1.5
    assert answer.engine == "extractive" and deltas_of(events) == builtin.text
    assert engine.guard_stats.by_reason("path") == {"builtin_slow": 1}
    assert fake.disconnected.wait(timeout=3.0)  # the model call was closed, not left running


def test_nothing_shown_is_taken_back(engine, fake, extractive):
    # The answer covers the question in its first lines; a later sentence fails the guard.
    question = ask(extractive, "which bibliographic utility do catalogers use")
    builtin = extractive.answer(question)
    fake.queue(reply(f"{plain(builtin)} Catalogers never use Koha, only Excel. They earn $99,000.", pieces=12))
    events, answer = run(engine, question)
    streamed = [e.text for e in events if isinstance(e, Delta)]
    assert answer.engine == "llm" and "".join(streamed) == answer.text
    assert "never" not in answer.text and "99,000" not in answer.text


def test_builtin_answer_without_sources_makes_no_model_call(engine, fake, extractive):
    question = Question("zzz", "zzz", [], [])
    events, answer = run(engine, question)
    assert answer.engine == "extractive" and not fake.requests
    assert engine.guard_stats.by_reason("path") == {"builtin_no_sources": 1}


# -- "answer" mode: the model answers from the passages -----------------------------------

@pytest.fixture
def answering(extractive, fake):
    return make_engine(extractive, fake.base_url, model_mode="answer")


def covering(engine, question) -> str:
    """The built-in answer with its markers renumbered to the passages the model was given."""
    builtin = engine.fallback.answer(question)
    sources, _ = engine.build_messages(question)
    number = {c.passage.id: c.n for c in sources}
    renumber = {c.n: number[c.passage.id] for c in builtin.citations}
    return MARKER.sub(lambda m: f"[{renumber[int(m.group(1))]}]", builtin.text)


def test_answer_mode_prompt_numbers_the_sources_and_asks_the_question(answering, fake, extractive):
    question = ask(extractive, "What cataloging standards are used?")
    fake.queue(reply("MARC is used [1]."))
    run(answering, question)
    sent = fake.requests[0]
    assert sent["stream"] is True and sent["model"] == "fake"
    system, user = sent["messages"][0], sent["messages"][-1]
    assert system["role"] == "system" and "[1]" in system["content"]
    sources, _ = answering.build_messages(question)
    for source in sources:
        assert f"[{source.n}] {source.passage.title}" in user["content"]
    assert "What cataloging standards are used?" in user["content"]


def test_answer_mode_covering_answer_is_kept_and_renumbered(answering, fake, extractive):
    question = ask(extractive, "How much does an associate's degree in library technology cost?")
    sources, _ = answering.build_messages(question)
    builtin = extractive.answer(question)
    late = next(c.n for c in sources if c.passage.id == builtin.citations[0].passage.id)
    # The model cites the built-in answer's passage by its number among the sources, and a
    # marker for the first source no sentence leans on alone.
    fake.queue(reply(MARKER.sub(f"[{late}]", builtin.text), pieces=6))
    events, answer = run(answering, question)
    assert answer.engine == "llm" and "$6,000" in answer.text and deltas_of(events) == answer.text
    assert MARKER.findall(answer.text) == ["1"]  # renumbered from [late]
    assert [c.passage.id for c in answer.citations] == [builtin.citations[0].passage.id]


def test_answer_mode_marker_pointing_at_no_source_is_dropped(answering, fake, extractive):
    question = ask(extractive, "How much does an associate's degree in library technology cost?")
    fake.queue(reply(covering(answering, question) + " [9]"))
    _, answer = run(answering, question)
    assert answer.engine == "llm" and "[9]" not in answer.text
    assert answering.guard_stats.by_reason("dropped").get("bad_citation") == 1


def test_answer_mode_invented_figure_is_cut_and_counted(answering, fake, extractive):
    question = ask(extractive, "How much does an associate's degree in library technology cost?")
    fake.queue(reply(covering(answering, question) + " Most graduates earn $97,500. [2]"))
    _, answer = run(answering, question)
    assert answer.engine == "llm" and "97,500" not in answer.text and "$6,000" in answer.text
    assert (answering.guard_stats.total("repaired"), answering.guard_stats.total("replaced")) == (1, 0)


def test_answer_mode_issue_example_gets_the_builtin_answer(answering, fake, extractive):
    question = ask(extractive, "hw much do lta's make")
    fake.queue(reply("The LTA's make a significant amount of money, with the majority coming from remote work and "
                     "salaries in North America. [1]"))
    events, answer = run(answering, question)
    assert answer.engine == "extractive" and "$38,400" in answer.text and "majority" not in deltas_of(events)
    assert {"relation", "name", "claim"} & set(answering.guard_stats.by_reason("dropped"))


def test_answer_with_little_support_is_replaced_by_the_builtin_one(answering, fake, extractive):
    question = ask(extractive, "What is the median salary for this role?")
    fake.queue(reply("In Ohio LTAs earn $71,250 and in Texas $64,000 [1]. Most retire at 55 [2]."))
    _, answer = run(answering, question)
    assert answer.engine == "extractive" and answer.notice is None
    assert answer.text == extractive.answer(question).text
    assert answering.guard_stats.total("replaced") == 1
    assert answering.guard_stats.by_reason("path") == {"builtin_guard": 1}


def test_history_is_trimmed_and_old_markers_removed(extractive, fake):
    from coachbot.engines.base import Turn
    engine = make_engine(extractive, fake.base_url, history_token_budget=60, model_mode="answer")
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
    assert engine.guard_stats.total("fallbacks") == 1


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
    fake.queue(first, reply(plain(extractive.answer(question))))
    _, answer = run(engine, question)
    assert answer.engine == "llm" and len(fake.requests) == 2 and engine.guard_stats.total("fallbacks") == 0


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


MEDIAN_REPHRASED = ("The median salary for a Library Technical Assistant (LTA) is $38,400 USD, according to the "
                    "U.S. Bureau of Labor Statistics (BLS) figures for May 2023. LTA pay ranges from about "
                    "$28k - $55k+ USD. Entry-level salaries typically range from $30,000 to $45,000 a year.")


def test_chat_json_answer_from_the_model(chat, fake):
    app, client, auth = chat
    fake.queue(reply(MEDIAN_REPHRASED))
    body = client.post("/api/chat", json={"message": "What is the median salary for this role?"},
                       headers=auth).get_json()
    assert body["engine"] == "llm" and "$38,400" in body["answer"] and body["in_scope"] is True
    assert {int(n) for n in MARKER.findall(body["answer"])} == {c["n"] for c in body["citations"]} == {1}
    assert body["citations"][0]["url"].startswith("/knowledge/")


def test_chat_stream_done_carries_the_guarded_answer(chat, fake):
    app, client, auth = chat
    fake.queue(reply(f"{MEDIAN_REPHRASED} Lead LTAs earn $91,000.", pieces=10))
    response = client.post("/api/chat", json={"message": "What is the median salary for this role?"},
                           headers={**auth, "Accept": "text/event-stream"})
    events = parse_sse(response.get_data(as_text=True))
    kinds = [kind for kind, _ in events]
    assert kinds[0] == "meta" and kinds[-1] == "done" and "delta" in kinds
    streamed = "".join(data["text"] for kind, data in events if kind == "delta")
    done = events[-1][1]
    assert "91,000" not in streamed  # the guard decided before anything was shown
    assert done["engine"] == "llm" and "$38,400" in done["answer"] and streamed == done["answer"]


def test_metrics_count_the_path_and_the_reasons(chat, fake):
    from prometheus_client import REGISTRY
    app, client, auth = chat

    def sample(name, **labels):
        return REGISTRY.get_sample_value(name, labels) or 0.0

    before = (sample("coachbot_model_paths_total", path="model"),
              sample("coachbot_guard_reasons_total", reason="figure"),
              sample("coachbot_model_paths_total", path="builtin_not_covered"))
    no_figure = ("The median salary for a Library Technical Assistant (LTA) is reported by the U.S. Bureau of "
                 "Labor Statistics.")
    fake.queue(reply(f"{MEDIAN_REPHRASED} Lead LTAs earn $91,000."), reply(no_figure))
    for _ in range(2):
        client.post("/api/chat", json={"message": "What is the median salary for this role?"}, headers=auth)
    after = (sample("coachbot_model_paths_total", path="model"),
             sample("coachbot_guard_reasons_total", reason="figure"),
             sample("coachbot_model_paths_total", path="builtin_not_covered"))
    assert [b - a for a, b in zip(before, after, strict=True)] == [1.0, 1.0, 1.0]


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
    fake.queue(reply(MEDIAN_REPHRASED + " Library Technical Assistants catalog new library materials." * 60,
                     pieces=100, delay_s=0.02))
    response = client.post("/api/chat", json={"message": "What is the median salary for this role?"},
                           headers={**auth, "Accept": "text/event-stream"}, buffered=False)
    chunks = iter(response.response)
    seen = ""
    while "event: delta" not in seen:
        seen += next(chunks).decode()
    response.close()  # the person closed the page
    assert fake.disconnected.wait(timeout=3.0)
    assert fake.pieces_sent < 100


def test_how_much_answered_without_a_figure_is_replaced(answering, fake, extractive):
    question = ask(extractive, "How much does an associate's degree in library technology cost?")
    text = covering(answering, question)
    without_figures = [s for s in re.split(r"(?<=[.]) ", text) if not re.search(r"\d", MARKER.sub("", s))]
    fake.queue(reply(" ".join(without_figures) + f" [{MARKER.findall(text)[0]}]"))
    _, answer = run(answering, question)
    assert answer.engine == "extractive" and re.search(r"\d", answer.text)
    assert answering.guard_stats.by_reason("not_covered") == {"figure": 1}


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
    for name in ("system.j2", "answer.j2", "rephrase.j2"):
        (tmp_path / name).write_text(f"{name} says {{{{ question | default('') }}}}")
    engine = make_engine(extractive, fake.base_url, prompts_dir=str(tmp_path), model_mode="answer")
    _, messages = engine.build_messages(ask(extractive, "What cataloging standards are used?"))
    assert messages == [{"role": "system", "content": "system.j2 says"},
                        {"role": "user", "content": "answer.j2 says What cataloging standards are used?"}]
    engine = make_engine(extractive, fake.base_url, prompts_dir=str(tmp_path))
    _, messages = engine.build_messages(ask(extractive, "What cataloging standards are used?"))
    assert messages == [{"role": "user", "content": "rephrase.j2 says What cataloging standards are used?"}]


def test_chat_stream_cut_off_midway_ends_with_the_builtin_answer(chat, fake):
    app, client, auth = chat
    fake.queue(Script("cutoff", pieces=["The median ", "salary is"]))
    response = client.post("/api/chat", json={"message": "What is the median salary for this role?"},
                           headers={**auth, "Accept": "text/event-stream"})
    events = parse_sse(response.get_data(as_text=True))
    kinds = [kind for kind, _ in events]
    assert kinds[0] == "meta" and kinds[-1] == "done"
    done = events[-1][1]
    streamed = "".join(data["text"] for kind, data in events if kind == "delta")
    assert streamed == done["answer"]  # no unfinished model words on screen: the guide's answer only
    assert done["engine"] == "extractive" and "unavailable" in done["notice"] and "$38,400" in done["answer"]
    stored = client.get(f"/api/conversations/{done['conversation_id']}", headers=auth).get_json()
    assert stored["messages"][-1]["content"] == done["answer"]


# -- what "covers the question" means ----------------------------------------------------

@pytest.mark.parametrize("answer, lost", [
    ("Catalogers use OCLC Connexion to create and edit catalog records.", None),
    ("Catalogers use a bibliographic utility to create and edit catalog records.", "name"),
    ("The fourth step is to develop proficiency in library-specific software.", "name"),
])
def test_coverage_of_a_which_question(answer, lost):
    from coachbot.engines.coverage import missing
    builtin = "Library Technical Assistants use bibliographic utilities such as OCLC Connexion to create and edit " \
              "catalog records. [1]"
    assert missing(answer, builtin, {"library", "technical", "assistants"}) == lost


def test_coverage_needs_every_figure_and_list_item():
    from coachbot.engines.coverage import missing
    builtin = "Online certificate programs cost from $500 to $3,000. [1]"
    assert missing("Online certificates cost $500 to $3,000.", builtin) is None
    assert missing("Online certificates cost at least $500.", builtin) == "figure"
    steps = "The steps are:\n\n- Research the role.\n- Earn a degree.\n- Network with professionals. [1]"
    assert missing("First research the role, then earn a degree and network with professionals.", steps) is None
    assert missing("First research the role, then earn a degree.", steps) == "list"


def test_coverage_keeps_a_negation():
    from coachbot.engines.coverage import missing
    builtin = ("A Bachelor's or Master's degree is not typically required for LTA roles, but a master's degree is "
               "necessary to become a professional librarian. [1]")
    flipped = ("A Master's or Bachelor's degree can qualify a candidate for LTA roles, and a master's degree is "
               "necessary to become a professional librarian.")
    kept = "LTA roles do not typically require a Bachelor's or Master's, but becoming a professional librarian " \
           "needs a master's degree."
    assert missing(flipped, builtin) == "negation"
    assert missing(kept, builtin) is None


def test_coverage_keeps_the_sentence_that_answers_the_question():
    from coachbot.engines.coverage import missing
    builtin = ("A certificate program can be completed in 6-12 months. [1]\n\nVisa timelines range from a few months "
               "to over a year, depending on the country and its application backlog. [2]")
    question = "how long does getting a work visa take"
    swapped = ("A certificate program can be completed in 6-12 months. The visa process involves an application, "
               "depending on the country.")
    kept = ("A certificate program takes 6-12 months. Depending on the country and its backlog of applications, "
            "visa timelines range from a few months to over a year.")
    assert missing(swapped, builtin, question=question) == "key"
    assert missing(kept, builtin, question=question) is None
