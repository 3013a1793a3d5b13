"""The coach in chat: "make me a plan" asks one question at a time, answers ordinary questions in between,
shows a cited plan and offers its download."""
from __future__ import annotations

import json
import re

import pytest

START = "Let's build your personal plan"


def markers_match(reply: dict) -> bool:
    cited = {c["n"] for c in reply["citations"]}
    return all(int(n) in cited for n in re.findall(r"\[(\d+)\]", reply["answer"]))


CARD = "**Your plan is ready.**"
LINKS = re.compile(r"\[Open your full plan\]\((/plans/([0-9a-f]+)\?expires=\d+&signature=[0-9a-f]+)\) · "
                   r"\[Download it as a Markdown file\]\((/plans/[0-9a-f]+\.md\?expires=\d+&signature=[0-9a-f]+)\)")


def stored_plan(person, reply: dict) -> dict:
    """The whole plan behind a plan card, as its owner reads it through the API."""
    link = LINKS.search(reply["answer"])
    assert link, reply["answer"]
    plan_id = link.group(2)
    return person.get(f"/api/plans/{plan_id}").get_json()


def asks(reply: dict, words: str) -> bool:
    """The reply asks the flow's question about `words` and cites why it matters."""
    return (f"**{words}**" in reply["answer"] and reply["in_scope"] is True and len(reply["citations"]) == 1
            and markers_match(reply))


def test_from_make_me_a_plan_through_the_questions_to_the_plan(person):
    reply = person.chat("Make me a plan")
    assert START in reply["answer"] and asks(reply, "highest education")
    reply = person.chat("I have a GED")
    assert "Noted: education GED." in reply["answer"] and asks(reply, "work experience")
    # An ordinary question mid-flow is answered, and the flow's question waits.
    reply = person.chat("how much do LTAs earn?")
    assert "$38,400" in reply["answer"] and "**work experience**" not in reply["answer"]
    reply = person.chat("three years in retail")
    assert "experience 3 years retail" in reply["answer"] and asks(reply, "goal")
    reply = person.chat("a school library")
    assert 'goal "a school library"' in reply["answer"] and asks(reply, "live or want to work")
    reply = person.chat("skip")
    assert asks(reply, "hours a week")
    reply = person.chat("ten hours a week")
    assert asks(reply, "budget")
    reply = person.chat("$800")
    answer = reply["answer"]
    assert "budget $800" in answer and CARD in answer and "# Your next steps" not in answer
    assert reply["in_scope"] is True and reply["citations"] and markers_match(reply)
    assert "3-6 months" in answer and "LSSC" in answer
    links = LINKS.search(answer)
    assert links
    # Both links open in a browser with no token: the page and the Markdown file.
    page = person.client.get(links.group(1))
    assert page.status_code == 200 and page.mimetype == "text/html"
    download = person.client.get(links.group(3))
    assert download.status_code == 200 and download.mimetype == "text/markdown"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    plan = stored_plan(person, reply)
    assert plan["plan_id"] == links.group(2) and "school libraries" in plan["markdown"]
    assert download.get_data(as_text=True) == plan["markdown"]
    profile = person.get("/api/profile").get_json()
    assert {k: profile[k] for k in ("education", "experience", "goal", "hours_per_week", "budget_usd")} == {
        "education": "GED", "experience": "3 years retail", "goal": "a school library", "hours_per_week": 10,
        "budget_usd": 800}
    assert "location" not in profile
    # The flow is over: the next message is an ordinary question again.
    after = person.chat("What are the key responsibilities of an LTA?")
    assert "catalog" in after["answer"].lower() and "Why it matters" not in after["answer"]
    state = person.get("/api/me/export").get_json()["conversations"][0]["state"]
    assert "plan" not in state


def test_another_user_cannot_download_the_plan(make_person):
    owner, stranger = make_person(), make_person()
    owner.put("/api/profile", json={"education": "GED", "experience": "none", "goal": "public library",
                                    "location": "Ohio", "hours_per_week": 5, "budget_usd": 0})
    owner.chat("what should I do next?")
    reply = owner.chat("yes, build it")
    plan_id = LINKS.search(reply["answer"]).group(2)
    assert owner.get(f"/api/plans/{plan_id}.md").status_code == 200
    for path in (f"/api/plans/{plan_id}.md", f"/api/plans/{plan_id}"):
        assert stranger.get(path).status_code == 404
    assert stranger.post(f"/api/plans/{plan_id}/links").status_code == 404
    fresh = owner.post(f"/api/plans/{plan_id}/links").get_json()
    assert owner.client.get(fresh["markdown"]).status_code == 200
    tampered = fresh["page"].replace("signature=", "signature=0")
    assert owner.client.get(tampered).status_code == 404
    assert owner.client.get(f"/plans/{plan_id}").status_code == 404  # no signature: no plan


def test_a_returning_person_sees_what_is_known_and_is_asked_before_the_plan(person):
    person.put("/api/profile", json={"education": "associate's degree in library technology",
                                     "experience": "4 years as a library technical assistant",
                                     "goal": "become a lead LTA", "location": "Texas", "hours_per_week": 5,
                                     "budget_usd": 500})
    reply = person.chat("help me get started")
    assert "So far: education associate's degree in library technology" in reply["answer"]
    assert CARD not in reply["answer"] and "Build my plan" in reply["suggestions"]
    reply = person.chat("Build my plan")
    assert CARD in reply["answer"] and "Lead Library Technical Assistant" in reply["answer"]
    plan = stored_plan(person, reply)
    assert "project management" in plan["markdown"].lower()
    for phrase in ("earn an associate", "enroll in an associate", "get an associate"):
        assert phrase not in json.dumps(plan).lower()


def test_make_the_plan_now_skips_the_rest(person):
    person.chat("can you make me a plan? I have a master's degree in English")
    reply = person.chat("make the plan now")
    assert CARD in reply["answer"]
    plan = stored_plan(person, reply)
    assert "For a sharper plan" in plan["markdown"] and "earn an associate" not in plan["markdown"].lower()


def test_a_correction_mid_flow_updates_the_profile_and_asks_again(person):
    person.chat("make me a plan")
    person.chat("GED")
    reply = person.chat("sorry, actually I have a bachelor's degree")
    assert "education bachelor's degree" in reply["answer"] and asks(reply, "work experience")
    assert person.get("/api/profile").get_json()["education"] == "bachelor's degree"


def test_an_answer_to_another_question_is_noted_where_it_belongs(person):
    person.chat("make me a plan")
    person.chat("GED")
    assert asks(person.chat("none yet"), "goal")
    reply = person.chat("Canada")
    assert "Noted: location Canada." in reply["answer"] and asks(reply, "goal")
    reply = person.chat("work at a public library in Ohio")
    assert 'goal "work at a public library in Ohio"' in reply["answer"] and asks(reply, "hours a week")


def test_an_unclear_number_is_asked_again_and_cancel_stops(person):
    person.put("/api/profile", json={"education": "GED", "experience": "none", "goal": "public library",
                                     "location": "Ohio"})
    assert asks(person.chat("make me a plan"), "hours a week")
    reply = person.chat("quite a lot")
    assert "didn't catch a number of hours" in reply["answer"] and asks(reply, "hours a week")
    reply = person.chat("cancel")
    assert reply["in_scope"] is False and reply["citations"] == []
    assert "**budget**" not in person.chat("ten hours a week")["answer"]


@pytest.mark.parametrize("message", ["What are the steps to become an LTA?", "How do I get an associate's degree?",
                                     "Is there a study plan for the LSSC?"])
def test_ordinary_questions_do_not_start_the_flow(person, message):
    assert START not in person.chat(message)["answer"]


def test_a_question_asked_indirectly_is_answered_not_noted_as_a_fact(person):
    # "I'm wondering what ... pays in the UK" names a place, but asks; it says nothing of the person.
    reply = person.chat("I'm wondering what library techs get paid in the UK, in pounds.")
    assert "I noted" not in reply["answer"] and "£22,000" in reply["answer"]
    assert "location" not in person.get("/api/profile").get_json()


def test_the_flow_streams_like_any_answer(person):
    response = person.client.post("/api/chat", json={"message": "make me a plan"},
                                  headers={**person.auth, "Accept": "text/event-stream"}, buffered=True)
    events = re.findall(r"event: (\w+)\ndata: (.*)\n", response.get_data(as_text=True))
    assert [name for name, _ in events][0] == "meta" and events[-1][0] == "done"
    done = json.loads(events[-1][1])
    assert START in done["answer"] and done["citations"]
    assert "".join(json.loads(data)["text"] for name, data in events if name == "delta") == done["answer"]


def test_a_goal_given_when_asked_for_a_place_is_noted_as_the_goal(person):
    person.chat("Make me a plan")
    person.chat("a GED")
    assert asks(person.chat("three years in retail"), "goal")
    assert asks(person.chat("skip"), "live or want to work")
    reply = person.chat("work in a public library")
    assert 'goal "work in a public library"' in reply["answer"]
    assert "location" not in person.get("/api/profile").get_json()
    assert asks(reply, "live or want to work")  # the place was not answered: asked again


def test_asking_for_a_plan_in_any_wording_starts_the_questions_and_fills_no_field(person):
    reply = person.chat("I want a personalised plan please")
    assert START in reply["answer"] and asks(reply, "highest education") and "Noted" not in reply["answer"]
    assert "goal" not in person.get("/api/profile").get_json()
    assert reply["suggestions"][-1] == "Skip" and len(reply["suggestions"]) == 4
    # The marker sits outside the emphasis, so no renderer leaves underscores on screen.
    assert re.search(r"\n\n_Why it matters: [^_\n]+_ \[1\]$", reply["answer"])


def test_the_flow_starts_from_what_was_said_earlier_even_in_a_question(person):
    person.chat("I live in Texas and I only have a high school diploma")
    person.chat("I have worked in retail for 4 years. What jobs could I get in a library?")
    reply = person.chat("can you make me a plan?")
    assert "So far: education high school diploma; experience 4 years retail; location Texas, USA." in reply["answer"]
    assert asks(reply, "goal")  # not education or place again; "in a library" in the question is no experience
    for answer, question in (("a public library job", "hours a week"), ("8 hours a week", "budget")):
        assert asks(person.chat(answer), question)
    card = person.chat("skip")["answer"]
    assert CARD in card and "no pay figures for Texas" in card and "at 8 hours a week" in card


def test_the_card_is_compact_and_cites_only_what_it_shows(person):
    person.put("/api/profile", json={"education": "GED", "experience": "3 years as a barista",
                                     "goal": "school library", "location": "Ohio", "hours_per_week": 10,
                                     "budget_usd": 800})
    person.chat("make me a plan")
    reply = person.chat("yes")
    answer = reply["answer"]
    assert len(re.findall(r"^\d\. \*\*", answer, re.M)) == 3 and "## Sources" not in answer
    assert [c["n"] for c in reply["citations"]] == list(range(1, len(reply["citations"]) + 1))
    assert markers_match(reply) and len({c["id"] for c in reply["citations"]}) == len(reply["citations"])
    assert "What does the LSSC certification involve?" in reply["suggestions"]
    # A question already asked here is not suggested again.
    person.chat("What does the LSSC certification involve?")
    again = person.chat("I also volunteered at a library for a year")
    assert "What does the LSSC certification involve?" not in again["suggestions"]


def test_a_correction_after_the_plan_rebuilds_it_and_says_what_changed(person):
    person.put("/api/profile", json={"education": "high school diploma", "experience": "4 years retail",
                                     "goal": "public library", "location": "Texas", "hours_per_week": 8,
                                     "budget_usd": 300})
    person.chat("make me a plan")
    first = person.chat("build my plan")["answer"]
    assert "self-study" in first.lower()
    reply = person.chat("actually I could spend more like $1500")
    answer = reply["answer"]
    assert "Noted: budget $1,500." in answer and "What changed in your plan:" in answer
    assert "- new step: Take a certificate program or the LSSC" in answer
    assert "- no longer needed: Build your skills through self-study and aim for the LSSC" in answer
    assert person.get("/api/profile").get_json()["budget_usd"] == 1500
    same = person.chat("I could spend $1600")["answer"]
    assert "Your plan stays the same" in same and CARD in same


def test_text_a_person_wrote_is_echoed_as_text(person):
    reply = person.chat("I want to work as [Session expired - log in again](http://attacker.example/login)")
    answer = reply["answer"]
    assert 'goal "work as \\[Session expired - log in again\\]\\(http\\://attacker"' in answer
    assert not re.search(r"(?<!\\)\]\(", answer)


def test_plan_links_expire_and_name_one_plan_only(person, coach_app):
    person.chat("make me a plan")
    reply = person.chat("make the plan now")
    plan_id = LINKS.search(reply["answer"]).group(2)
    links = coach_app.extensions["coachbot"].coaching.links
    old = links.for_plan(plan_id, now=1_000_000)
    expired = person.client.get(old["page"])
    assert expired.status_code == 403 and "expired" in expired.get_data(as_text=True)
    other = links.for_plan("0" * 32)
    forged = other["markdown"].replace("0" * 32, plan_id)
    assert person.client.get(forged).status_code == 404


def test_the_plan_page_shows_every_step_with_timeframe_cost_and_sources(person):
    plan = person.post("/api/plan", json={"profile": {"education": "GED", "experience": "none",
                                                      "goal": "school library"}}).get_json()
    page = person.client.get(plan["links"]["page"]).get_data(as_text=True)
    assert page.count('<li class="step">') == len(plan["steps"])
    assert page.count("<dt>Timeframe</dt>") == len(plan["steps"]) == page.count("<dt>Cost</dt>")
    for step in plan["steps"]:
        assert step["title"] in page and all(f'href="#source-{c["n"]}"' in page for c in step["citations"])
    assert 'data-print' in page and plan["links"]["markdown"].replace("&", "&amp;") in page
