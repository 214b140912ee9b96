"""PATCH /api/{user_id}/tasks/{task_id} (JSON merge patch)"""

import pytest
from fastapi.testclient import TestClient

from tests.support.api_users import ApiUser, create_task, parse_utc
from tests.support.db import TestDb


def test_changes_only_the_fields_sent(client: TestClient, alice: ApiUser) -> None:
    task = create_task(client, alice, title="t", description="d")

    response = client.patch(
        alice.task_url(task["id"]), json={"is_completed": True}, headers=alice.headers
    )

    assert response.status_code == 200
    patched = response.json()
    assert patched["is_completed"] is True
    assert (patched["title"], patched["description"]) == ("t", "d")
    assert parse_utc(patched["updated_at"]) > parse_utc(task["updated_at"])


def test_null_description_clears_it(client: TestClient, alice: ApiUser) -> None:
    task = create_task(client, alice, description="to clear")
    response = client.patch(
        alice.task_url(task["id"]), json={"description": None}, headers=alice.headers
    )
    assert response.json()["description"] is None


def test_an_empty_patch_changes_nothing(client: TestClient, alice: ApiUser) -> None:
    task = create_task(client, alice)
    response = client.patch(alice.task_url(task["id"]), json={}, headers=alice.headers)
    assert response.status_code == 200
    assert response.json() == task


@pytest.mark.parametrize(
    "body",
    [
        {"title": None},
        {"is_completed": None},
        {"title": ""},
        {"title": " "},
        {"title": "t" * 501},
        {"description": "d" * 5001},
        {"is_completed": "true"},
        {"created_at": "2020-01-01T00:00:00Z"},
        {"colour": "red"},
    ],
)
def test_refuses_invalid_changes(
    client: TestClient, alice: ApiUser, body: dict[str, object]
) -> None:
    task = create_task(client, alice, title="kept")
    response = client.patch(alice.task_url(task["id"]), json=body, headers=alice.headers)
    assert response.status_code == 422, body
    assert client.get(alice.task_url(task["id"]), headers=alice.headers).json() == task


def test_stale_if_match_is_a_412(client: TestClient, alice: ApiUser) -> None:
    task = create_task(client, alice, title="v1")
    stale = client.get(alice.task_url(task["id"]), headers=alice.headers).headers["etag"]
    client.patch(alice.task_url(task["id"]), json={"title": "v2"}, headers=alice.headers)

    response = client.patch(
        alice.task_url(task["id"]),
        json={"title": "v3"},
        headers={**alice.headers, "If-Match": stale},
    )
    assert response.status_code == 412
    # Even an empty patch checks the precondition.
    empty = client.patch(
        alice.task_url(task["id"]), json={}, headers={**alice.headers, "If-Match": stale}
    )
    assert empty.status_code == 412


def test_a_missing_task_is_a_404(client: TestClient, db: TestDb, alice: ApiUser) -> None:
    response = client.patch(alice.task_url(31337), json={"title": "x"}, headers=alice.headers)
    assert response.status_code == 404
    assert db.scalar("SELECT count(*) FROM users") == 0  # a PATCH provisions nobody


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"priority": "urgent"}, "body.priority", "Input should be 'low', 'medium' or 'high'"),
        ({"tags": "work"}, "body.tags", "Input should be a valid list"),
        ({"tags": ["ok", " "]}, "body.tags.1", "String should match pattern"),
        ({"recurring_interval": 0}, "body.recurring_interval", "greater than or equal to 1"),
    ],
)
def test_a_bad_value_of_a_field_that_may_be_null_is_one_error_named_after_the_field(
    client: TestClient, alice: ApiUser, body: dict[str, object], field: str, message: str
) -> None:
    # pydantic reports such a value against both members of `X | None`, each under the
    # member's tag ("body.priority.literal[...]", "body.priority.none"): one error is left.
    task = create_task(client, alice)
    response = client.patch(alice.task_url(task["id"]), json=body, headers=alice.headers)
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["field"] == field
    assert message in error["message"]
