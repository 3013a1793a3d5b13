"""POST /api/plan (contract shape, stored), reading and downloading a plan, and plans staying private."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coach_api_support import coach_app, make_person, person  # noqa: F401  (fixtures)

KNOWLEDGE_DIR = Path(__file__).parents[1] / "knowledge"
CITATION_KEYS = {"n", "id", "title", "url", "quote"}
PROFILE = {"education": "GED", "experience": "3 years as a barista", "goal": "work in a school library",
           "budget_usd": 800}


def test_a_plan_has_the_contract_shape_and_every_step_cites(person):
    response = person.post("/api/plan", json={"profile": PROFILE})
    assert response.status_code == 200
    plan = response.get_json()
    assert {"plan_id", "readiness", "skill_gaps", "steps", "markdown"} <= set(plan)
    assert 0 <= plan["readiness"]["score"] <= 100 and plan["readiness"]["summary"]
    for step in plan["steps"]:
        assert {"title", "detail", "timeframe", "cost", "citations"} <= set(step) and step["citations"]
        assert all(set(c) == CITATION_KEYS for c in step["citations"])
    for gap in plan["skill_gaps"]:
        assert gap["skill"] and gap["why"] and gap["citations"]
    assert plan["markdown"].startswith("# ") and "## Sources" in plan["markdown"]


def test_a_plan_is_stored_and_downloadable_by_its_owner_only(make_person):
    owner, stranger = make_person(), make_person()
    plan = owner.post("/api/plan", json={"profile": PROFILE}).get_json()
    stored = owner.get(f"/api/plans/{plan['plan_id']}")
    links = plan.pop("links")
    assert stored.status_code == 200 and stored.get_json() == plan
    assert set(links) == {"page", "markdown", "expires"}
    download = owner.get(f"/api/plans/{plan['plan_id']}.md")
    assert download.status_code == 200 and download.mimetype == "text/markdown"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.get_data(as_text=True) == plan["markdown"]
    assert [p["id"] for p in owner.get("/api/plans").get_json()["plans"]] == [plan["plan_id"]]
    for path in (f"/api/plans/{plan['plan_id']}", f"/api/plans/{plan['plan_id']}.md"):
        response = stranger.get(path)
        assert response.status_code == 404 and response.get_json()["error"]["code"] == "plan_not_found"
    assert stranger.get("/api/plans").get_json() == {"plans": []}
    assert owner.get("/api/plans/nope").status_code == 404


def test_without_a_body_the_stored_profile_is_used(person):
    person.put("/api/profile", json={"education": "high school diploma", "location": "Toronto, Canada"})
    plan = person.post("/api/plan").get_json()
    assert "$35,000-$50,000 CAD" in plan["markdown"]


def test_a_profile_in_the_body_overrides_without_changing_the_stored_one(person):
    person.put("/api/profile", json={"education": "GED", "location": "Toronto"})
    plan = person.post("/api/plan", json={"profile": {"education": "master's degree in english",
                                                      "location": "Tokyo"}}).get_json()
    assert "¥3,000,000-¥5,000,000" in plan["markdown"] and "CAD" not in plan["markdown"]
    assert person.get("/api/profile").get_json()["location"] == "Toronto"


def test_unknown_fields_in_a_one_off_profile_are_left_out_and_named(person):
    plan = person.post("/api/plan", json={"profile": {**PROFILE, "age": 31, "name": "Sam"}}).get_json()
    assert plan["ignored_fields"] == ["age", "name"] and "3-6 months" in plan["markdown"]


@pytest.mark.parametrize(("body", "status", "code"), [
    ({"profile": 5}, 400, "bad_profile"),
    ({"profile": {"education": ["GED"]}}, 400, "bad_type"),
    ({"plan": {}}, 400, "unknown_field"),
    ({"profile": {"goal": "g" * 400}}, 413, "too_long"),
])
def test_bad_plan_requests_get_clear_errors(person, body, status, code):
    response = person.post("/api/plan", json=body)
    assert response.status_code == status and response.get_json()["error"]["code"] == code


def test_plans_need_a_token(coach_app):
    client = coach_app.test_client()
    assert client.post("/api/plan").status_code == 401
    assert client.get("/api/plans/abc.md").status_code == 401


def test_plans_are_stored_the_same_on_sqlite_and_postgresql(any_db_app):
    client = any_db_app.test_client()
    auth = {"Authorization": f"Bearer {client.post('/api/users').get_json()['token']}"}
    plan = client.post("/api/plan", json={"profile": {"education": "GED", "location": "Osaka"}}, headers=auth).get_json()
    plan.pop("links")
    assert client.get(f"/api/plans/{plan['plan_id']}", headers=auth).get_json() == plan  # ¥ and € survive
    first = client.post("/api/chat", json={"message": "make me a plan"}, headers=auth).get_json()
    done = client.post("/api/chat", json={"message": "make the plan now", "conversation_id": first["conversation_id"]},
                       headers=auth).get_json()
    plan_id = done["answer"].split("(/plans/")[1].split("?")[0]
    assert client.get(f"/api/plans/{plan_id}.md", headers=auth).status_code == 200
    assert len(client.get("/api/plans", headers=auth).get_json()["plans"]) == 2


def test_a_guide_without_pathway_data_says_plainly_that_plans_are_not_available(make_app, tmp_path):
    guide = tmp_path / "guide"
    shutil.copytree(KNOWLEDGE_DIR, guide, ignore=shutil.ignore_patterns("pathway.yaml"))
    client = make_app(knowledge_dir=str(guide)).test_client()
    auth = {"Authorization": f"Bearer {client.post('/api/users').get_json()['token']}"}
    reply = client.post("/api/chat", json={"message": "I want a personalised plan please"}, headers=auth).get_json()
    assert "not available for this guide" in reply["answer"] and reply["in_scope"] is False
    response = client.post("/api/plan", headers=auth)
    assert response.status_code == 503 and response.get_json()["error"]["code"] == "coaching_unavailable"
    page = client.get("/plans/abc?expires=1&signature=x")
    assert page.status_code == 404 and "Plans are not available" in page.get_data(as_text=True)
