"""GET /api/{user_id}/sync: a full sync, then only what changed, deletions as tombstones."""

import time
from typing import Any

from fastapi.testclient import TestClient

from src.core.pagination import CursorCodec
from src.core.settings import Settings
from src.core.sync_tokens import SyncPosition, encode_token
from tests.support.api_users import ApiUser, create_task
from tests.support.db import TestDb


def sync(client: TestClient, user: ApiUser, **params: Any) -> dict[str, Any]:
    response = client.get(f"/api/{user.sub}/sync", params=params, headers=user.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def sync_all(client: TestClient, user: ApiUser, token: str | None, limit: int = 100) -> Any:
    """Every page until has_more is false: (tasks by id, deleted ids, the final token)."""
    tasks: dict[int, dict[str, Any]] = {}
    deleted: set[int] = set()
    while True:
        params: dict[str, Any] = {"limit": limit}
        if token is not None:
            params["token"] = token
        page = sync(client, user, **params)
        for task in page["tasks"]:
            tasks[task["id"]] = task
        deleted.update(gone["id"] for gone in page["deleted"])
        token = page["next_token"]
        if not page["has_more"]:
            return tasks, deleted, token


def test_a_first_sync_returns_every_task_page_by_page(client: TestClient, alice: ApiUser) -> None:
    created = [create_task(client, alice, title=f"task {n}")["id"] for n in range(5)]
    first = sync(client, alice, limit=2)
    assert first["full"] is True
    assert first["has_more"] is True
    assert [task["id"] for task in first["tasks"]] == created[:2]
    assert first["deleted"] == []
    tasks, deleted, _ = sync_all(client, alice, first["next_token"], limit=2)
    assert sorted(tasks) == created[2:]
    assert deleted == set()


def test_after_a_sync_only_changes_come_deletions_as_tombstones(
    client: TestClient, alice: ApiUser
) -> None:
    kept, changed, gone = (create_task(client, alice, title=t)["id"] for t in "abc")
    _, _, token = sync_all(client, alice, None)
    assert sync(client, alice, token=token)["tasks"] == []  # nothing changed

    client.patch(alice.task_url(changed), json={"title": "b2"}, headers=alice.headers)
    assert client.delete(alice.task_url(gone), headers=alice.headers).status_code == 204
    new = create_task(client, alice, title="d")["id"]
    page = sync(client, alice, token=token)
    assert page["full"] is False
    assert page["has_more"] is False
    assert [task["id"] for task in page["tasks"]] == [changed, new]
    assert page["tasks"][0]["title"] == "b2"
    assert [deletion["id"] for deletion in page["deleted"]] == [gone]
    assert page["deleted"][0]["deleted_at"].endswith("Z")
    assert kept not in {task["id"] for task in page["tasks"]}
    # And from the new token, nothing.
    again = sync(client, alice, token=page["next_token"])
    assert again["tasks"] == []
    assert again["deleted"] == []


def test_changes_page_in_sequence_order(client: TestClient, alice: ApiUser) -> None:
    ids = [create_task(client, alice, title=f"t{n}")["id"] for n in range(4)]
    _, _, token = sync_all(client, alice, None)
    for task_id in reversed(ids):  # changed in the reverse order of creation
        client.patch(alice.task_url(task_id), json={"title": "x"}, headers=alice.headers)
    client.delete(alice.task_url(ids[0]), headers=alice.headers)
    seen: list[tuple[str, int]] = []
    while True:
        page = sync(client, alice, token=token, limit=1)
        seen += [("task", task["id"]) for task in page["tasks"]]
        seen += [("deleted", gone["id"]) for gone in page["deleted"]]
        token = page["next_token"]
        if not page["has_more"]:
            break
    # ids[0]'s update was superseded by its deletion: it comes as a tombstone only.
    assert seen == [("task", ids[3]), ("task", ids[2]), ("task", ids[1]), ("deleted", ids[0])]


def test_another_users_changes_never_show(client: TestClient, alice: ApiUser, bob: ApiUser) -> None:
    create_task(client, alice)
    _, _, token = sync_all(client, bob, None)
    bobs = create_task(client, bob)["id"]
    other = create_task(client, alice)["id"]
    client.delete(alice.task_url(other), headers=alice.headers)
    tasks, deleted, _ = sync_all(client, bob, token)
    assert list(tasks) == [bobs]
    assert deleted == set()


def test_a_token_is_refused_for_another_user_altered_or_malformed(
    client: TestClient, alice: ApiUser, bob: ApiUser
) -> None:
    create_task(client, alice)
    token = sync(client, alice)["next_token"]
    for bad in (token[:-2] + "xx", "garbage", "a.b", token.replace(".", "")):
        response = client.get(
            f"/api/{alice.sub}/sync", params={"token": bad}, headers=alice.headers
        )
        assert response.status_code == 400, bad
        assert response.json()["detail"] == "the sync token is malformed or was altered"
    foreign = client.get(f"/api/{bob.sub}/sync", params={"token": token}, headers=bob.headers)
    assert foreign.status_code == 400
    assert "another user" in foreign.json()["detail"]
    # The page size is bounded.
    for limit in (0, 501, "ten"):
        response = client.get(
            f"/api/{alice.sub}/sync", params={"limit": limit}, headers=alice.headers
        )
        assert response.status_code == 422


def test_a_token_older_than_the_tombstones_gets_410(
    client: TestClient, alice: ApiUser, settings: Settings
) -> None:
    create_task(client, alice)
    codec = CursorCodec(settings.cursor_secret.get_secret_value())
    old = SyncPosition(seq=1, issued_at=0)
    token = encode_token(codec, alice.user_id, old)
    # encode_token stamps now: build one issued 31 days ago by hand.
    payload = codec.unseal(token)
    assert payload is not None
    payload["t"] = int(time.time()) - 31 * 86_400
    stale = codec.seal(payload)
    response = client.get(f"/api/{alice.sub}/sync", params={"token": stale}, headers=alice.headers)
    assert response.status_code == 410
    assert response.headers["content-type"] == "application/problem+json"
    assert "sync in full" in response.json()["detail"]


def test_a_token_below_the_pruned_tombstones_gets_410(
    client: TestClient, alice: ApiUser, db: TestDb
) -> None:
    task = create_task(client, alice)["id"]
    _, _, token = sync_all(client, alice, None)
    client.delete(alice.task_url(task), headers=alice.headers)
    # What src/cli/prune.py leaves once that tombstone is pruned.
    db.execute(
        "UPDATE task_counts SET sync_pruned_seq = (SELECT max(change_seq)"
        " FROM task_tombstones WHERE user_id = %(u)s) WHERE user_id = %(u)s",
        {"u": alice.user_id},
    )
    response = client.get(f"/api/{alice.sub}/sync", params={"token": token}, headers=alice.headers)
    assert response.status_code == 410


def test_a_token_ahead_of_the_database_gets_410(
    client: TestClient, alice: ApiUser, settings: Settings
) -> None:
    create_task(client, alice)
    codec = CursorCodec(settings.cursor_secret.get_secret_value())
    ahead = encode_token(codec, alice.user_id, SyncPosition(seq=10_000))
    response = client.get(f"/api/{alice.sub}/sync", params={"token": ahead}, headers=alice.headers)
    assert response.status_code == 410
    assert "restored" in response.json()["detail"]


def test_a_user_without_tasks_syncs_to_nothing(client: TestClient, alice: ApiUser) -> None:
    page = sync(client, alice)
    assert page["tasks"] == []
    assert page["has_more"] is False
    assert sync(client, alice, token=page["next_token"])["tasks"] == []


def test_a_token_from_before_a_restore_gets_410_even_once_the_numbers_caught_up(
    client: TestClient, alice: ApiUser, db: TestDb
) -> None:
    create_task(client, alice)
    _, _, token = sync_all(client, alice, None)
    # What `make restore` does to the restored database (src/cli/restore.py).
    db.execute("UPDATE sync_epoch SET epoch = gen_random_uuid()")
    for n in range(3):  # the numbers move past the token's
        create_task(client, alice, title=f"after the restore {n}")
    response = client.get(f"/api/{alice.sub}/sync", params={"token": token}, headers=alice.headers)
    assert response.status_code == 410
    assert "restored" in response.json()["detail"]
