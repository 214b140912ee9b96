"""PUT /api/{user_id}/tasks/{task_id}"""

from fastapi.testclient import TestClient

from tests.support.api_users import ApiUser, create_task, parse_utc
from tests.support.db import TestDb


def test_a_rename_keeps_every_field_it_does_not_send(client: TestClient, alice: ApiUser) -> None:
    # What real frontends send to rename: the title alone. Nothing else may be lost.
    task = create_task(
        client,
        alice,
        title="old",
        description="old d",
        is_completed=True,
        priority="high",
        tags=["work"],
        due_date="2030-01-02T03:04:05Z",
    )

    response = client.put(alice.task_url(task["id"]), json={"title": "new"}, headers=alice.headers)

    assert response.status_code == 200
    renamed = response.json()
    assert renamed == {**task, "title": "new", "updated_at": renamed["updated_at"]}
    assert renamed["is_completed"] is True
    assert parse_utc(renamed["updated_at"]) > parse_utc(task["updated_at"])
    assert client.get(alice.task_url(task["id"]), headers=alice.headers).json() == renamed


def test_fields_sent_are_changed_and_null_clears_description(
    client: TestClient, alice: ApiUser
) -> None:
    task = create_task(client, alice, title="t", description="d", due_date="2030-01-02T00:00:00Z")

    response = client.put(
        alice.task_url(task["id"]),
        json={"title": "t2", "description": None, "is_completed": True, "priority": "low"},
        headers=alice.headers,
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["title"], body["description"], body["is_completed"]) == ("t2", None, True)
    assert (body["priority"], body["due_date"]) == ("low", "2030-01-02T00:00:00Z")


def test_null_for_a_field_that_cannot_be_empty_is_a_422(client: TestClient, alice: ApiUser) -> None:
    task = create_task(client, alice, title="kept", is_completed=True)
    for field in ("is_completed", "priority", "tags", "recurring_interval"):
        response = client.put(
            alice.task_url(task["id"]), json={"title": "x", field: None}, headers=alice.headers
        )
        assert response.status_code == 422, field
        assert field in response.text
    assert client.get(alice.task_url(task["id"]), headers=alice.headers).json() == task


def test_if_match_with_the_current_tag_applies(client: TestClient, alice: ApiUser) -> None:
    task = create_task(client, alice)
    etag = client.get(alice.task_url(task["id"]), headers=alice.headers).headers["etag"]

    response = client.put(
        alice.task_url(task["id"]),
        json={"title": "guarded"},
        headers={**alice.headers, "If-Match": etag},
    )
    assert response.status_code == 200
    assert response.headers["etag"] != etag


def test_if_match_with_a_stale_tag_is_a_412_and_changes_nothing(
    client: TestClient, alice: ApiUser
) -> None:
    task = create_task(client, alice, title="v1")
    stale = client.get(alice.task_url(task["id"]), headers=alice.headers).headers["etag"]
    client.put(alice.task_url(task["id"]), json={"title": "v2"}, headers=alice.headers)

    for header in (stale, f"W/{stale}", '"garbage"', '"1.zz"'):
        response = client.put(
            alice.task_url(task["id"]),
            json={"title": "v3"},
            headers={**alice.headers, "If-Match": header},
        )
        assert response.status_code == 412, header
        assert response.headers["content-type"] == "application/problem+json"
    assert client.get(alice.task_url(task["id"]), headers=alice.headers).json()["title"] == "v2"


def test_if_match_star_applies_to_an_existing_task(client: TestClient, alice: ApiUser) -> None:
    task = create_task(client, alice)
    response = client.put(
        alice.task_url(task["id"]),
        json={"title": "any"},
        headers={**alice.headers, "If-Match": "*"},
    )
    assert response.status_code == 200


def test_a_put_that_changes_nothing_keeps_the_etag(client: TestClient, alice: ApiUser) -> None:
    task = create_task(client, alice, title="same")
    etag = client.get(alice.task_url(task["id"]), headers=alice.headers).headers["etag"]
    response = client.put(alice.task_url(task["id"]), json={"title": "same"}, headers=alice.headers)
    assert response.headers["etag"] == etag
    assert response.json()["updated_at"] == task["updated_at"]


def test_a_missing_task_is_a_404_even_with_if_match(
    client: TestClient, db: TestDb, alice: ApiUser
) -> None:
    for headers in (alice.headers, {**alice.headers, "If-Match": '"1.1"'}):
        response = client.put(alice.task_url(424_242), json={"title": "x"}, headers=headers)
        assert response.status_code == 404
    assert db.scalar("SELECT count(*) FROM users") == 0  # a PUT provisions nobody


def test_requires_a_title_and_refuses_server_fields(client: TestClient, alice: ApiUser) -> None:
    task = create_task(client, alice, title="kept")
    for body in (
        {},
        {"description": "only"},
        {"title": None},
        {"title": ""},
        {"title": "x", "id": 5},
        {"title": "x", "user_id": "u"},
    ):
        response = client.put(alice.task_url(task["id"]), json=body, headers=alice.headers)
        assert response.status_code == 422, body
    assert client.get(alice.task_url(task["id"]), headers=alice.headers).json()["title"] == "kept"
