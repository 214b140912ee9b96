"""Priorities, tags, due dates, reminders and recurrence through the API: what a frontend of
the assignment's Intermediate and Advanced levels sends, and what it gets back."""

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from src.core.pagination import CursorCodec, _b64
from src.core.settings import Settings
from tests.support.api_users import ApiUser, parse_utc
from tests.support.db import TestDb

DUE = "2026-12-31T17:00:00+02:00"  # 15:00 UTC


def create(client: TestClient, user: ApiUser, **fields: Any) -> dict[str, Any]:
    response = client.post(user.tasks_url, json={"title": "t", **fields}, headers=user.headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def titles(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [task["title"] for task in response.json()]


def test_a_frontends_create_request_is_accepted_and_returned_in_utc(
    client: TestClient, db: TestDb, alice: ApiUser
) -> None:
    task = create(
        client,
        alice,
        title="Weekly meeting",
        priority="high",
        tags=["Work", " meetings ", "work"],
        due_date=DUE,
        remind_at="2026-12-31T14:45:00Z",
        recurring_rule="weekly",
    )
    assert task["priority"] == "high"
    assert task["tags"] == ["work", "meetings"]  # trimmed, lower-cased, each once
    assert task["due_date"] == "2026-12-31T15:00:00Z"
    assert task["remind_at"] == "2026-12-31T14:45:00Z"
    assert task["recurring_rule"] == "weekly"
    assert task["recurring_interval"] == 1
    assert task["next_occurrence_id"] is None
    stored = db.fetch_one("SELECT due_date, tags, priority FROM tasks WHERE id = %s", (task["id"],))
    assert stored == {
        "due_date": datetime(2026, 12, 31, 15),
        "tags": ["work", "meetings"],
        "priority": "high",
    }


def test_a_basic_clients_create_gets_the_defaults(client: TestClient, alice: ApiUser) -> None:
    task = create(client, alice, title="Buy milk")
    assert {
        k: task[k] for k in ("priority", "tags", "due_date", "remind_at", "recurring_rule")
    } == {
        "priority": "medium",
        "tags": [],
        "due_date": None,
        "remind_at": None,
        "recurring_rule": None,
    }


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"priority": "urgent"}, "body.priority"),
        ({"tags": [""]}, "body.tags.0"),
        ({"tags": ["x" * 51]}, "body.tags.0"),
        ({"tags": ["a,b"]}, "body.tags.0"),
        ({"tags": [f"t{i}" for i in range(21)]}, "body.tags"),
        ({"tags": "work"}, "body.tags"),
        ({"due_date": "tomorrow"}, "body.due_date"),
        ({"due_date": "2026-12-31T17:00:00"}, "body.due_date"),  # no offset
        ({"due_date": "2026-02-30T00:00:00Z"}, "body.due_date"),
        ({"due_date": "0001-01-01T00:00:00+01:00"}, "body.due_date"),  # before year 1 in UTC
        ({"recurring_rule": "weekly"}, "body"),  # no due date
        ({"recurring_rule": "hourly", "due_date": DUE}, "body.recurring_rule"),
        (
            {"recurring_rule": "daily", "due_date": DUE, "recurring_interval": 0},
            "body.recurring_interval",
        ),
        ({"recurring_interval": 1000}, "body.recurring_interval"),
    ],
)
def test_bad_organization_fields_are_a_422_naming_the_field(
    client: TestClient, db: TestDb, alice: ApiUser, body: dict[str, Any], field: str
) -> None:
    before = db.scalar("SELECT count(*) FROM tasks")
    response = client.post(alice.tasks_url, json={"title": "t", **body}, headers=alice.headers)
    assert response.status_code == 422, response.text
    assert field in [error["field"] for error in response.json()["errors"]]
    assert db.scalar("SELECT count(*) FROM tasks") == before


def test_patch_changes_and_clears_the_new_fields(client: TestClient, alice: ApiUser) -> None:
    task = create(client, alice, priority="low", tags=["home"], due_date=DUE)
    url = alice.task_url(task["id"])
    changed = client.patch(url, json={"priority": "high", "tags": ["Work"]}, headers=alice.headers)
    assert changed.status_code == 200
    assert (changed.json()["priority"], changed.json()["tags"]) == ("high", ["work"])
    assert changed.json()["due_date"] == "2026-12-31T15:00:00Z"  # not sent: kept
    cleared = client.patch(url, json={"due_date": None}, headers=alice.headers)
    assert cleared.json()["due_date"] is None
    for body in ({"priority": None}, {"tags": None}, {"recurring_interval": None}):
        assert client.patch(url, json=body, headers=alice.headers).status_code == 422


def test_clearing_the_due_date_of_a_recurring_task_is_a_409_and_changes_nothing(
    client: TestClient, alice: ApiUser
) -> None:
    task = create(client, alice, due_date=DUE, recurring_rule="daily")
    url = alice.task_url(task["id"])
    response = client.patch(url, json={"due_date": None}, headers=alice.headers)
    assert response.status_code == 409  # conflicts with the stored rule
    assert response.json()["detail"] == "the request conflicts with the stored task"
    assert response.json()["errors"][0]["field"] == "body.due_date"
    assert client.get(url, headers=alice.headers).json()["due_date"] == "2026-12-31T15:00:00Z"
    # Setting a rule on a task without a due date, in a later request, is refused too.
    plain = create(client, alice)
    response = client.patch(
        alice.task_url(plain["id"]), json={"recurring_rule": "daily"}, headers=alice.headers
    )
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "body.recurring_rule"
    # In one body, the two disagree with each other: 422.
    both = {"recurring_rule": "daily", "due_date": None}
    assert client.patch(url, json=both, headers=alice.headers).status_code == 422


def test_put_keeps_the_new_fields_it_does_not_send_and_clears_what_is_null(
    client: TestClient, alice: ApiUser
) -> None:
    task = create(client, alice, priority="high", tags=["a"], due_date=DUE, remind_at=DUE)
    renamed = client.put(alice.task_url(task["id"]), json={"title": "u"}, headers=alice.headers)
    assert renamed.status_code == 200
    body = renamed.json()
    assert (body["priority"], body["tags"], body["due_date"]) == ("high", ["a"], task["due_date"])
    cleared = client.put(
        alice.task_url(task["id"]),
        json={"title": "u", "tags": [], "due_date": None, "remind_at": None},
        headers=alice.headers,
    ).json()
    assert (cleared["priority"], cleared["tags"], cleared["due_date"]) == ("high", [], None)


# -- recurrence ------------------------------------------------------------------------------


def test_completing_a_recurring_task_creates_the_next_occurrence(
    client: TestClient, alice: ApiUser
) -> None:
    task = create(
        client,
        alice,
        title="Pay rent",
        description="to the landlord",
        priority="high",
        tags=["home"],
        due_date="2026-01-31T09:00:00Z",
        remind_at="2026-01-30T09:00:00Z",
        recurring_rule="monthly",
    )
    done = client.patch(f"{alice.task_url(task['id'])}/complete", headers=alice.headers)
    assert done.status_code == 200
    completed = done.json()
    assert completed["is_completed"] is True
    next_id = completed["next_occurrence_id"]
    assert isinstance(next_id, int)
    following = client.get(alice.task_url(next_id), headers=alice.headers).json()
    # RFC 5545: no 31 February, so the next 31st is in March; the reminder moves as much.
    assert following["due_date"] == "2026-03-31T09:00:00Z"
    assert following["remind_at"] == "2026-03-30T09:00:00Z"
    assert following["is_completed"] is False
    assert following["next_occurrence_id"] is None
    same = ("title", "description", "priority", "tags", "recurring_rule", "recurring_interval")
    assert {k: following[k] for k in same} == {k: task[k] for k in same}
    kept = client.get(alice.task_url(task["id"]), headers=alice.headers).json()
    assert (kept["is_completed"], kept["due_date"]) == (True, "2026-01-31T09:00:00Z")  # history


def test_uncompleting_and_completing_again_creates_no_other_occurrence(
    client: TestClient, db: TestDb, alice: ApiUser
) -> None:
    task = create(client, alice, due_date=DUE, recurring_rule="daily", recurring_interval=2)
    url = f"{alice.task_url(task['id'])}/complete"
    first = client.patch(url, json={"is_completed": True}, headers=alice.headers).json()
    assert parse_utc(
        client.get(alice.task_url(first["next_occurrence_id"]), headers=alice.headers).json()[
            "due_date"
        ]
    ) == datetime(2026, 12, 31, 15, tzinfo=UTC) + timedelta(days=2)
    client.patch(url, headers=alice.headers)  # toggle: not done
    again = client.patch(url, headers=alice.headers).json()  # toggle: done again
    assert again["next_occurrence_id"] == first["next_occurrence_id"]
    assert db.scalar("SELECT count(*) FROM tasks WHERE user_id = %s", (alice.user_id,)) == 2


def test_completing_through_put_or_patch_also_schedules(client: TestClient, alice: ApiUser) -> None:
    for method in ("put", "patch"):
        task = create(client, alice, due_date=DUE, recurring_rule="yearly")
        body = {"title": "t", "due_date": DUE, "recurring_rule": "yearly", "is_completed": True}
        response = getattr(client, method)(
            alice.task_url(task["id"]), json=body, headers=alice.headers
        )
        assert response.status_code == 200
        next_id = response.json()["next_occurrence_id"]
        following = client.get(alice.task_url(next_id), headers=alice.headers).json()
        assert following["due_date"] == "2027-12-31T15:00:00Z"


def test_the_recurrence_a_completion_leaves_decides_whether_it_schedules(
    client: TestClient, db: TestDb, alice: ApiUser
) -> None:
    """A completion is one UPDATE only for a task that, as the UPDATE leaves it, recurs with
    no next occurrence yet; the rule sent with the completion counts, not the stored one."""
    count = "SELECT count(*) FROM tasks WHERE user_id = %s"
    plain = create(client, alice, due_date=DUE)
    body = {"title": "t", "due_date": DUE, "recurring_rule": "daily", "is_completed": True}
    made_recurring = client.put(alice.task_url(plain["id"]), json=body, headers=alice.headers)
    assert made_recurring.json()["next_occurrence_id"] is not None
    assert db.scalar(count, (alice.user_id,)) == 2
    recurring = create(client, alice, due_date=DUE, recurring_rule="weekly")
    body = {"title": "t", "due_date": DUE, "recurring_rule": None, "is_completed": True}
    stopped = client.put(alice.task_url(recurring["id"]), json=body, headers=alice.headers)
    assert stopped.json()["next_occurrence_id"] is None
    assert db.scalar(count, (alice.user_id,)) == 3


def test_a_task_without_a_rule_completes_without_a_next_occurrence(
    client: TestClient, db: TestDb, alice: ApiUser
) -> None:
    task = create(client, alice, due_date=DUE)
    done = client.patch(f"{alice.task_url(task['id'])}/complete", headers=alice.headers).json()
    assert done["next_occurrence_id"] is None
    assert db.scalar("SELECT count(*) FROM tasks WHERE user_id = %s", (alice.user_id,)) == 1


# -- filters and sorts -------------------------------------------------------------------


@pytest.fixture
def organized(client: TestClient, alice: ApiUser) -> dict[str, dict[str, Any]]:
    now = datetime.now(UTC)
    specs: dict[str, dict[str, Any]] = {
        "a-late": {"priority": "low", "tags": ["work"], "due_date": now - timedelta(days=2)},
        "b-soon": {
            "priority": "high",
            "tags": ["work", "urgent"],
            "due_date": now + timedelta(days=1),
        },
        "c-none": {"priority": "medium", "tags": ["home"]},
        "d-done": {"priority": "high", "due_date": now - timedelta(days=1), "is_completed": True},
        "e-later": {"priority": "medium", "tags": ["urgent"], "due_date": now + timedelta(days=9)},
    }
    made = {}
    for title, spec in specs.items():
        if "due_date" in spec:
            spec["due_date"] = spec["due_date"].isoformat()
        made[title] = create(client, alice, title=title, **spec)
    return made


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"priority": "high"}, ["b-soon", "d-done"]),
        ({"priority": "high,low"}, ["a-late", "b-soon", "d-done"]),
        ({"tag": "work"}, ["a-late", "b-soon"]),
        ({"tag": "URGENT,work"}, ["b-soon"]),  # all of them, case-insensitive
        ({"overdue": "true"}, ["a-late"]),
        ({"overdue": "false"}, ["b-soon", "c-none", "d-done", "e-later"]),
        ({"priority": "high", "completed": "false"}, ["b-soon"]),
        ({"tag": "urgent", "q": "LATER"}, ["e-later"]),
    ],
)
def test_filters_combine(
    client: TestClient,
    alice: ApiUser,
    organized: dict[str, Any],
    params: dict[str, str],
    expected: list[str],
) -> None:
    response = client.get(
        alice.tasks_url, params={**params, "sort": "title"}, headers=alice.headers
    )
    assert titles(response) == expected
    assert response.headers["x-total-count"] == str(len(expected))


def test_due_before_and_after(
    client: TestClient, alice: ApiUser, organized: dict[str, Any]
) -> None:
    now = datetime.now(UTC)
    params = {
        "due_after": (now - timedelta(days=1, hours=1)).isoformat(),
        "due_before": (now + timedelta(days=2)).isoformat(),
        "sort": "title",
    }
    assert titles(client.get(alice.tasks_url, params=params, headers=alice.headers)) == [
        "b-soon",
        "d-done",
    ]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("due_date", ["a-late", "d-done", "b-soon", "e-later", "c-none"]),
        ("-due_date", ["e-later", "b-soon", "d-done", "a-late", "c-none"]),  # none last too
        ("-priority", ["d-done", "b-soon", "e-later", "c-none", "a-late"]),  # ties: id desc
        ("priority", ["a-late", "c-none", "e-later", "b-soon", "d-done"]),
    ],
)
def test_sorts_and_their_cursors_page_through_everything_once(
    client: TestClient, alice: ApiUser, organized: dict[str, Any], sort: str, expected: list[str]
) -> None:
    seen: list[str] = []
    url: str | None = alice.tasks_url
    params: dict[str, Any] | None = {"sort": sort, "limit": 2}
    while url:
        response = client.get(url, params=params, headers=alice.headers)
        seen += titles(response)
        link = response.headers.get("link")
        url, params = (link.split(">")[0].lstrip("<"), None) if link else (None, None)
    assert seen == expected


def test_a_cursor_is_refused_with_other_filters(
    client: TestClient, alice: ApiUser, organized: dict[str, Any]
) -> None:
    first = client.get(
        alice.tasks_url, params={"priority": "high,medium", "limit": 1}, headers=alice.headers
    )
    cursor = first.headers["link"].split("cursor=")[1].split(">")[0]
    same: dict[str, str | int] = {"limit": 1, "cursor": cursor}
    same["priority"] = "medium,high"  # the same set, in another order
    assert client.get(alice.tasks_url, params=same, headers=alice.headers).status_code == 200
    other: dict[str, str | int] = {"priority": "high", "limit": 1, "cursor": cursor}
    response = client.get(alice.tasks_url, params=other, headers=alice.headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.cursor"


@pytest.mark.parametrize(
    "params",
    [
        {"priority": "urgent"},
        {"priority": ""},
        {"tag": ""},
        {"tag": "a," + "x" * 51},
        {"due_before": "yesterday"},
        {"due_after": "2026-13-01T00:00:00Z"},
        {"overdue": "maybe"},
        {"sort": "due"},
    ],
)
def test_bad_filter_values_are_a_422(
    client: TestClient, alice: ApiUser, params: dict[str, str]
) -> None:
    response = client.get(alice.tasks_url, params=params, headers=alice.headers)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == f"query.{next(iter(params))}"


def test_tags_lists_the_callers_tags_with_their_counts(
    client: TestClient, alice: ApiUser, bob: ApiUser, organized: dict[str, Any]
) -> None:
    create(client, bob, tags=["secret"])
    response = client.get(f"/api/{alice.sub}/tags", headers=alice.headers)
    assert response.status_code == 200
    assert response.json() == [
        {"tag": "home", "count": 1},
        {"tag": "urgent", "count": 2},
        {"tag": "work", "count": 2},
    ]
    assert client.get(f"/api/{alice.sub}/tags", headers=bob.headers).status_code == 403


def test_tags_follow_every_write(client: TestClient, alice: ApiUser) -> None:
    def tags() -> dict[str, int]:
        listed = client.get(f"/api/{alice.sub}/tags", headers=alice.headers).json()
        return {row["tag"]: row["count"] for row in listed}

    first = create(client, alice, tags=["Work", "home"])
    second = create(client, alice, tags=["work"])
    assert tags() == {"home": 1, "work": 2}
    client.patch(alice.task_url(first["id"]), json={"tags": ["errand"]}, headers=alice.headers)
    assert tags() == {"errand": 1, "work": 1}  # home's last task left it: gone from the list
    client.put(alice.task_url(second["id"]), json={"title": "renamed"}, headers=alice.headers)
    assert tags() == {"errand": 1, "work": 1}  # a PUT without tags keeps them
    client.delete(alice.task_url(second["id"]), headers=alice.headers)
    assert tags() == {"errand": 1}
    client.patch(alice.task_url(first["id"]) + "/complete", headers=alice.headers)
    assert tags() == {"errand": 1}  # completed tasks count too


def test_a_cursor_issued_before_filters_existed_still_pages_an_unfiltered_list(
    client: TestClient, alice: ApiUser, settings: Settings
) -> None:
    """Cursors carried no filter scope before revision 005's deploy; a client paging across
    that deploy keeps going on an unfiltered list."""
    made = [create(client, alice, title=f"t{i}") for i in range(3)]
    first = client.get(alice.tasks_url, params={"limit": 1}, headers=alice.headers).json()[0]
    assert first["id"] == made[-1]["id"]
    # The old payload, signed as the old codec signed it: no "f".
    payload = json.dumps(
        {
            "u": str(alice.user_id),
            "s": "-created_at",
            "k": first["created_at"][:-1],
            "i": first["id"],
        },
        separators=(",", ":"),
    ).encode()
    codec = CursorCodec(settings.cursor_secret.get_secret_value())
    old = f"{_b64(payload)}.{_b64(codec._sign(payload))}"
    rest = client.get(alice.tasks_url, params={"cursor": old}, headers=alice.headers)
    assert titles(rest) == ["t1", "t0"]
    filtered = client.get(
        alice.tasks_url, params={"cursor": old, "priority": "medium"}, headers=alice.headers
    )
    assert filtered.status_code == 422
