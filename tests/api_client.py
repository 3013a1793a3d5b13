"""A test client that speaks the contract (importable by name: conftest.py modules collide)."""


class Api:
    """A small client that speaks the contract: creates a user and sends its token."""

    def __init__(self, client):
        self.client = client
        body = client.post("/api/users").get_json()
        self.user_id, self.token = body["user_id"], body["token"]

    @property
    def auth(self):
        return {"Authorization": f"Bearer {self.token}"}

    def chat(self, message, conversation_id=None, headers=None, **kwargs):
        return self.client.post("/api/chat", json={"message": message, "conversation_id": conversation_id},
                                headers={**self.auth, **(headers or {})}, **kwargs)

    def get(self, path):
        return self.client.get(path, headers=self.auth)

    def delete(self, path):
        return self.client.delete(path, headers=self.auth)

    def post(self, path, **kwargs):
        return self.client.post(path, headers=self.auth, **kwargs)
