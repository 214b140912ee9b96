"""Per-user rate limits counted in a real Redis (integration tier: make test-integration)."""

import logging

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from src.core.settings import Settings
from src.main import create_app
from tests.api.conftest import use_test_db
from tests.support.api_users import make_user
from tests.support.db import TestDb
from tests.support.services import free_port

pytestmark = pytest.mark.integration

REDIS_URL = "redis://127.0.0.1:6379/0"


def _app(settings: Settings, db: TestDb, **overrides: object) -> FastAPI:
    return use_test_db(create_app(settings.model_copy(update=overrides)), db)


def test_the_limit_holds_across_worker_processes(settings: Settings, db: TestDb) -> None:
    # Two app instances stand for two worker processes: only Redis is shared between them.
    worker_a = TestClient(
        _app(settings, db, rate_limit_per_minute=3, redis_url=REDIS_URL),
        raise_server_exceptions=False,
    )
    worker_b = TestClient(
        _app(settings, db, rate_limit_per_minute=3, redis_url=REDIS_URL),
        raise_server_exceptions=False,
    )
    user, other = make_user(), make_user()

    remaining = [
        int(client.get(user.tasks_url, headers=user.headers).headers["ratelimit-remaining"])
        for client in (worker_a, worker_b, worker_a)
    ]
    refused = worker_b.get(user.tasks_url, headers=user.headers)

    assert remaining == [2, 1, 0]
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert 1 <= int(refused.headers["retry-after"]) <= 61
    assert refused.headers["ratelimit-limit"] == "3"
    assert refused.headers["ratelimit-policy"] == "3;w=60"
    # Counted per user: somebody else is not affected.
    assert worker_a.get(other.tasks_url, headers=other.headers).status_code == 200


def test_without_configuration_there_is_no_limit(client: TestClient) -> None:
    user = make_user()
    response = client.get(user.tasks_url, headers=user.headers)
    assert response.status_code == 200
    assert "ratelimit-limit" not in response.headers


def test_a_dead_redis_fails_open_and_is_logged(
    settings: Settings, db: TestDb, caplog: pytest.LogCaptureFixture
) -> None:
    dead = f"redis://127.0.0.1:{free_port()}/0"
    client = TestClient(
        _app(settings, db, rate_limit_per_minute=1, redis_url=dead),
        raise_server_exceptions=False,
    )
    user = make_user()

    with caplog.at_level(logging.WARNING, logger="src.api.rate_limit"):
        statuses = [client.get(user.tasks_url, headers=user.headers).status_code for _ in range(3)]

    assert statuses == [200, 200, 200]
    assert any("rate limiter unavailable" in r.getMessage() for r in caplog.records)
