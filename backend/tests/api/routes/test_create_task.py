"""POST /api/{user_id}/tasks; the caller's first one creates their users row."""

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from tests.support.api_users import ApiUser, hs256_token, parse_utc
from tests.support.db import TestDb


def _rows(db: TestDb) -> tuple[int, int]:
    """How many users and tasks there are."""
    return db.scalar("SELECT count(*) FROM users"), db.scalar("SELECT count(*) FROM tasks")


def test_creates_the_task_with_location_and_etag(
    client: TestClient, db: TestDb, alice: ApiUser
) -> None:
    response = client.post(
        alice.tasks_url,
        json={"title": "Buy milk", "description": "2 litres", "is_completed": True},
        headers=alice.headers,
    )

    assert response.status_code == 201
    task = response.json()
    assert task["title"] == "Buy milk"
    assert task["description"] == "2 litres"
    assert task["is_completed"] is True
    assert task["user_id"] == str(alice.user_id)
    assert response.headers["location"].endswith(f"{alice.tasks_url}/{task['id']}")
    assert response.headers["etag"].startswith(f'"{task["id"]}.')
    created = parse_utc(task["created_at"])
    assert abs(created - datetime.now(UTC)) < timedelta(minutes=1)
    assert task["updated_at"] == task["created_at"]
    stored = db.fetch_one("SELECT created_at, updated_at FROM tasks WHERE id = %s", (task["id"],))
    assert stored is not None
    assert created == stored["created_at"].replace(tzinfo=UTC)  # stored as UTC, no zone
    fetched = client.get(response.headers["location"], headers=alice.headers)
    assert fetched.json() == task


def test_the_location_is_the_new_tasks_absolute_url_without_the_query(
    client: TestClient, alice: ApiUser
) -> None:
    response = client.post(
        f"{alice.tasks_url}?from=widget",
        json={"title": "Buy milk"},
        headers={**alice.headers, "Host": "tasks.example.com:8443"},
    )

    assert response.status_code == 201
    assert response.headers["location"] == (
        f"http://tasks.example.com:8443{alice.tasks_url}/{response.json()['id']}"
    )


def test_the_first_post_provisions_the_caller_with_the_tokens_email(
    client: TestClient, db: TestDb, alice: ApiUser
) -> None:
    assert db.fetch_one("SELECT id FROM users WHERE id = %s", (alice.user_id,)) is None

    first = client.post(alice.tasks_url, json={"title": "first"}, headers=alice.headers)

    assert first.status_code == 201, first.text
    user = db.fetch_one("SELECT email, created_at FROM users WHERE id = %s", (alice.user_id,))
    assert user is not None
    assert user["email"] == alice.email
    assert first.json()["user_id"] == str(alice.user_id)
    second = client.post(alice.tasks_url, json={"title": "second"}, headers=alice.headers)
    assert second.status_code == 201
    assert _rows(db) == (1, 2)
    assert db.fetch_all(
        "SELECT title FROM tasks WHERE user_id = %s ORDER BY id", (alice.user_id,)
    ) == [{"title": "first"}, {"title": "second"}]
    assert db.fetch_one(
        "SELECT total, completed FROM task_counts WHERE user_id = %s", (alice.user_id,)
    ) == {"total": 2, "completed": 0}


def test_a_first_post_without_an_email_claim_is_a_401_and_writes_nothing(
    client: TestClient, db: TestDb, alice: ApiUser
) -> None:
    no_email = {"Authorization": "Bearer " + hs256_token(sub=alice.sub)}

    response = client.post(alice.tasks_url, json={"title": "x"}, headers=no_email)

    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert "email" in response.json()["detail"]
    assert _rows(db) == (0, 0)
    assert db.scalar("SELECT count(*) FROM task_counts") == 0


def test_defaults_are_no_description_and_not_completed(client: TestClient, alice: ApiUser) -> None:
    task = client.post(alice.tasks_url, json={"title": "x"}, headers=alice.headers).json()
    assert task["description"] is None
    assert task["is_completed"] is False


@pytest.mark.parametrize(
    "title",
    ["a", "t" * 500, "😀" * 500, "  padded  "],
    ids=["1-char", "500-chars", "500-emoji", "padded"],
)
def test_accepts_titles_within_limits(client: TestClient, alice: ApiUser, title: str) -> None:
    response = client.post(alice.tasks_url, json={"title": title}, headers=alice.headers)
    assert response.status_code == 201, response.text
    assert response.json()["title"] == title


def test_accepts_a_description_of_5000_characters(client: TestClient, alice: ApiUser) -> None:
    body = {"title": "x", "description": "é" * 5000}
    response = client.post(alice.tasks_url, json=body, headers=alice.headers)
    assert response.status_code == 201
    assert response.json()["description"] == "é" * 5000


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "body.title"),
        ({"title": ""}, "body.title"),
        ({"title": "   \t"}, "body.title"),
        ({"title": "t" * 501}, "body.title"),
        ({"title": "😀" * 501}, "body.title"),
        ({"title": 42}, "body.title"),
        ({"title": ["a"]}, "body.title"),
        ({"title": None}, "body.title"),
        ({"title": "nul\u0000"}, "body.title"),
        ({"title": "x", "description": "d" * 5001}, "body.description"),
        ({"title": "x", "description": "nul\u0000"}, "body.description"),
        ({"title": "x", "is_completed": "yes"}, "body.is_completed"),
        ({"title": "x", "is_completed": 1}, "body.is_completed"),
        ({"title": "x", "priority": 3}, "body.priority"),
        ({"title": "x", "id": 7}, "body.id"),
        ({"title": "x", "user_id": "0b7c6c2e-8d7a-4a53-9b60-2d9a5c1f2b11"}, "body.user_id"),
        ({"title": "x", "created_at": "2020-01-01T00:00:00Z"}, "body.created_at"),
        ({"title": "x", "updated_at": "2020-01-01T00:00:00Z"}, "body.updated_at"),
    ],
)
def test_refuses_invalid_bodies_naming_the_field(
    client: TestClient, db: TestDb, alice: ApiUser, body: dict[str, object], field: str
) -> None:
    response = client.post(alice.tasks_url, json=body, headers=alice.headers)

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 422
    assert field in [error["field"] for error in problem["errors"]]
    assert _rows(db) == (0, 0)  # nothing created, nobody provisioned


def test_lone_surrogate_is_a_422_not_a_500(client: TestClient, alice: ApiUser) -> None:
    raw = b'{"title": "broken \\ud800 surrogate"}'
    response = client.post(
        alice.tasks_url,
        content=raw,
        headers={**alice.headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.title"


@pytest.mark.parametrize("raw", [b"{bad json", b'{"title": "x"', b"\xff\xfe"])
def test_malformed_json_is_a_400(client: TestClient, alice: ApiUser, raw: bytes) -> None:
    response = client.post(
        alice.tasks_url, content=raw, headers={**alice.headers, "Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["type"].endswith("malformed-json")


@pytest.mark.parametrize("body", [b"[]", b'"title"', b"42", b"null"])
def test_a_body_that_is_not_an_object_is_a_422(
    client: TestClient, alice: ApiUser, body: bytes
) -> None:
    response = client.post(
        alice.tasks_url, content=body, headers={**alice.headers, "Content-Type": "application/json"}
    )
    assert response.status_code == 422


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_a_body_that_is_not_declared_json_is_a_415(
    client: TestClient, db: TestDb, alice: ApiUser, content_type: str | None
) -> None:
    headers = dict(alice.headers)
    if content_type is not None:
        headers["Content-Type"] = content_type
    response = client.post(alice.tasks_url, content=b'{"title": "x"}', headers=headers)
    assert response.status_code == 415
    assert _rows(db) == (0, 0)


def test_merge_patch_json_media_type_is_accepted(client: TestClient, alice: ApiUser) -> None:
    headers = {**alice.headers, "Content-Type": "application/merge-patch+json"}
    response = client.post(alice.tasks_url, content=b'{"title": "x"}', headers=headers)
    assert response.status_code == 201


def test_a_body_that_is_not_utf8_is_malformed_json(client: TestClient, alice: ApiUser) -> None:
    response = client.post(
        alice.tasks_url,
        content=b'{"title": "\xff"}',
        headers={**alice.headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["type"].endswith("malformed-json")
