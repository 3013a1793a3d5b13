"""The OpenAPI description stays true: every API route is in it, everything in it exists, and real
responses validate against its schemas."""
from __future__ import annotations

import re

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from coachbot.api.openapi import spec

METHODS = {"get", "post", "put", "patch", "delete"}
SPEC_URI = "urn:coachbot-openapi"


def flask_routes(app) -> set[tuple[str, str]]:
    routes = set()
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        routes |= {(path, m.lower()) for m in rule.methods if m.lower() in METHODS}
    return routes


def spec_operations() -> set[tuple[str, str]]:
    return {(path, method) for path, item in spec()["paths"].items() for method in item if method in METHODS}


def test_the_description_is_openapi_3_1_and_served(client):
    assert spec()["openapi"].startswith("3.1")
    response = client.get("/openapi.json")
    assert response.status_code == 200 and response.get_json() == spec()


def test_every_api_route_is_described(app):
    api_routes = {r for r in flask_routes(app) if r[0].startswith("/api/")}
    assert api_routes - spec_operations() == set(), "describe these routes in coachbot/api/openapi.yaml"


def test_everything_described_exists(app):
    assert spec_operations() - flask_routes(app) == set(), "these operations in openapi.yaml have no route"


def test_every_operation_lists_its_errors():
    for path, method in spec_operations():
        operation = spec()["paths"][path][method]
        statuses = set(operation["responses"])
        if path.startswith("/api/"):
            assert {"429", "503"} <= statuses, (method, path)
        if operation.get("security", spec()["security"]):
            assert "401" in statuses, (method, path)
        if "requestBody" in operation:
            assert {"400", "413", "415"} <= statuses, (method, path)


def _pointer(*parts: str) -> str:
    return "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


class Contract:
    """Checks a real response against the description of its operation and status."""

    def __init__(self):
        self.registry = Registry().with_resource(SPEC_URI, Resource(contents=spec(), specification=DRAFT202012))

    def response_schema(self, path: str, method: str, status: int, content_type: str) -> dict | None:
        responses = spec()["paths"][path][method]["responses"]
        assert str(status) in responses, f"{method.upper()} {path} answered {status}, which is not described"
        response = responses[str(status)]
        ref = f"#/paths/{_pointer(path, method, 'responses', str(status))}"
        if "$ref" in response:
            ref = response["$ref"]
            response = spec()["components"]["responses"][ref.rsplit("/", 1)[1]]
        if "content" not in response:
            return None
        assert content_type in response["content"], (method, path, status, content_type)
        return {"$ref": f"{SPEC_URI}{ref}/content/{_pointer(content_type)}/schema"}

    def check(self, path: str, method: str, response) -> None:
        schema = self.response_schema(path, method, response.status_code, response.mimetype)
        if schema is None:
            assert response.get_data() == b""
            return
        if response.mimetype == "application/json":
            errors = list(Draft202012Validator(schema, registry=self.registry).iter_errors(response.get_json()))
            assert errors == [], f"{method.upper()} {path}: {[e.message for e in errors][:3]}"


@pytest.fixture
def contract():
    return Contract()


def test_real_responses_match_the_description(client, contract):
    def check(path, method, response, status):
        assert response.status_code == status, (path, response.get_data(as_text=True)[:300])
        contract.check(path, method, response)
        return response

    created = check("/api/users", "post", client.post("/api/users"), 201).get_json()
    auth = {"Authorization": f"Bearer {created['token']}"}
    chat = check("/api/chat", "post", client.post("/api/chat", json={"message": "how much do LTAs earn?"},
                                                   headers=auth), 200).get_json()
    check("/api/chat", "post", client.post("/api/chat", json={"message": "what is the best pizza?",
                                                              "conversation_id": chat["conversation_id"]},
                                           headers=auth), 200)
    stream = client.post("/api/chat", json={"message": "what does an LTA do?"},
                         headers={**auth, "Accept": "text/event-stream"}, buffered=True)
    check("/api/chat", "post", stream, 200)
    check("/api/chat", "post", client.post("/api/chat", json={"message": "  "}, headers=auth), 400)
    check("/api/chat", "post", client.post("/api/chat", data="x", headers=auth), 415)
    check("/api/chat", "post", client.post("/api/chat", json={"message": "x" * 5000}, headers=auth), 413)
    check("/api/chat", "post", client.post("/api/chat", json={"message": "hi"}), 401)
    check("/api/chat", "post", client.post("/api/chat", json={"message": "hi", "conversation_id": "nope"},
                                           headers=auth), 404)
    conversation_path = "/api/conversations/{conversation_id}"
    check("/api/conversations", "get", client.get("/api/conversations", headers=auth), 200)
    check(conversation_path, "get", client.get(f"/api/conversations/{chat['conversation_id']}", headers=auth), 200)
    check("/api/messages/{message_id}/feedback", "post",
          client.post(f"/api/messages/{chat['message_id']}/feedback", json={"rating": "up"}, headers=auth), 204)
    check("/api/messages/{message_id}/feedback", "post",
          client.post(f"/api/messages/{chat['message_id']}/feedback", json={"rating": "meh"}, headers=auth), 400)
    check("/api/me", "get", client.get("/api/me", headers=auth), 200)
    check("/api/me/export", "get", client.get("/api/me/export", headers=auth), 200)
    check("/healthz", "get", client.get("/healthz"), 200)
    check("/readyz", "get", client.get("/readyz"), 200)
    check(conversation_path, "delete", client.delete(f"/api/conversations/{chat['conversation_id']}", headers=auth),
          204)
    check(conversation_path, "get", client.get(f"/api/conversations/{chat['conversation_id']}", headers=auth), 404)
    check("/api/token/revoke", "post", client.post("/api/token/revoke", headers=auth), 204)
    check("/api/me", "get", client.get("/api/me", headers=auth), 401)
    check("/api/me", "delete", client.delete("/api/me", headers=auth), 204)  # a revoked token may still erase
    check("/api/me", "delete", client.delete("/api/me", headers=auth), 401)
    other = {"Authorization": f"Bearer {client.post('/api/users').get_json()['token']}"}
    check("/api/me", "delete", client.delete("/api/me", headers=other), 204)
