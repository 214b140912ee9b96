"""CORS: only the configured origins, with the headers a browser frontend needs to read."""

import logging

import pytest
from fastapi.testclient import TestClient

from src.core.settings import Settings
from src.main import create_app
from tests.api.conftest import use_test_db
from tests.support.api_users import ApiUser, create_task
from tests.support.db import TestDb

ALLOWED = "https://app.example.com"  # settings fixture's CORS_ORIGINS


def test_preflight_from_an_allowed_origin(client: TestClient, alice: ApiUser) -> None:
    response = client.options(
        alice.tasks_url + "/1",
        headers={
            "Origin": ALLOWED,
            "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Headers": (
                "authorization, content-type, if-match, idempotency-key"
            ),
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == ALLOWED
    allowed = response.headers["access-control-allow-headers"].lower()
    for header in ("authorization", "content-type", "if-match", "if-none-match", "idempotency-key"):
        assert header in allowed
    assert "PUT" in response.headers["access-control-allow-methods"]


def test_responses_expose_the_headers_frontends_read(client: TestClient, alice: ApiUser) -> None:
    create_task(client, alice)
    response = client.get(alice.tasks_url, headers={**alice.headers, "Origin": ALLOWED})
    assert response.headers["access-control-allow-origin"] == ALLOWED
    exposed = {
        h.strip().lower() for h in response.headers["access-control-expose-headers"].split(",")
    }
    assert {"etag", "link", "location", "x-total-count", "idempotency-replayed"} <= exposed


def test_other_origins_get_no_cors_grant(client: TestClient, alice: ApiUser) -> None:
    preflight = client.options(
        alice.tasks_url,
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
    )
    assert "access-control-allow-origin" not in preflight.headers
    response = client.get(
        alice.tasks_url, headers={**alice.headers, "Origin": "https://evil.example"}
    )
    assert "access-control-allow-origin" not in response.headers


def test_credentialed_preflight_is_granted_for_an_allowed_origin(
    client: TestClient, alice: ApiUser
) -> None:
    # What Chromium sends before `fetch(url, {credentials: "include", method: "POST"})`.
    response = client.options(
        alice.tasks_url,
        headers={
            "Origin": ALLOWED,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == ALLOWED  # never '*'
    assert response.headers["access-control-allow-credentials"] == "true"
    assert "origin" in response.headers["vary"].lower()


def test_credentialed_responses_carry_the_grant(client: TestClient, alice: ApiUser) -> None:
    response = client.get(alice.tasks_url, headers={**alice.headers, "Origin": ALLOWED})
    assert response.status_code == 200
    # A browser reads the response only with both: this origin, exactly, and credentials.
    assert response.headers["access-control-allow-origin"] == ALLOWED
    assert response.headers["access-control-allow-credentials"] == "true"
    other = client.get(alice.tasks_url, headers={**alice.headers, "Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


def test_credentials_off_sends_no_credentials_grant(settings: Settings, db: TestDb) -> None:
    app = use_test_db(create_app(settings.model_copy(update={"cors_allow_credentials": False})), db)
    response = TestClient(app).options(
        "/api/x/tasks", headers={"Origin": ALLOWED, "Access-Control-Request-Method": "GET"}
    )
    assert response.status_code == 200
    assert "access-control-allow-credentials" not in response.headers


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"}, "origin"),
        ({"Origin": "not an origin", "Access-Control-Request-Method": "GET"}, "origin"),
        ({"Origin": ALLOWED, "Access-Control-Request-Method": "TRACE"}, "method"),
        (
            {
                "Origin": ALLOWED,
                "Access-Control-Request-Method": "GET",
                "Access-Control-Request-Headers": "authorization,x-secret-header",
            },
            "headers",
        ),
    ],
)
def test_a_refused_preflight_is_a_400_without_grants_and_is_logged_with_its_reason(
    client: TestClient,
    alice: ApiUser,
    caplog: pytest.LogCaptureFixture,
    headers: dict[str, str],
    reason: str,
) -> None:
    with caplog.at_level(logging.WARNING, logger="task_api.cors"):
        response = client.options(alice.tasks_url, headers=headers)

    assert response.status_code == 400
    assert "access-control-allow-credentials" not in response.headers
    if reason == "origin":
        assert "access-control-allow-origin" not in response.headers
    [record] = [r for r in caplog.records if r.name == "task_api.cors"]
    message = record.getMessage()
    assert f"CORS preflight refused ({reason})" in message
    assert repr(headers["Origin"]) in message


@pytest.mark.parametrize("origin", ["http://localhost:3000", "http://127.0.0.1:3000"])
def test_the_nextjs_dev_origins_are_allowed_with_development_defaults(
    db: TestDb, origin: str
) -> None:
    defaults = Settings(_env_file=None, app_env="development")  # no CORS_ORIGINS set
    client = TestClient(use_test_db(create_app(defaults), db))

    response = client.options(
        "/api/someone/tasks",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type",
        },
    )

    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == origin
    assert response.headers["access-control-allow-credentials"] == "true"
