"""GET /api/{user_id}/tasks/{task_id}"""

import pytest
from fastapi.testclient import TestClient

from tests.support.api_users import ApiUser, create_task


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
