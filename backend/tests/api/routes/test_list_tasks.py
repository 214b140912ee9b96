"""GET /api/{user_id}/tasks: filters, sort orders, keyset pages, Link and X-Total-Count."""

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support.api_users import ApiUser, create_task
from tests.support.db import TestDb

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


@pytest.mark.parametrize(
    "params", [{}, {"completed": "true"}, {"completed": "false"}, {"q": "x"}, {"sort": "title"}]
)
def test_a_caller_never_seen_gets_an_empty_list_and_is_not_provisioned(
    client: TestClient, db: TestDb, alice: ApiUser, bob: ApiUser, params: dict[str, str]
) -> None:
    create_task(client, alice, title="x marks alice's")

    response = _list(client, bob, **params)

    assert response.json() == []
    assert response.headers["x-total-count"] == "0"
    assert db.fetch_one("SELECT id FROM users WHERE id = %s", (bob.user_id,)) is None
    assert db.scalar("SELECT count(*) FROM users") == 1


def _total(client: TestClient, user: ApiUser, **params: Any) -> int:
    response = _list(client, user, **params)
    return int(response.headers["x-total-count"])


def _totals(client: TestClient, user: ApiUser, q: str = "milk") -> dict[str, int]:
    """X-Total-Count for every filter, each checked against a COUNT(*) of the table."""
    return {
        "all": _total(client, user, limit=1),
        "done": _total(client, user, completed="true", limit=1),
        "open": _total(client, user, completed="false", limit=1),
        # A search is counted when its whole list is on the page (docs/api.md).
        "q": _total(client, user, q=q, limit=200),
        "q done": _total(client, user, q=q, completed="true", limit=200),
    }


def _counted(db: TestDb, user: ApiUser, q: str = "milk") -> dict[str, int]:
    def count(where: str) -> int:
        query = "SELECT count(*) FROM tasks WHERE user_id = %(u)s" + where
        return int(db.scalar(query, {"u": user.user_id, "p": f"%{q}%"}))

    search = " AND (title ILIKE %(p)s OR description ILIKE %(p)s)"
    return {
        "all": count(""),
        "done": count(" AND is_completed"),
        "open": count(" AND NOT is_completed"),
        "q": count(search),
        "q done": count(search + " AND is_completed"),
    }


def test_the_total_follows_creates_toggles_and_deletes(
    client: TestClient, db: TestDb, alice: ApiUser, bob: ApiUser
) -> None:
    milk = create_task(client, alice, title="Buy milk")
    bread = create_task(client, alice, title="Bread", is_completed=True)
    oats = create_task(client, alice, title="Oats", description="and oat MILK")
    for _ in range(3):
        create_task(client, bob, title="bob's milk", is_completed=True)  # never counted
    assert _totals(client, alice) == {"all": 3, "done": 1, "open": 2, "q": 2, "q done": 0}

    client.patch(alice.task_url(milk["id"]) + "/complete", headers=alice.headers)  # toggle
    assert _totals(client, alice) == {"all": 3, "done": 2, "open": 1, "q": 2, "q done": 1}

    client.patch(
        alice.task_url(bread["id"]) + "/complete",
        json={"is_completed": False},
        headers=alice.headers,
    )
    client.put(
        alice.task_url(oats["id"]),
        json={"title": "Oats", "description": None, "is_completed": True},
        headers=alice.headers,
    )  # the PUT also clears the description, and "milk" with it
    assert _totals(client, alice) == {"all": 3, "done": 2, "open": 1, "q": 1, "q done": 1}

    client.patch(alice.task_url(bread["id"]), json={"title": "Milk bread"}, headers=alice.headers)
    assert _totals(client, alice) == {"all": 3, "done": 2, "open": 1, "q": 2, "q done": 1}

    assert client.delete(alice.task_url(milk["id"]), headers=alice.headers).status_code == 204
    assert _totals(client, alice) == {"all": 2, "done": 1, "open": 1, "q": 1, "q done": 0}
    assert _totals(client, alice) == _counted(db, alice)
    assert _totals(client, bob) == {"all": 3, "done": 3, "open": 0, "q": 3, "q done": 3}

    for task in (bread, oats):
        client.delete(alice.task_url(task["id"]), headers=alice.headers)
    assert _totals(client, alice) == {"all": 0, "done": 0, "open": 0, "q": 0, "q done": 0}


@pytest.mark.parametrize(
    "params", [{}, {"completed": "true"}, {"q": "milk"}, {"q": "milk", "completed": "true"}]
)
def test_an_empty_page_past_the_end_still_has_the_total(
    client: TestClient, alice: ApiUser, params: dict[str, str]
) -> None:
    tasks = [create_task(client, alice, title=f"milk {i}", is_completed=True) for i in range(3)]
    first = _list(client, alice, limit=2, **params)
    url = _next_url(first)
    assert url is not None
    assert first.headers.get("x-total-count") == (None if "q" in params else "3")
    # The last page's only task goes away: the next page is empty, and past the end.
    client.delete(alice.task_url(tasks[0]["id"]), headers=alice.headers)

    response = client.get(url, headers=alice.headers)

    assert response.status_code == 200
    assert response.json() == []
    if "q" in params:  # a search is counted only when its whole list is on the first page
        assert "x-total-count" not in response.headers
    else:
        assert response.headers["x-total-count"] == "2"
    assert "link" not in response.headers


def test_a_search_that_goes_on_past_its_page_has_no_total(
    client: TestClient, alice: ApiUser
) -> None:
    for i in range(3):
        create_task(client, alice, title=f"milk {i}", priority="high")
    for params in ({"q": "milk"}, {"priority": "high"}, {"tag": "x"}):
        whole = _list(client, alice, limit=3, **params)
        paged = _list(client, alice, limit=2, **params)
        expected = "0" if "tag" in params else "3"
        assert whole.headers["x-total-count"] == expected
        if "tag" not in params:
            assert "x-total-count" not in paged.headers
            assert _next_url(paged) is not None


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
    [
        {"sort": "importance"},
        {"sort": "--id"},
        {"completed": "maybe"},
        {"page": "2"},
        {"q": "a\x00"},
    ],
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


def test_a_cursor_used_with_another_sort_is_a_422(client: TestClient, alice: ApiUser) -> None:
    cursor = _cursor(client, alice)
    response = client.get(
        alice.tasks_url, params={"cursor": cursor, "sort": "title"}, headers=alice.headers
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.cursor"
