"""Nobody reads or changes anyone else's tasks: another user's task is a 404, like a missing one.

Task reads, updates and deletes never create the caller's users row (only a first POST and
/api/users/me do), so a caller who was never seen is refused the same way and left unknown.
"""

import pytest
from fastapi.testclient import TestClient

from tests.support.api_users import ApiUser, create_task
from tests.support.db import TestDb

FOREIGN_TASK_CALLS = [
    ("GET", "", None),
    ("PUT", "", {"title": "hijacked"}),
    ("PATCH", "", {"title": "hijacked"}),
    ("PATCH", "/complete", None),
    ("PATCH", "/complete", {"is_completed": True}),
    ("DELETE", "", None),
]


@pytest.mark.parametrize(("method", "suffix", "body"), FOREIGN_TASK_CALLS)
def test_another_users_task_is_a_404_and_stays_untouched(
    client: TestClient,
    db: TestDb,
    alice: ApiUser,
    bob: ApiUser,
    method: str,
    suffix: str,
    body: object,
) -> None:
    alices = create_task(client, alice, title="private")
    missing = client.request(method, bob.task_url(987_654) + suffix, json=body, headers=bob.headers)

    response = client.request(
        method, bob.task_url(alices["id"]) + suffix, json=body, headers=bob.headers
    )

    assert response.status_code == 404
    assert response.json() == missing.json()  # indistinguishable from a task that does not exist
    assert client.get(alice.task_url(alices["id"]), headers=alice.headers).json() == alices
    # bob was never provisioned: neither request created his users row
    assert db.fetch_all("SELECT id FROM users") == [{"id": alice.user_id}]


@pytest.mark.parametrize(("method", "suffix", "body"), FOREIGN_TASK_CALLS)
def test_a_provisioned_users_task_routes_leave_the_users_row_alone(
    client: TestClient, db: TestDb, alice: ApiUser, method: str, suffix: str, body: object
) -> None:
    task = create_task(client, alice)
    before = db.fetch_one("SELECT * FROM users WHERE id = %s", (alice.user_id,))

    response = client.request(
        method, alice.task_url(task["id"]) + suffix, json=body, headers=alice.headers
    )

    assert response.status_code in (200, 204), response.text
    assert db.fetch_one("SELECT * FROM users WHERE id = %s", (alice.user_id,)) == before


def test_lists_and_counts_hold_only_the_callers_tasks(
    client: TestClient, alice: ApiUser, bob: ApiUser
) -> None:
    create_task(client, alice, title="alice's")
    create_task(client, alice, title="alice's too")
    bobs = create_task(client, bob, title="bob's")

    response = client.get(bob.tasks_url, headers=bob.headers)

    assert response.json() == [bobs]
    assert response.headers["x-total-count"] == "1"
    searched = client.get(bob.tasks_url, params={"q": "alice"}, headers=bob.headers)
    assert searched.json() == []
