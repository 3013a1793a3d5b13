"""Rate limits: per token and per address, on /api only, shared through Redis, and safe when Redis dies."""
from __future__ import annotations

import pytest
from ops_servers import Coachbot, ThrowawayRedis, call
from prometheus_client import REGISTRY


def token_of(client) -> str:
    response = client.post("/api/users")
    assert response.status_code == 201
    return response.get_json()["token"]


def auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def assert_rate_limited(response) -> None:
    assert response.status_code == 429
    assert response.get_json()["error"]["code"] == "rate_limited"
    assert 1 <= int(response.headers["Retry-After"]) <= 60


def rejections(scope: str) -> float:
    return REGISTRY.get_sample_value("coachbot_rate_limited_total", {"scope": scope}) or 0.0


def test_each_token_has_its_own_budget(make_app):
    client = make_app(rate_limit_user="3/minute", rate_limit_ip="1000/minute").test_client()
    first, second = token_of(client), token_of(client)
    before = rejections("token")
    for _ in range(3):
        assert client.get("/api/conversations", headers=auth(first)).status_code == 200
    assert_rate_limited(client.get("/api/conversations", headers=auth(first)))
    assert_rate_limited(client.post("/api/chat", json={"message": "hi"}, headers=auth(first)))
    assert client.get("/api/conversations", headers=auth(second)).status_code == 200
    assert rejections("token") == before + 2


def test_each_address_has_a_budget_and_pages_are_never_limited(make_app):
    client = make_app(rate_limit_user="1000/minute", rate_limit_ip="4/minute",
                      rate_limit_exempt_addresses=()).test_client()
    for _ in range(4):
        assert client.post("/api/users").status_code == 201
    assert_rate_limited(client.post("/api/users"))
    elsewhere = client.post("/api/users", environ_base={"REMOTE_ADDR": "127.0.0.2"})
    assert elsewhere.status_code == 201
    for path in ("/healthz", "/readyz", "/", "/knowledge/", "/openapi.json", "/metrics"):
        assert client.get(path, buffered=True).status_code == 200, path
    assert client.get("/widget.js", buffered=True).status_code == 200


def test_loopback_is_exempt_from_the_address_limit_by_default(make_app):
    client = make_app(rate_limit_user="1000/minute", rate_limit_ip="2/minute").test_client()
    assert [client.post("/api/users").status_code for _ in range(4)] == [201] * 4
    elsewhere = [client.post("/api/users", environ_base={"REMOTE_ADDR": "192.0.2.7"}).status_code for _ in range(3)]
    assert elsewhere == [201, 201, 429]


def test_two_workers_share_one_budget_through_redis(make_app, shared_redis_url, key_prefix):
    settings = dict(redis_url=shared_redis_url, rate_limit_user="5/minute", rate_limit_ip="1000/minute",
                    rate_limit_key_prefix=key_prefix)
    worker_a, worker_b = make_app(**settings).test_client(), make_app(**settings).test_client()
    token = token_of(worker_a)
    statuses = [(worker_a if i % 2 else worker_b).get("/api/conversations", headers=auth(token)).status_code
                for i in range(7)]
    assert statuses == [200] * 5 + [429] * 2



def test_a_redis_that_forgot_the_counting_script_is_sent_it_again(make_app):
    # The script is called by its hash; a Redis restarted since (or flushed) gets it whole, and counts on.
    import redis as redis_client

    redis = ThrowawayRedis()
    try:
        client = make_app(redis_url=redis.url, rate_limit_user="3/minute", rate_limit_ip="1000/minute").test_client()
        token = token_of(client)
        assert client.get("/api/conversations", headers=auth(token)).status_code == 200
        redis_client.Redis.from_url(redis.url).script_flush()
        assert client.get("/api/conversations", headers=auth(token)).status_code == 200
        assert client.get("/api/conversations", headers=auth(token)).status_code == 200
        assert_rate_limited(client.get("/api/conversations", headers=auth(token)))
    finally:
        redis.kill()


def test_a_redis_connection_that_breaks_mid_command_is_tried_once_more(make_app, shared_redis_url, key_prefix):
    from redis.exceptions import ConnectionError

    app = make_app(redis_url=shared_redis_url, rate_limit_user="2/minute", rate_limit_ip="1000/minute",
                   rate_limit_key_prefix=key_prefix)
    client = app.test_client()
    token = token_of(client)
    counters = app.extensions["coachbot_limits"].counters
    send, calls = counters._evalsha, []

    def breaks_once(*args):
        calls.append(args)
        if len(calls) == 1:
            raise ConnectionError("Connection closed by server.")
        return send(*args)

    counters._evalsha = breaks_once
    assert client.get("/api/conversations", headers=auth(token)).status_code == 200
    assert len(calls) == 2  # the broken call and its repeat, which counted (once)
    assert client.get("/api/conversations", headers=auth(token)).status_code == 200
    assert_rate_limited(client.get("/api/conversations", headers=auth(token)))

def test_gunicorn_workers_share_the_budget(tmp_path, shared_redis_url, key_prefix):
    server = Coachbot(tmp_path, {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "REDIS_URL": shared_redis_url,
                                 "COACHBOT_RATE_LIMIT_USER": "6/minute", "COACHBOT_RATE_LIMIT_IP": "1000/minute"},
                      workers=2, threads=2)
    try:
        token = call(server.base, "POST", "/api/users")[2]["token"]
        # A new connection per request, so both workers take turns answering.
        statuses = [call(server.base, "GET", "/api/conversations", token=token)[0] for _ in range(10)]
        assert statuses == [200] * 6 + [429] * 4
        status, headers, body = call(server.base, "GET", "/api/me", token=token)
        assert status == 429 and body["error"]["code"] == "rate_limited" and int(headers["Retry-After"]) >= 1
    finally:
        server.stop()


def test_redis_down_fails_open_or_closed_as_configured_and_never_500(make_app, key_prefix):
    redis = ThrowawayRedis()
    try:
        settings = dict(redis_url=redis.url, rate_limit_user="100/minute", rate_limit_key_prefix=key_prefix,
                        rate_limit_exempt_addresses=())
        fail_open = make_app(rate_limit_fail_open=True, **settings).test_client()
        fail_closed = make_app(rate_limit_fail_open=False, **settings).test_client()
        token = token_of(fail_open)
        assert fail_closed.get("/api/conversations", headers=auth(token)).status_code == 200
    finally:
        redis.kill()
    assert fail_open.get("/api/conversations", headers=auth(token)).status_code == 200
    assert fail_open.post("/api/chat", json={"message": "what does an LTA do?"}, headers=auth(token)).status_code == 200
    for response in (fail_closed.get("/api/conversations", headers=auth(token)), fail_closed.post("/api/users")):
        assert response.status_code == 503
        assert response.get_json()["error"]["code"] == "rate_limit_unavailable"
        assert response.headers["Retry-After"]
    # Outside the API nothing depends on Redis.
    assert fail_closed.get("/healthz").status_code == 200


@pytest.mark.parametrize("fail_open", [True, False])
def test_redis_down_at_start_does_not_stop_the_app(make_app, key_prefix, fail_open):
    from ops_servers import free_port

    app = make_app(redis_url=f"redis://127.0.0.1:{free_port()}/0", rate_limit_fail_open=fail_open,
                   rate_limit_key_prefix=key_prefix, rate_limit_exempt_addresses=())
    status = app.test_client().post("/api/users").status_code
    assert status == (201 if fail_open else 503)


@pytest.mark.parametrize("hops", [0, 1])
def test_forwarded_addresses_count_only_behind_a_trusted_proxy(make_app, hops):
    client = make_app(rate_limit_user="1000/minute", rate_limit_ip="2/minute", trusted_proxy_hops=hops,
                      rate_limit_exempt_addresses=()).test_client()
    statuses = [client.post("/api/users", headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code
                for n in range(4)]
    # Behind a trusted proxy each client has its own budget; without one, a forged header evades nothing.
    assert statuses == ([201] * 4 if hops else [201, 201, 429, 429])
