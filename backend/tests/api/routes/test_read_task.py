"""GET /api/{user_id}/tasks/{task_id}"""

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from tests.support.api_users import ApiUser, create_task, parse_utc
from tests.support.db import TestDb


def test_returns_the_task_with_its_etag(client: TestClient, alice: ApiUser) -> None:
    task = create_task(client, alice, title="Read me")
    response = client.get(alice.task_url(task["id"]), headers=alice.headers)
    assert response.status_code == 200
    assert response.json() == task
    assert response.headers["etag"].startswith(f'"{task["id"]}.')
    assert response.headers["cache-control"] == "no-store"


def test_if_none_match_with_the_current_tag_is_a_304(client: TestClient, alice: ApiUser) -> None:
    task = create_task(client, alice)
    etag = client.get(alice.task_url(task["id"]), headers=alice.headers).headers["etag"]

    for header in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        response = client.get(
            alice.task_url(task["id"]), headers={**alice.headers, "If-None-Match": header}
        )
        assert response.status_code == 304, header
        assert response.content == b""
        assert response.headers["etag"] == etag


def test_if_none_match_with_a_stale_tag_returns_the_task(
    client: TestClient, alice: ApiUser
) -> None:
    task = create_task(client, alice)
    stale = client.get(alice.task_url(task["id"]), headers=alice.headers).headers["etag"]
    client.patch(alice.task_url(task["id"]), json={"title": "new"}, headers=alice.headers)

    response = client.get(
        alice.task_url(task["id"]), headers={**alice.headers, "If-None-Match": stale}
    )
    assert response.status_code == 200
    assert response.json()["title"] == "new"
    assert response.headers["etag"] != stale


def test_a_missing_task_is_a_404_problem(client: TestClient, alice: ApiUser) -> None:
    response = client.get(alice.task_url(999_999), headers=alice.headers)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "urn:task-api:problem:not-found",
        "title": "Not Found",
        "status": 404,
        "detail": "no such task",
    }


@pytest.mark.parametrize("task_id", ["0", "-1", "2147483648", "abc", "1.5", "1e3"])
def test_an_impossible_task_id_is_a_422(client: TestClient, alice: ApiUser, task_id: str) -> None:
    response = client.get(f"{alice.tasks_url}/{task_id}", headers=alice.headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "path.task_id"


def test_a_caller_never_seen_gets_a_404_and_is_not_provisioned(
    client: TestClient, db: TestDb, alice: ApiUser, bob: ApiUser
) -> None:
    alices = create_task(client, alice)

    for task_id in (alices["id"], 999_999):
        response = client.get(bob.task_url(task_id), headers=bob.headers)
        assert response.status_code == 404
        assert response.json()["detail"] == "no such task"
    assert db.fetch_one("SELECT id FROM users WHERE id = %s", (bob.user_id,)) is None
    assert db.scalar("SELECT count(*) FROM users") == 1  # alice's, from her first POST


def _insert_task(db: TestDb, user: ApiUser, created_at: datetime, updated_at: datetime) -> int:
    """A task written straight to the table, with chosen timestamps (UTC, no zone)."""
    db.execute(
        "INSERT INTO users (id, email, created_at, updated_at) VALUES (%s, %s, %s, %s)",
        (user.user_id, user.email, created_at, created_at),
    )
    task_id: int = db.scalar(
        "INSERT INTO tasks (user_id, title, is_completed, created_at, updated_at)"
        " VALUES (%s, 'timed', false, %s, %s) RETURNING id",
        (user.user_id, created_at, updated_at),
    )
    return task_id


def test_timestamps_are_utc_with_a_z_and_microseconds_only_when_not_zero(
    client: TestClient, db: TestDb, alice: ApiUser
) -> None:
    created = datetime(2026, 1, 2, 10, 0, 0)
    updated = datetime(2026, 1, 2, 10, 0, 0, 123)
    task_id = _insert_task(db, alice, created, updated)

    task = client.get(alice.task_url(task_id), headers=alice.headers).json()
    listed = client.get(alice.tasks_url, headers=alice.headers).json()

    assert (task["created_at"], task["updated_at"]) == (
        "2026-01-02T10:00:00Z",
        "2026-01-02T10:00:00.000123Z",
    )
    assert parse_utc(task["created_at"]) == created.replace(tzinfo=UTC)
    assert parse_utc(task["updated_at"]) == updated.replace(tzinfo=UTC)
    assert listed == [task]
    me = client.get("/api/users/me", headers=alice.headers).json()
    assert parse_utc(me["created_at"]) == created.replace(tzinfo=UTC)
