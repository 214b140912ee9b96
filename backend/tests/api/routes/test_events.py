"""GET /api/{user_id}/events refused before any stream opens: no token, another user's path,
a malformed Last-Event-ID, the broker unreachable (the streams themselves:
tests/events/test_live_updates.py)."""

import pytest
from fastapi.testclient import TestClient

from src.main import create_app
from tests.api.conftest import use_test_db
from tests.support.api_users import ApiUser
from tests.support.db import TestDb
from tests.support.services import free_port
from tests.support.settings import suite_settings


@pytest.fixture
def no_broker(db: TestDb) -> TestClient:
    """The app with NATS_URL naming a port nothing listens on."""
    settings = suite_settings(nats_url=f"nats://127.0.0.1:{free_port()}")
    return TestClient(use_test_db(create_app(settings), db), raise_server_exceptions=False)


def test_a_stream_needs_a_token(no_broker: TestClient, alice: ApiUser) -> None:
    response = no_broker.get(f"/api/{alice.sub}/events")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"


def test_a_stream_of_another_user_is_forbidden(
    no_broker: TestClient, alice: ApiUser, bob: ApiUser
) -> None:
    response = no_broker.get(f"/api/{bob.sub}/events", headers=alice.headers)
    assert response.status_code == 403


@pytest.mark.parametrize("value", ["abc", "-1", "1.5"])
def test_a_malformed_last_event_id_is_422(
    no_broker: TestClient, alice: ApiUser, value: str
) -> None:
    headers = {**alice.headers, "Last-Event-ID": value}
    response = no_broker.get(f"/api/{alice.sub}/events", headers=headers)
    assert response.status_code == 422
    assert "Last-Event-ID" in response.text


def test_the_broker_unreachable_is_503_and_the_api_serves_on(
    no_broker: TestClient, alice: ApiUser
) -> None:
    response = no_broker.get(f"/api/{alice.sub}/events", headers=alice.headers)
    assert response.status_code == 503
    assert "broker" in response.json()["detail"]
    assert "retry-after" in response.headers
    created = no_broker.post(alice.tasks_url, json={"title": "still"}, headers=alice.headers)
    assert created.status_code == 201
