"""Schema-driven fuzzing: schemathesis generates requests from /openapi.json for every operation;
no answer may be a 500 or break the description (status, content type, headers, body schema)."""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode

from coachbot import create_app, db
from coachbot.api.openapi import spec

# A couple of minutes at most for the whole file on two cores.
EXAMPLES = 50
OPERATIONS = sorted((f"{method.upper()} {path}", "requestBody" in operation or "parameters" in item)
                    for path, item in spec()["paths"].items() for method, operation in item.items()
                    if method in {"get", "post", "put", "patch", "delete"} and path != "/metrics")
# Valid input for every operation; invalid input where there is input to spoil (a body or a path part).
CASES = [(label, GenerationMode.POSITIVE) for label, _ in OPERATIONS] + [
    (label, GenerationMode.NEGATIVE) for label, has_input in OPERATIONS if has_input]


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz")
    app = create_app({"database_url": f"sqlite:///{folder / 'fuzz.sqlite3'}", "instance_path": str(folder),
                      "rate_limit_user": "100000/minute", "rate_limit_ip": "100000/minute"})
    app.config["TESTING"] = True
    yield app
    db.dispose(app)


@pytest.fixture(scope="module")
def fuzz_schema(fuzz_app):
    return schemathesis.openapi.from_wsgi("/openapi.json", fuzz_app)


@pytest.mark.parametrize(("label", "mode"), CASES, ids=[f"{label}-{mode.value}" for label, mode in CASES])
def test_no_operation_breaks_its_contract(label, mode, fuzz_app, fuzz_schema):
    operation = fuzz_schema[label.split(" ", 1)[1]][label.split(" ", 1)[0]]
    client = fuzz_app.test_client()
    # The caller's own conversation, so generated requests can also reach a real one.
    token = client.post("/api/users").get_json()["token"]
    auth = {"Authorization": f"Bearer {token}"}

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        # A fresh user for every case: erasing or revoking must not starve the cases after it.
        fresh = client.post("/api/users").get_json()["token"]
        headers = {"Authorization": f"Bearer {fresh}"} if "Authorization" not in (case.headers or {}) else {}
        case.call_and_validate(headers=headers)

    assert client.get("/api/me", headers=auth).status_code == 200
    run()
