"""GET /api/{user_id}/tasks: filters, sort orders, keyset pages, Link and X-Total-Count."""

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support.api_users import ApiUser, create_task

SORTS = ["created_at", "-created_at", "updated_at", "-updated_at", "title", "-title", "id", "-id"]


def _list(client: TestClient, user: ApiUser, **params: Any) -> Any:
    response = client.get(user.tasks_url, params=params, headers=user.headers)
    assert response.status_code == 200, response.text
    return response


def _next_url(response: Any) -> str | None:
    link = response.headers.get("link")
    if link is None:
        return None
    match = re.fullmatch(r'<([^>]+)>; rel="next"', link)
    assert match, link
    return match.group(1)


def _walk(client: TestClient, user: ApiUser, **params: Any) -> list[list[dict[str, Any]]]:
    pages = []
    response = _list(client, user, **params)
    while True:
        pages.append(response.json())
        url = _next_url(response)
        if url is None:
            return pages
        response = client.get(url, headers=user.headers)
        assert response.status_code == 200


def test_empty_list(client: TestClient, alice: ApiUser) -> None:
    response = _list(client, alice)
    assert response.json() == []
    assert response.headers["x-total-count"] == "0"
    assert "link" not in response.headers


def test_default_order_is_newest_first(client: TestClient, alice: ApiUser) -> None:
    ids = [create_task(client, alice, title=f"t{i}")["id"] for i in range(3)]
    assert [t["id"] for t in _list(client, alice).json()] == ids[::-1]


@pytest.mark.parametrize("sort", SORTS)
def test_every_sort_order_pages_through_everything_once(
    client: TestClient, alice: ApiUser, sort: str
) -> None:
    for title in ["pear", "Apple", "fig", "apple", "kiwi", "fig", "date"]:
        create_task(client, alice, title=title)
    client.patch(
        f"{alice.tasks_url}/{_list(client, alice).json()[3]['id']}",
        json={"title": "fig"},
        headers=alice.headers,
    )
    everything = _list(client, alice, sort=sort, limit=200).json()

    pages = _walk(client, alice, sort=sort, limit=2)

    flat = [task for page in pages for task in page]
    assert [len(page) for page in pages] == [2, 2, 2, 1]
    assert flat == everything
    field, descending = sort.removeprefix("-"), sort.startswith("-")
    keys = [(task[field], task["id"]) for task in flat]
    assert keys == sorted(keys, reverse=descending)


def test_pages_keep_the_filters_and_total(client: TestClient, alice: ApiUser) -> None:
    for i in range(5):
        create_task(client, alice, title=f"open {i}")
        create_task(client, alice, title=f"done {i}", is_completed=True)

    first = _list(client, alice, completed="true", limit=2)
    assert first.headers["x-total-count"] == "5"
    url = _next_url(first)
    assert url is not None
    assert url.startswith("http://testserver/api/")
    assert "completed=true" in url
    pages = _walk(client, alice, completed="true", limit=2)
    titles = [task["title"] for page in pages for task in page]
    assert sorted(titles) == [f"done {i}" for i in range(5)]


@pytest.mark.parametrize(("value", "count"), [("true", 1), ("false", 2)])
def test_completed_filter(client: TestClient, alice: ApiUser, value: str, count: int) -> None:
    create_task(client, alice, is_completed=True)
    create_task(client, alice)
    create_task(client, alice)
    response = _list(client, alice, completed=value)
    assert len(response.json()) == count
    assert response.headers["x-total-count"] == str(count)
    assert all(t["is_completed"] is (value == "true") for t in response.json())


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("milk", {"Buy MILK", "Errands"}),
        ("MiLk", {"Buy MILK", "Errands"}),
        ("100%", {"100% done"}),
        ("a_b", {"a_b literal"}),
        ("\\", {"back\\slash"}),
        ("nothing-matches", set()),
    ],
)
def test_q_is_a_case_insensitive_literal_substring(
    client: TestClient, alice: ApiUser, q: str, expected: set[str]
) -> None:
    create_task(client, alice, title="Buy MILK")
    create_task(client, alice, title="Errands", description="oat milk, bread")
    create_task(client, alice, title="100% done")
    create_task(client, alice, title="a_b literal")
    create_task(client, alice, title="axb not literal")
    create_task(client, alice, title="back\\slash")
    response = _list(client, alice, q=q)
    assert {t["title"] for t in response.json()} == expected
    assert response.headers["x-total-count"] == str(len(expected))


def test_limit_bounds(client: TestClient, alice: ApiUser) -> None:
    for _ in range(3):
        create_task(client, alice)
    assert len(_list(client, alice, limit=1).json()) == 1
    assert len(_list(client, alice, limit=200).json()) == 3
    for bad in ("0", "-1", "201", "1000000000", "ten", ""):
        response = client.get(alice.tasks_url, params={"limit": bad}, headers=alice.headers)
        assert response.status_code == 422, bad
        assert response.json()["errors"][0]["field"] == "query.limit"


@pytest.mark.parametrize(
    "params",
    [{"sort": "priority"}, {"sort": "--id"}, {"completed": "maybe"}, {"page": "2"}, {"q": "a\x00"}],
)
def test_bad_query_parameters_are_a_422(
    client: TestClient, alice: ApiUser, params: dict[str, str]
) -> None:
    response = client.get(alice.tasks_url, params=params, headers=alice.headers)
    assert response.status_code == 422


def _cursor(client: TestClient, user: ApiUser, **params: Any) -> str:
    for _ in range(3):
        create_task(client, user)
    url = _next_url(_list(client, user, limit=1, **params))
    assert url is not None
    match = re.search(r"cursor=([^&]+)", url)
    assert match
    return match.group(1)


def test_a_tampered_or_truncated_cursor_is_a_400(client: TestClient, alice: ApiUser) -> None:
    cursor = _cursor(client, alice)
    body, signature = cursor.split(".")
    flipped = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1]
    for bad in (cursor[:-3], f"{flipped}.{signature}", "garbage", "a.b.c", "", "..."):
        response = client.get(alice.tasks_url, params={"cursor": bad}, headers=alice.headers)
        assert response.status_code in (400, 422), bad
        assert response.headers["content-type"] == "application/problem+json"


def test_another_users_cursor_is_a_400(client: TestClient, alice: ApiUser, bob: ApiUser) -> None:
    cursor = _cursor(client, alice)
    response = client.get(bob.tasks_url, params={"cursor": cursor}, headers=bob.headers)
    assert response.status_code == 400
    assert "another user" in response.json()["detail"]


def test_a_cursor_used_with_another_sort_is_a_400(client: TestClient, alice: ApiUser) -> None:
    cursor = _cursor(client, alice)
    response = client.get(
        alice.tasks_url, params={"cursor": cursor, "sort": "title"}, headers=alice.headers
    )
    assert response.status_code == 400
