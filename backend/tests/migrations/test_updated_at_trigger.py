"""Revision 002's trigger: updated_at becomes the statement's time in UTC whatever the
session's TimeZone, moves only when the row changed, and never goes backwards."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from tests.support.db import TestDb

LONG_AGO = datetime(2000, 1, 1)


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@pytest.fixture(params=["Pacific/Kiritimati", "America/Los_Angeles"])  # UTC+14, UTC-8/-7
def conn(request: pytest.FixtureRequest, db: TestDb) -> TestDb:
    """The test's transaction on the migrated database, in a time zone far from UTC."""
    db.execute(f"SET LOCAL TIME ZONE '{request.param}'")
    assert db.scalar("SHOW TimeZone") == request.param
    return db


def insert_user_and_task(conn: TestDb, updated_at: datetime) -> tuple[uuid.UUID, int]:
    user = uuid.uuid4()
    conn.execute(
        "INSERT INTO users (id, email, created_at, updated_at)"
        " VALUES (%(id)s, %(email)s, %(at)s, %(at)s)",
        {"id": user, "email": f"{user}@example.com", "at": updated_at},
    )
    task = conn.scalar(
        "INSERT INTO tasks (user_id, title, created_at, updated_at)"
        " VALUES (%(user)s, 'Title', %(at)s, %(at)s) RETURNING id",
        {"user": user, "at": updated_at},
    )
    return user, int(task)


def updated_at(conn: TestDb, table: str, row_id: object) -> datetime:
    value = conn.scalar(f"SELECT updated_at FROM {table} WHERE id = %s", (row_id,))
    assert isinstance(value, datetime)
    assert value.tzinfo is None  # TIMESTAMP WITHOUT TIME ZONE, holding UTC
    return value


def test_an_update_moves_updated_at_to_utc_now(conn: TestDb) -> None:
    user, task = insert_user_and_task(conn, LONG_AGO)
    conn.execute("UPDATE users SET email = %s WHERE id = %s", (f"new-{user}@example.com", user))
    conn.execute("UPDATE tasks SET title = 'Changed' WHERE id = %s", (task,))

    for table, row_id in [("users", user), ("tasks", task)]:
        assert abs(updated_at(conn, table, row_id) - utcnow()) < timedelta(seconds=5)


def test_an_update_that_changes_nothing_leaves_updated_at(conn: TestDb) -> None:
    user, task = insert_user_and_task(conn, LONG_AGO)
    assert conn.execute("UPDATE users SET email = email WHERE id = %s", (user,)) == 1
    assert conn.execute("UPDATE tasks SET title = title WHERE id = %s", (task,)) == 1

    assert updated_at(conn, "users", user) == LONG_AGO
    assert updated_at(conn, "tasks", task) == LONG_AGO


def test_updated_at_ahead_of_the_clock_moves_forwards(conn: TestDb) -> None:
    ahead = utcnow() + timedelta(hours=1)
    _, task = insert_user_and_task(conn, ahead)
    conn.execute("UPDATE tasks SET title = 'Changed' WHERE id = %s", (task,))
    assert updated_at(conn, "tasks", task) == ahead + timedelta(microseconds=1)


def test_two_updates_at_one_statement_time_move_forwards(conn: TestDb) -> None:
    """The statements of a DO block share the statement_timestamp() of the DO."""
    _, task = insert_user_and_task(conn, LONG_AGO)
    conn.execute("CREATE TEMP TABLE seen (at timestamp) ON COMMIT DROP")
    conn.execute(
        f"""
        DO $$ BEGIN
            UPDATE tasks SET title = 'First' WHERE id = {task};
            INSERT INTO seen SELECT updated_at FROM tasks WHERE id = {task};
            UPDATE tasks SET title = 'Second' WHERE id = {task};
            INSERT INTO seen SELECT updated_at FROM tasks WHERE id = {task};
        END $$
        """
    )
    first, second = [row["at"] for row in conn.fetch_all("SELECT at FROM seen")]
    assert second == first + timedelta(microseconds=1)
