"""Fixtures for the operations tests: the shared Redis, and a fresh key prefix per test."""
from __future__ import annotations

import os
import uuid

import pytest

from ops_servers import needs

REDIS_URL = os.environ.get("COACHBOT_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def shared_redis_url():
    """The machine's Redis (each test uses its own key prefix, so runs in parallel do not collide)."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError as exc:
        needs("Redis", str(exc))
    finally:
        client.close()
    return REDIS_URL


@pytest.fixture
def key_prefix():
    return f"coachbot-test-{uuid.uuid4().hex[:12]}"
