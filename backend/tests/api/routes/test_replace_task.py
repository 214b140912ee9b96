"""PUT /api/{user_id}/tasks/{task_id}"""

from fastapi.testclient import TestClient

from tests.support.api_users import ApiUser, create_task, parse_utc
from tests.support.db import TestDb


def test_replaces_every_field(client: TestClient, alice: ApiUser) -> None:
    task = create_task(client, alice, title="old", description="old d", is_completed=True)

    response = client.put(alice.task_url(task["id"]), json={"title": "new"}, headers=alice.headers)

    assert response.status_code == 200
    replaced = response.json()
    # Omitted optional fields return to their defaults: that is what "replace" means.
    assert replaced["title"] == "new"
    assert replaced["description"] is None
    assert replaced["is_completed"] is False
    assert replaced["created_at"] == task["created_at"]
    assert parse_utc(replaced["updated_at"]) > parse_utc(task["updated_at"])
    assert client.get(alice.task_url(task["id"]), headers=alice.headers).json() == replaced


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
        {"title": "x", "id": 5},
        {"title": "x", "user_id": "u"},
    ):
        response = client.put(alice.task_url(task["id"]), json=body, headers=alice.headers)
        assert response.status_code == 422, body
    assert client.get(alice.task_url(task["id"]), headers=alice.headers).json()["title"] == "kept"
