"""DELETE /api/{user_id}/tasks/{task_id}"""

from fastapi.testclient import TestClient

from tests.support.api_users import ApiUser, create_task
from tests.support.db import TestDb


def test_deletes_the_task(client: TestClient, db: TestDb, alice: ApiUser) -> None:
    task = create_task(client, alice)
    kept = create_task(client, alice, title="kept")

    response = client.delete(alice.task_url(task["id"]), headers=alice.headers)

    assert response.status_code == 204
    assert response.content == b""
    assert client.get(alice.task_url(task["id"]), headers=alice.headers).status_code == 404
    assert client.get(alice.task_url(kept["id"]), headers=alice.headers).status_code == 200
    assert client.delete(alice.task_url(task["id"]), headers=alice.headers).status_code == 404
    assert db.fetch_all("SELECT id FROM tasks") == [{"id": kept["id"]}]
    assert db.fetch_one("SELECT id FROM users WHERE id = %s", (alice.user_id,)) is not None


def test_a_missing_task_of_a_caller_never_seen_is_a_404(
    client: TestClient, db: TestDb, alice: ApiUser
) -> None:
    response = client.delete(alice.task_url(2_147_483_647), headers=alice.headers)
    assert response.status_code == 404
    assert db.scalar("SELECT count(*) FROM users") == 0  # a DELETE provisions nobody


def test_stale_if_match_is_a_412_and_keeps_the_task(client: TestClient, alice: ApiUser) -> None:
    task = create_task(client, alice)
    stale = client.get(alice.task_url(task["id"]), headers=alice.headers).headers["etag"]
    client.patch(alice.task_url(task["id"]), json={"title": "changed"}, headers=alice.headers)

    response = client.delete(
        alice.task_url(task["id"]), headers={**alice.headers, "If-Match": stale}
    )

    assert response.status_code == 412
    assert client.get(alice.task_url(task["id"]), headers=alice.headers).status_code == 200


def test_current_if_match_deletes(client: TestClient, alice: ApiUser) -> None:
    task = create_task(client, alice)
    etag = client.get(alice.task_url(task["id"]), headers=alice.headers).headers["etag"]
    response = client.delete(
        alice.task_url(task["id"]), headers={**alice.headers, "If-Match": etag}
    )
    assert response.status_code == 204
