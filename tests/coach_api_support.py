"""A module-wide app for the profile, plan and coach-flow API tests (building an app per test is slow)."""
from __future__ import annotations

import pytest

from coachbot import create_app, db


@pytest.fixture(scope="module")
def coach_app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("coach")
    app = create_app({"database_url": f"sqlite:///{folder / 'coach.sqlite3'}", "instance_path": str(folder),
                      "rate_limit_user": "100000/minute", "rate_limit_ip": "100000/minute"})
    app.config["TESTING"] = True
    yield app
    db.dispose(app)


class Person:
    """One user of the API, with their own token."""

    def __init__(self, client):
        self.client = client
        self.token = client.post("/api/users").get_json()["token"]
        self.auth = {"Authorization": f"Bearer {self.token}"}
        self.conversation_id = None

    def chat(self, message: str, new: bool = False) -> dict:
        if new:
            self.conversation_id = None
        response = self.client.post("/api/chat", json={"message": message, "conversation_id": self.conversation_id},
                                    headers=self.auth)
        assert response.status_code == 200, response.get_data(as_text=True)
        body = response.get_json()
        self.conversation_id = body["conversation_id"]
        return body

    def get(self, path: str):
        return self.client.get(path, headers=self.auth)

    def put(self, path: str, **kwargs):
        return self.client.put(path, headers=self.auth, **kwargs)

    def patch(self, path: str, **kwargs):
        return self.client.patch(path, headers=self.auth, **kwargs)

    def post(self, path: str, **kwargs):
        return self.client.post(path, headers=self.auth, **kwargs)


@pytest.fixture
def person(coach_app):
    return Person(coach_app.test_client())


@pytest.fixture
def make_person(coach_app):
    return lambda: Person(coach_app.test_client())
