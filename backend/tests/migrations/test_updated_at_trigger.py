"""Revision 002's trigger: updated_at becomes the statement's time in UTC whatever the
session's TimeZone, moves only when the row changed, and never goes backwards."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Connection, text
from sqlmodel import Session

LONG_AGO = datetime(2000, 1, 1)


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@pytest.fixture(params=["Pacific/Kiritimati", "America/Los_Angeles"])  # UTC+14, UTC-8/-7
def conn(request: pytest.FixtureRequest, session: Session) -> Connection:
    connection = session.connection()
    connection.exec_driver_sql(f"SET LOCAL TIME ZONE '{request.param}'")
    assert connection.exec_driver_sql("SHOW TimeZone").scalar() == request.param
    return connection


def insert_user_and_task(conn: Connection, updated_at: datetime) -> tuple[uuid.UUID, int]:
    user = uuid.uuid4()
    conn.execute(
        text(
            "INSERT INTO users (id, email, created_at, updated_at) VALUES (:id, :email, :at, :at)"
        ),
        {"id": user, "email": f"{user}@example.com", "at": updated_at},
    )
    task = conn.execute(
        text(
            "INSERT INTO tasks (user_id, title, created_at, updated_at)"
            " VALUES (:user, 'Title', :at, :at) RETURNING id"
        ),
        {"user": user, "at": updated_at},
    ).scalar_one()
    return user, int(task)


def updated_at(conn: Connection, table: str, row_id: object) -> datetime:
    sql = text(f"SELECT updated_at FROM {table} WHERE id = :id")
    value: datetime = conn.execute(sql, {"id": row_id}).scalar_one()
    return value


def test_an_update_moves_updated_at_to_utc_now(conn: Connection) -> None:
    user, task = insert_user_and_task(conn, LONG_AGO)
    conn.execute(text("UPDATE users SET email = 'new@example.com' WHERE id = :id"), {"id": user})
    conn.execute(text("UPDATE tasks SET title = 'Changed' WHERE id = :id"), {"id": task})

    for table, row_id in [("users", user), ("tasks", task)]:
        assert abs(updated_at(conn, table, row_id) - utcnow()) < timedelta(seconds=5)


def test_an_update_that_changes_nothing_leaves_updated_at(conn: Connection) -> None:
    user, task = insert_user_and_task(conn, LONG_AGO)
    conn.execute(text("UPDATE users SET email = email WHERE id = :id"), {"id": user})
    conn.execute(text("UPDATE tasks SET title = title WHERE id = :id"), {"id": task})

    assert updated_at(conn, "users", user) == LONG_AGO
    assert updated_at(conn, "tasks", task) == LONG_AGO


def test_updated_at_ahead_of_the_clock_moves_forwards(conn: Connection) -> None:
    ahead = utcnow() + timedelta(hours=1)
    _, task = insert_user_and_task(conn, ahead)
    conn.execute(text("UPDATE tasks SET title = 'Changed' WHERE id = :id"), {"id": task})
    assert updated_at(conn, "tasks", task) == ahead + timedelta(microseconds=1)


def test_two_updates_at_one_statement_time_move_forwards(conn: Connection) -> None:
    """The statements of a DO block share the statement_timestamp() of the DO."""
    _, task = insert_user_and_task(conn, LONG_AGO)
    conn.exec_driver_sql("CREATE TEMP TABLE seen (at timestamp) ON COMMIT DROP")
    conn.exec_driver_sql(
        f"""
        DO $$ BEGIN
            UPDATE tasks SET title = 'First' WHERE id = {task};
            INSERT INTO seen SELECT updated_at FROM tasks WHERE id = {task};
            UPDATE tasks SET title = 'Second' WHERE id = {task};
            INSERT INTO seen SELECT updated_at FROM tasks WHERE id = {task};
        END $$
        """
    )
    first, second = conn.execute(text("SELECT at FROM seen")).scalars()
    assert second == first + timedelta(microseconds=1)
