"""GET and DELETE /api/users/me: they provision the caller (create the users row, bring its
email up to date), which task reads and updates never do."""

from fastapi.testclient import TestClient

from tests.support.api_users import ApiUser, create_task
from tests.support.db import TestDb


def _user(db: TestDb, user: ApiUser) -> dict[str, object] | None:
    return db.fetch_one("SELECT id, email FROM users WHERE id = %s", (user.user_id,))


def test_me_is_the_caller_provisioned_on_first_request(
    client: TestClient, db: TestDb, alice: ApiUser
) -> None:
    assert _user(db, alice) is None

    response = client.get("/api/users/me", headers=alice.headers)

    assert response.status_code == 200
    me = response.json()
    assert me["id"] == str(alice.user_id)
    assert me["email"] == alice.email
    assert me["created_at"].endswith("Z")
    assert _user(db, alice) == {"id": alice.user_id, "email": alice.email}
    again = client.get("/api/users/me", headers=alice.headers)
    assert again.json() == me
    assert db.scalar("SELECT count(*) FROM users") == 1


def test_delete_me_removes_the_user_and_all_their_tasks_only(
    client: TestClient, db: TestDb, alice: ApiUser, bob: ApiUser
) -> None:
    for _ in range(3):
        create_task(client, alice)
    bobs = create_task(client, bob)

    response = client.delete("/api/users/me", headers=alice.headers)

    assert response.status_code == 204
    assert _user(db, alice) is None
    assert db.scalar("SELECT count(*) FROM tasks WHERE user_id = %s", (alice.user_id,)) == 0
    assert db.fetch_one("SELECT * FROM task_counts WHERE user_id = %s", (alice.user_id,)) is None
    assert _user(db, bob) == {"id": bob.user_id, "email": bob.email}
    assert client.get(bob.task_url(bobs["id"]), headers=bob.headers).status_code == 200
    # The deleted caller is a stranger again: no tasks, and a first POST starts over.
    listed = client.get(alice.tasks_url, headers=alice.headers)
    assert (listed.json(), listed.headers["x-total-count"]) == ([], "0")
    assert _user(db, alice) is None
    assert (
        client.post(alice.tasks_url, json={"title": "x"}, headers=alice.headers).status_code == 201
    )
    assert _user(db, alice) == {"id": alice.user_id, "email": alice.email}


def test_delete_me_of_a_caller_never_seen_is_a_204(
    client: TestClient, db: TestDb, alice: ApiUser
) -> None:
    response = client.delete("/api/users/me", headers=alice.headers)

    assert response.status_code == 204
    assert db.scalar("SELECT count(*) FROM users") == 0


def test_me_requires_a_token(client: TestClient, db: TestDb) -> None:
    for method in ("GET", "DELETE"):
        response = client.request(method, "/api/users/me")
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == 'Bearer realm="task-api"'
    assert db.scalar("SELECT count(*) FROM users") == 0
