"""Revision 011's outbox through the API: each committed change is one event, in order, with
the task as the API answered it; a change that rolls back leaves none (src/events/,
docs/events.md)."""

import contextlib
import json
from typing import Any

from fastapi.testclient import TestClient

from src.events.cloudevents import cloud_event, encode, subject_of
from src.repositories.outbox import OutboxRepository
from tests.support.api_users import ApiUser, create_task, parse_utc
from tests.support.db import TestDb, sql

SOURCE = "/task-api-test"


def published(db: TestDb) -> list[tuple[str, dict[str, Any]]]:
    """The outbox as the relay would publish it: (subject, CloudEvent JSON), oldest first."""
    rows = db.run(OutboxRepository(db.session).oldest(1000))
    return [(subject_of(row), json.loads(encode(cloud_event(row, SOURCE)))) for row in rows]


def test_each_change_is_one_cloud_event_with_the_task_as_the_api_answered(
    client: TestClient, db: TestDb, alice: ApiUser
) -> None:
    created = create_task(client, alice, priority="high", tags=["Work"])
    url = alice.task_url(created["id"])
    replaced = client.put(url, json={"title": "Buy oat milk"}, headers=alice.headers).json()
    same = client.put(url, json={"title": "Buy oat milk"}, headers=alice.headers)
    assert same.status_code == 200  # changes nothing: no event
    completed = client.patch(f"{url}/complete", headers=alice.headers)
    assert completed.status_code == 200, completed.text
    assert client.delete(url, headers=alice.headers).status_code == 204

    events = published(db)

    assert [event["type"] for _, event in events] == [
        "com.taskapi.user.created",
        "com.taskapi.task.created",
        "com.taskapi.task.updated",
        "com.taskapi.task.completed",
        "com.taskapi.task.deleted",
    ]
    assert {subject for subject, _ in events[1:]} == {f"task-events.{alice.user_id}"}
    assert events[0][0] == f"user-events.{alice.user_id}"
    tasks = [event["data"]["task_data"] for _, event in events[1:]]
    assert tasks[:3] == [created, replaced, completed.json()]
    assert tasks[3] == completed.json()  # the row as the deletion found it
    for _, event in events[1:]:
        assert event["specversion"] == "1.0"
        assert event["source"] == SOURCE
        assert event["subject"] == f"tasks/{created['id']}"
        assert event["data"]["task_id"] == created["id"]
        assert event["data"]["user_id"] == str(alice.user_id)
        assert event["data"]["event_type"] == event["type"].rsplit(".", 1)[1]
        assert parse_utc(event["time"]) == parse_utc(event["data"]["timestamp"])
    assert len({event["id"] for _, event in events}) == len(events)


def test_a_change_that_rolls_back_leaves_no_event(
    client: TestClient, db: TestDb, alice: ApiUser
) -> None:
    create_task(client, alice)
    before = published(db)

    async def rolled_back() -> None:
        async with db.session.savepoint():
            await db.session.execute(
                sql("UPDATE tasks SET title = 'never committed' WHERE user_id = %(u)s"),
                {"u": alice.user_id},
            )
            assert len(published_rows := await OutboxRepository(db.session).oldest(1000)) == (
                len(before) + 1
            ), published_rows
            raise LookupError  # undoes the savepoint

    with contextlib.suppress(LookupError):
        db.run(rolled_back())

    assert published(db) == before


def test_deleting_the_user_is_one_event_not_one_per_task(
    client: TestClient, db: TestDb, alice: ApiUser
) -> None:
    create_task(client, alice)
    create_task(client, alice)
    assert client.delete("/api/users/me", headers=alice.headers).status_code == 204

    types = [event["type"] for _, event in published(db)]

    assert types == [
        "com.taskapi.user.created",
        "com.taskapi.task.created",
        "com.taskapi.task.created",
        "com.taskapi.user.deleted",
    ]


def test_completing_a_recurring_task_publishes_its_completion_and_the_next_occurrence(
    client: TestClient, db: TestDb, alice: ApiUser
) -> None:
    task = create_task(client, alice, due_date="2026-12-07T09:00:00Z", recurring_rule="weekly")
    done = client.patch(f"{alice.task_url(task['id'])}/complete", headers=alice.headers)
    assert done.status_code == 200, done.text

    events = [event for _, event in published(db)][1:]

    # The completion, the next occurrence, then the completed task's link to it: the three
    # writes of the completion's transaction, in the order it made them.
    next_id = done.json()["next_occurrence_id"]
    assert [(e["type"], e["data"]["task_id"]) for e in events] == [
        ("com.taskapi.task.created", task["id"]),
        ("com.taskapi.task.completed", task["id"]),
        ("com.taskapi.task.created", next_id),
        ("com.taskapi.task.updated", task["id"]),
    ]
    assert events[2]["data"]["task_data"]["due_date"] == "2026-12-14T09:00:00Z"
    assert events[3]["data"]["task_data"] == done.json()
