"""CORS: only the configured origins, with the headers a browser frontend needs to read."""

from fastapi.testclient import TestClient

from tests.support.api_users import ApiUser, create_task

ALLOWED = "https://app.example.com"  # settings fixture's CORS_ORIGINS


def test_preflight_from_an_allowed_origin(client: TestClient, alice: ApiUser) -> None:
    response = client.options(
        alice.tasks_url + "/1",
        headers={
            "Origin": ALLOWED,
            "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Headers": "authorization, content-type, if-match",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == ALLOWED
    allowed = response.headers["access-control-allow-headers"].lower()
    for header in ("authorization", "content-type", "if-match", "if-none-match"):
        assert header in allowed
    assert "PUT" in response.headers["access-control-allow-methods"]


def test_responses_expose_the_headers_frontends_read(client: TestClient, alice: ApiUser) -> None:
    create_task(client, alice)
    response = client.get(alice.tasks_url, headers={**alice.headers, "Origin": ALLOWED})
    assert response.headers["access-control-allow-origin"] == ALLOWED
    exposed = {
        h.strip().lower() for h in response.headers["access-control-expose-headers"].split(",")
    }
    assert {"etag", "link", "location", "x-total-count"} <= exposed


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
