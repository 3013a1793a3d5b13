"""GET/PUT/PATCH /api/profile, its validation, and facts stated in chat landing in the profile."""
from __future__ import annotations

import re

import pytest

SAMPLE = {"education": "high school diploma", "experience": "5 years retail customer service",
          "location": "Ohio, USA", "goal": "get hired at a public library", "hours_per_week": 10, "budget_usd": 1500}


def test_put_then_get_round_trips_with_what_the_coach_understood(person):
    put = person.put("/api/profile", json={**SAMPLE, "skills": ["Excel", " Koha "]})
    assert put.status_code == 200
    body = person.get("/api/profile").get_json()
    assert {k: body[k] for k in SAMPLE} == SAMPLE and body["skills"] == ["Excel", "Koha"]
    understood = body["understood"]
    assert understood["education_level"] == "high_school" and understood["region"] == "us"
    assert understood["goal"] == {"library_type": "public", "level": "entry"}
    assert {"ils", "office", "customer_service"} <= set(understood["skills"])
    assert person.put("/api/profile", json=body).status_code == 200  # what GET gives, PUT takes back


def test_put_replaces_and_patch_merges(person):
    person.put("/api/profile", json=SAMPLE)
    person.put("/api/profile", json={"education": "GED"})
    assert set(person.get("/api/profile").get_json()) == {"education", "understood"}
    person.patch("/api/profile", json={"goal": "school library", "budget_usd": 800})
    person.patch("/api/profile", json={"budget_usd": None, "location": ""})
    body = person.get("/api/profile").get_json()
    assert {k: v for k, v in body.items() if k != "understood"} == {"education": "GED", "goal": "school library"}


def test_an_empty_profile_until_told(person):
    assert person.get("/api/profile").get_json() == {"understood": {}}


def test_each_user_sees_only_their_own_profile(make_person):
    alice, bob = make_person(), make_person()
    alice.put("/api/profile", json=SAMPLE)
    assert bob.get("/api/profile").get_json() == {"understood": {}}


@pytest.mark.parametrize(("body", "status", "code"), [
    ([1, 2], 400, "bad_json"),
    ({"name": "Ann"}, 400, "unknown_field"),
    ({"education": 12}, 400, "bad_type"),
    ({"hours_per_week": "ten"}, 400, "bad_type"),
    ({"budget_usd": True}, 400, "bad_type"),
    ({"budget_usd": -5}, 400, "out_of_range"),
    ({"hours_per_week": 200}, 400, "out_of_range"),
    ({"skills": "Excel"}, 400, "bad_type"),
    ({"skills": ["Excel", 3]}, 400, "bad_type"),
    ({"skills": ["x"] * 41}, 413, "too_long"),
    ({"goal": "x" * 301}, 413, "too_long"),
    ({"experience": "y" * 501}, 413, "too_long"),
])
def test_bad_profiles_get_clear_json_errors(person, body, status, code):
    response = person.put("/api/profile", json=body)
    assert response.status_code == status
    error = response.get_json()["error"]
    assert error["code"] == code and error["message"]


def test_profile_needs_a_token_and_json(person, coach_app):
    client = coach_app.test_client()
    assert client.get("/api/profile").status_code == 401
    assert client.put("/api/profile", json=SAMPLE).status_code == 401
    response = person.put("/api/profile", data="education=GED", content_type="text/plain")
    assert response.status_code == 415 and response.get_json()["error"]["code"] == "unsupported_media_type"
    assert person.put("/api/profile", data="{", content_type="application/json").status_code == 400


def test_facts_said_in_chat_update_the_profile_and_are_confirmed(person):
    reply = person.chat("I have a GED and three years in retail")
    assert "education GED; experience 3 years retail" in reply["answer"]
    assert "make me a plan" in reply["answer"].lower()
    assert reply["in_scope"] is True and reply["citations"]
    assert all(int(n) in {c["n"] for c in reply["citations"]} for n in re.findall(r"\[(\d+)\]", reply["answer"]))
    profile = person.get("/api/profile").get_json()
    assert profile["education"] == "GED" and profile["experience"] == "3 years retail"
    person.chat("Actually I have a bachelor's degree in history")  # a correction
    profile = person.get("/api/profile").get_json()
    assert profile["education"] == "bachelor's degree in history" and profile["experience"] == "3 years retail"


@pytest.mark.parametrize("message", ["I have a GED, can I become an LTA?", "How much do LTAs earn in Ohio?",
                                     "I want to know what LTAs do"])
def test_questions_are_answered_not_noted(person, message):
    reply = person.chat(message)
    assert "I noted" not in reply["answer"]
    assert person.get("/api/profile").get_json() == {"understood": {}}
