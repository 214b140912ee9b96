"""ReminderRepository: the reminders that came due join the outbox, each reminder time of a
task once, never early, never for a completed, deleted or stale one; two relays at once
queue each once (committed, on connections of their own)."""

import asyncio
import uuid
from datetime import timedelta

from sqlalchemy.engine import URL

from src.db.session import DbSession
from src.events.cloudevents import cloud_event
from src.repositories.outbox import OutboxRepository
from src.repositories.reminders import ReminderRepository
from tests.support.db import TestDb, connected

GRACE = timedelta(hours=24)
# (title, reminder relative to now, completed): only "due" and "late" may remind.
TASKS = [
    ("due", "-1 minute", False),
    ("late", "-23 hours", False),
    ("stale", "-25 hours", False),
    ("future", "+1 hour", False),
    ("done", "-1 minute", True),
    ("none", None, False),
]
INSERT = (
    "INSERT INTO tasks (user_id, title, remind_at, due_date, is_completed)"
    " SELECT %(u)s, %(title)s, (now() AT TIME ZONE 'UTC') + %(offset)s::interval,"
    " (now() AT TIME ZONE 'UTC') + interval '1 day', %(done)s"
)


def make_tasks(db: TestDb) -> uuid.UUID:
    user = uuid.uuid4()
    db.execute("INSERT INTO users (id, email) VALUES (%(u)s, %(e)s)", {"u": user, "e": f"{user}@x"})
    for title, offset, done in TASKS:
        db.execute(INSERT, {"u": user, "title": title, "offset": offset, "done": done})
    return user


def reminders(db: TestDb) -> list[str]:
    rows = db.run(OutboxRepository(db.session).oldest(1000))
    return [row["title"] for row in rows if row["kind"] == "reminder"]


def test_each_due_reminder_is_queued_once(db: TestDb) -> None:
    make_tasks(db)
    repository = ReminderRepository(db.session)

    first = db.run(repository.queue_due(GRACE, 100))
    again = db.run(repository.queue_due(GRACE, 100))

    assert (first, again) == (2, 0)
    assert reminders(db) == ["late", "due"]  # oldest reminder time first


def test_a_reminder_moved_is_another_reminder(db: TestDb) -> None:
    user = make_tasks(db)
    repository = ReminderRepository(db.session)
    db.run(repository.queue_due(GRACE, 100))
    db.execute(
        "UPDATE tasks SET remind_at = remind_at - interval '30 seconds'"
        " WHERE user_id = %(u)s AND title = 'due'",
        {"u": user},
    )

    assert db.run(repository.queue_due(GRACE, 100)) == 1
    assert reminders(db) == ["late", "due", "due"]


def test_the_event_carries_the_reminder_fields(db: TestDb) -> None:
    user = make_tasks(db)
    db.run(ReminderRepository(db.session).queue_due(GRACE, 100))
    rows = db.run(OutboxRepository(db.session).oldest(100))
    [row] = [r for r in rows if r["kind"] == "reminder" and r["title"] == "due"]
    task = db.fetch_one("SELECT id, remind_at, due_date FROM tasks WHERE title = 'due'")
    assert task is not None

    event = cloud_event(row, "/test")

    assert event["type"] == "com.taskapi.reminder.due"
    assert event["subject"] == f"tasks/{task['id']}"
    assert event["data"] == {
        "task_id": task["id"],
        "title": "due",
        "due_at": task["due_date"].replace(tzinfo=event["time"].tzinfo),
        "remind_at": task["remind_at"].replace(tzinfo=event["time"].tzinfo),
        "user_id": user,
    }


def test_two_relays_at_once_queue_each_reminder_once(committed_url: URL) -> None:
    async def scenario() -> tuple[list[int], int]:
        async with connected(committed_url) as setup:
            user = uuid.uuid4()
            await setup.execute("INSERT INTO users (id, email) VALUES (%s, 'r@x')", (user,))
            await setup.execute(
                "INSERT INTO tasks (user_id, title, remind_at) SELECT %s, 'r' || i,"
                " (now() AT TIME ZONE 'UTC') - interval '1 minute' FROM generate_series(1, 300) i",
                (user,),
            )
            await setup.execute("DELETE FROM outbox_events")

        async def relay() -> int:
            async with connected(committed_url) as connection:
                repository = ReminderRepository(DbSession(connection=connection))
                return await repository.queue_due(GRACE, 1000)

        queued = list(await asyncio.gather(*(relay() for _ in range(4))))
        async with connected(committed_url) as check:
            cursor = await check.execute(
                "SELECT count(DISTINCT task_id) AS tasks, count(*) AS events FROM outbox_events"
                " WHERE kind = 'reminder'"
            )
            row = await cursor.fetchone()
            assert row is not None
            assert row["tasks"] == row["events"]
            return queued, row["events"]

    queued, events = asyncio.run(scenario())

    assert events == 300
    assert sum(queued) == 300
