"""/metrics: Prometheus text, off or protected when the settings say so."""

from fastapi.testclient import TestClient
from pydantic import SecretStr

from src.core.settings import Settings
from src.main import create_app
from tests.api.conftest import use_test_db
from tests.support.api_users import ApiUser, create_task
from tests.support.db import TestDb


def _client(settings: Settings, db: TestDb, **overrides: object) -> TestClient:
    app = use_test_db(create_app(settings.model_copy(update=overrides)), db)
    return TestClient(app, raise_server_exceptions=False)


def test_counts_requests_by_route_template(client: TestClient, alice: ApiUser) -> None:
    create_task(client, alice)
    client.get(alice.task_url(999_999), headers=alice.headers)

    text = client.get("/metrics").text

    assert 'route="/api/{user_id}/tasks",status="201"' in text
    assert 'route="/api/{user_id}/tasks/{task_id}",status="404"' in text
    assert 'taskapi_errors_total{type="not-found"}' in text
    assert alice.sub not in text  # raw paths never become labels
    assert "taskapi_db_pool_checked_out" in text
    assert "taskapi_db_pool_connections" in text


def test_disabled_metrics_are_a_404(settings: Settings, db: TestDb) -> None:
    client = _client(settings, db, metrics_enabled=False)
    assert client.get("/metrics").status_code == 404


def test_a_metrics_token_protects_them(settings: Settings, db: TestDb) -> None:
    client = _client(settings, db, metrics_bearer_token=SecretStr("scrape-me-0123456789"))
    assert client.get("/metrics").status_code == 401
    wrong = client.get("/metrics", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    right = client.get("/metrics", headers={"Authorization": "Bearer scrape-me-0123456789"})
    assert right.status_code == 200
    assert right.headers["content-type"].startswith("text/plain")
