"""PATCH /api/{user_id}/tasks/{task_id}/complete"""

import pytest
from fastapi.testclient import TestClient

from tests.support.api_users import ApiUser, create_task
from tests.support.db import TestDb


def test_no_body_toggles(client: TestClient, alice: ApiUser) -> None:
    task = create_task(client, alice)
    url = alice.task_url(task["id"]) + "/complete"

    first = client.patch(url, headers=alice.headers)
    second = client.patch(url, headers=alice.headers)

    assert (first.status_code, second.status_code) == (200, 200)
    assert first.json()["is_completed"] is True
    assert second.json()["is_completed"] is False
    assert first.headers["etag"] != second.headers["etag"]


@pytest.mark.parametrize("value", [True, False])
def test_a_body_sets_the_value_idempotently(
    client: TestClient, alice: ApiUser, value: bool
) -> None:
    task = create_task(client, alice)
    url = alice.task_url(task["id"]) + "/complete"
    for _ in range(2):
        response = client.patch(url, json={"is_completed": value}, headers=alice.headers)
        assert response.status_code == 200
        assert response.json()["is_completed"] is value


@pytest.mark.parametrize(
    "body", [{"is_completed": "yes"}, {"is_completed": None}, {"done": True}, {}]
)
def test_an_invalid_body_is_a_422(client: TestClient, alice: ApiUser, body: object) -> None:
    task = create_task(client, alice)
    response = client.patch(
        alice.task_url(task["id"]) + "/complete", json=body, headers=alice.headers
    )
    assert response.status_code == 422
    assert client.get(alice.task_url(task["id"]), headers=alice.headers).json() == task


def test_stale_if_match_is_a_412(client: TestClient, alice: ApiUser) -> None:
    task = create_task(client, alice)
    url = alice.task_url(task["id"]) + "/complete"
    stale = client.get(alice.task_url(task["id"]), headers=alice.headers).headers["etag"]
    client.patch(url, headers=alice.headers)

    response = client.patch(url, headers={**alice.headers, "If-Match": stale})
    assert response.status_code == 412
    assert client.get(alice.task_url(task["id"]), headers=alice.headers).json()["is_completed"]


def test_a_missing_task_is_a_404(client: TestClient, db: TestDb, alice: ApiUser) -> None:
    url = alice.task_url(777_777) + "/complete"
    assert client.patch(url, headers=alice.headers).status_code == 404
    assert client.patch(url, json={"is_completed": True}, headers=alice.headers).status_code == 404
    assert db.scalar("SELECT count(*) FROM users") == 0  # provisions nobody
