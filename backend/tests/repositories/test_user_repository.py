"""UserRepository on its own: just-in-time provisioning, email sync, deletion.

Most tests run on the `db` fixture (one connection in a transaction rolled back at the end);
the tests of commits and concurrency use `committed_url` and connections of their own.
"""

import asyncio
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from psycopg import AsyncConnection
from psycopg.errors import RaiseException
from psycopg.rows import DictRow, dict_row
from sqlalchemy.engine import URL

from src.core.errors import ConflictError
from src.db.session import DbSession
from src.db.urls import libpq_conninfo
from src.models import TaskCreate
from src.repositories import TaskFilter, TaskRepository, UserRepository
from src.repositories.tasks import Page
from tests.support.db import TestDb, connected

USER_KEYS = {"id", "email", "created_at", "updated_at"}


@pytest.fixture
def users(db: TestDb) -> UserRepository:
    return UserRepository(db.session)


def user_rows(db: TestDb, **where: Any) -> list[dict[str, Any]]:
    """users rows as the database holds them (naive UTC timestamps), filtered by one column."""
    ((column, value),) = where.items()
    assert column in ("id", "email")
    return db.fetch_all(f"SELECT * FROM users WHERE {column} = %s", (value,))


def task_count(db: TestDb, user_id: uuid.UUID) -> int:
    return int(db.scalar("SELECT count(*) FROM tasks WHERE user_id = %s", (user_id,)))


def naive(value: datetime) -> datetime:
    """A timestamp the repository returned (UTC, with its zone) as the column holds it."""
    assert value.tzinfo is not None, f"{value!r} has no zone"
    assert value.utcoffset() == timedelta(0), f"{value!r} is not UTC"
    return value.replace(tzinfo=None)


def test_get_of_an_unknown_user_is_none(db: TestDb, users: UserRepository) -> None:
    assert db.run(users.get(uuid.uuid4())) is None


def test_ensure_creates_the_user_once(db: TestDb, users: UserRepository) -> None:
    user_id = uuid.uuid4()
    before = datetime.now(UTC)
    user = db.run(users.ensure(user_id, "new@example.com"))

    assert set(user) == USER_KEYS
    assert (user["id"], user["email"]) == (user_id, "new@example.com")
    assert user["created_at"] == user["updated_at"]
    assert abs(user["created_at"] - before) < timedelta(seconds=30)  # aware: comparable
    (row,) = user_rows(db, id=user_id)
    assert (row["email"], row["created_at"], row["updated_at"]) == (
        "new@example.com",
        naive(user["created_at"]),
        naive(user["updated_at"]),
    )
    assert db.run(users.get(user_id)) == user


def test_ensure_is_idempotent(db: TestDb, users: UserRepository) -> None:
    user_id = uuid.uuid4()
    first = db.run(users.ensure(user_id, "same@example.com"))

    for _ in range(3):
        again = db.run(users.ensure(user_id, "same@example.com"))
        assert again == first  # same id, email and timestamps: nothing was written
    # A repository on a fresh session finds the row in the database.
    fresh = UserRepository(DbSession(connection=db.connection))
    assert db.run(fresh.ensure(user_id, "same@example.com")) == first
    assert len(user_rows(db, id=user_id)) == 1
    assert len(user_rows(db, email="same@example.com")) == 1


def test_ensure_follows_a_changed_email(db: TestDb, users: UserRepository) -> None:
    user_id = uuid.uuid4()
    before = db.run(users.ensure(user_id, "old@example.com"))

    after = db.run(users.ensure(user_id, "new@example.com"))

    assert set(after) == USER_KEYS
    assert (after["id"], after["email"]) == (user_id, "new@example.com")
    assert after["created_at"] == before["created_at"]
    assert naive(after["updated_at"]) > naive(before["updated_at"])
    (row,) = user_rows(db, id=user_id)
    assert (row["email"], row["updated_at"]) == ("new@example.com", naive(after["updated_at"]))
    assert user_rows(db, email="old@example.com") == []
    assert db.run(users.get(user_id)) == after


def test_an_email_of_another_user_is_a_conflict_on_creation(
    db: TestDb, users: UserRepository
) -> None:
    owner = uuid.uuid4()
    db.run(users.ensure(owner, "taken@example.com"))

    intruder = uuid.uuid4()
    with pytest.raises(ConflictError) as caught:
        db.run(users.ensure(intruder, "taken@example.com"))

    assert_clean_message(caught.value)
    # The test's transaction is still usable, with the owner's row in it.
    assert user_rows(db, id=intruder) == []
    (row,) = user_rows(db, email="taken@example.com")
    assert row["id"] == owner
    assert db.run(users.ensure(intruder, "free@example.com"))["email"] == "free@example.com"


def test_an_email_of_another_user_is_a_conflict_on_update(
    db: TestDb, users: UserRepository
) -> None:
    owner, other = uuid.uuid4(), uuid.uuid4()
    db.run(users.ensure(owner, "taken@example.com"))
    db.run(users.ensure(other, "mine@example.com"))
    task = db.run(TaskRepository(db.session).create(other, TaskCreate(title="written before")))
    assert task is not None

    with pytest.raises(ConflictError) as caught:
        db.run(users.ensure(other, "taken@example.com"))

    assert_clean_message(caught.value)
    # The refused UPDATE undid only its savepoint: the transaction goes on, the earlier
    # writes in it are still there, and the user can still change to a free address.
    assert user_rows(db, id=other)[0]["email"] == "mine@example.com"
    assert user_rows(db, id=owner)[0]["email"] == "taken@example.com"
    assert task_count(db, other) == 1
    assert db.run(users.ensure(other, "moved@example.com"))["email"] == "moved@example.com"
    assert user_rows(db, email="mine@example.com") == []


def assert_clean_message(error: ConflictError) -> None:
    """A message for the client: no SQL, no constraint names, no chained database error."""
    message = str(error)
    assert message == error.detail
    assert "email" in message
    for leak in ("INSERT", "UPDATE", "SELECT", "ix_users_email", "duplicate key", "DETAIL"):
        assert leak.lower() not in message.lower()
    assert error.__cause__ is None
    assert error.__context__ is None or error.__suppress_context__


def test_delete_removes_the_user_and_all_their_tasks_only(
    db: TestDb, users: UserRepository
) -> None:
    doomed, kept = uuid.uuid4(), uuid.uuid4()
    db.run(users.ensure(doomed, "doomed@example.com"))
    db.run(users.ensure(kept, "kept@example.com"))
    tasks = TaskRepository(db.session)
    for i in range(3):
        db.run(tasks.create(doomed, TaskCreate(title=f"doomed {i}", is_completed=i == 0)))
    for i in range(2):
        db.run(tasks.create(kept, TaskCreate(title=f"kept {i}")))

    assert db.run(users.delete(doomed)) is True
    db.run(db.session.finish(None))  # what the request does: here, releases the savepoint

    assert user_rows(db, id=doomed) == []
    assert task_count(db, doomed) == 0
    assert db.scalar("SELECT count(*) FROM task_counts WHERE user_id = %s", (doomed,)) == 0
    assert db.run(users.get(doomed)) is None
    assert db.run(tasks.list_page(doomed, TaskFilter(), "id", limit=10)) == Page([], 0)
    assert len(user_rows(db, id=kept)) == 1
    assert task_count(db, kept) == 2
    assert db.run(tasks.count(kept, TaskFilter())) == 2
    assert db.run(tasks.list_page(kept, TaskFilter(), "id", limit=10)).total == 2


def test_delete_of_an_unknown_user_reports_false(db: TestDb, users: UserRepository) -> None:
    kept = db.run(users.ensure(uuid.uuid4(), "kept@example.com"))
    assert db.run(users.delete(uuid.uuid4())) is False
    db.run(db.session.finish(None))
    assert user_rows(db, id=kept["id"]) != []


def test_a_deleted_user_is_provisioned_afresh(db: TestDb, users: UserRepository) -> None:
    user_id = uuid.uuid4()
    first = db.run(users.ensure(user_id, "back@example.com"))
    tasks = TaskRepository(db.session)
    db.run(tasks.create(user_id, TaskCreate(title="old")))
    assert db.run(users.delete(user_id)) is True
    db.run(db.session.finish(None))
    assert db.run(tasks.create(user_id, TaskCreate(title="after"))) is None  # no row: none

    again = db.run(users.ensure(user_id, "back@example.com"))
    assert again["id"] == user_id
    assert again["created_at"] >= first["created_at"]
    assert len(user_rows(db, id=user_id)) == 1
    assert task_count(db, user_id) == 0
    assert db.run(tasks.list_page(user_id, TaskFilter(), "id", limit=10)) == Page([], 0)
    assert db.run(tasks.create(user_id, TaskCreate(title="new"))) is not None
    assert db.run(tasks.count(user_id, TaskFilter())) == 1


# --- transactions and concurrency (real commits) -------------------------------------------


async def seen_by(connection: AsyncConnection[DictRow]) -> tuple[dict[uuid.UUID, str], int]:
    """Every user's email and the number of tasks, as `connection` sees them."""
    cursor = await connection.execute("SELECT id, email FROM users")
    emails = {row["id"]: row["email"] for row in await cursor.fetchall()}
    cursor = await connection.execute("SELECT count(*) AS n FROM tasks")
    count = await cursor.fetchone()
    assert count is not None
    return emails, count["n"]


def test_a_transaction_is_invisible_until_finish_commits_it(committed_url: URL) -> None:
    """Outside a transaction each statement commits by itself. Inside `begin()` (which
    `delete` opens, and which a caller may open first) nothing is visible to another
    connection until `finish(None)`; `finish(error)` rolls all of it back."""
    changed, removed, created = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()

    async def scenario() -> None:
        async with connected(committed_url) as setup, connected(committed_url) as other:
            users = UserRepository(DbSession(connection=setup))
            await users.ensure(changed, "before@example.com")
            await users.ensure(removed, "removed@example.com")
            tasks = TaskRepository(DbSession(connection=setup))
            assert await tasks.create(removed, TaskCreate(title="goes with its user"))
            # Autocommit: visible at once.
            before = await seen_by(other)
            assert before == ({changed: "before@example.com", removed: "removed@example.com"}, 1)

            for outcome in (RuntimeError("the request failed"), None):
                async with connected(committed_url) as connection:
                    session = DbSession(connection=connection)
                    users = UserRepository(session)
                    await session.begin()
                    await users.ensure(created, "created@example.com")
                    await users.ensure(changed, "after@example.com")
                    assert await users.delete(removed) is True
                    assert await users.get(created) is not None
                    assert await users.get(removed) is None
                    assert await seen_by(other) == before

                    await session.finish(outcome)
                    if outcome is not None:
                        assert await seen_by(other) == before
                        assert await users.get(created) is None
                    else:
                        assert await seen_by(other) == (
                            {changed: "after@example.com", created: "created@example.com"},
                            0,
                        )

    asyncio.run(scenario())


def test_delete_is_atomic(committed_url: URL) -> None:
    """`delete` is one statement (tasks, keys, then the user): seen whole or not at all, and
    when deleting the user fails the tasks' deletion is undone."""
    doomed, survivor = uuid.uuid4(), uuid.uuid4()

    async def scenario() -> None:
        async with connected(committed_url) as setup, connected(committed_url) as other:
            setup_session = DbSession(connection=setup)
            for user_id, email in (
                (doomed, "doomed@example.com"),
                (survivor, "vetoed@example.com"),
            ):
                await UserRepository(setup_session).ensure(user_id, email)
                for i in range(3):
                    assert await TaskRepository(setup_session).create(
                        user_id, TaskCreate(title=f"task {i}")
                    )
            before = await seen_by(other)
            assert before[1] == 6

            # Without a caller's begin(): one statement, committed whole.
            async with connected(committed_url) as connection:
                session = DbSession(connection=connection)
                assert await UserRepository(session).delete(doomed) is True
                await session.finish(None)
            emails, tasks_left = await seen_by(other)
            assert (doomed in emails, tasks_left) == (False, 3)

            # The users DELETE fails (a veto in this throw-away database): the tasks stay.
            await setup.execute(
                """
                CREATE FUNCTION veto() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'vetoed';
                END
                $$
                """
            )
            await setup.execute(
                "CREATE TRIGGER veto BEFORE DELETE ON users FOR EACH ROW "
                "WHEN (OLD.email = 'vetoed@example.com') EXECUTE FUNCTION veto()"
            )
            async with connected(committed_url) as connection:
                session = DbSession(connection=connection)
                with pytest.raises(RaiseException) as caught:
                    await UserRepository(session).delete(survivor)
                await session.finish(caught.value)
                emails, tasks_left = await seen_by(other)
                assert (survivor in emails, tasks_left) == (True, 3)
                repo = TaskRepository(session)  # the connection is usable again
                assert await repo.count(survivor, TaskFilter()) == 3

    asyncio.run(scenario())


ENSURE_ROUNDS = 150
ENSURE_CALLERS = 20


@pytest.mark.parametrize("in_transaction", [False, True], ids=["autocommit", "transaction"])
def test_concurrent_first_ensures_of_one_user_all_succeed(
    committed_url: URL, in_transaction: bool
) -> None:
    """Simultaneous first requests of a new user (one token, so one id and one email) must all
    get the user, never a ConflictError: the email's unique index must not trip on the row a
    concurrent twin is inserting. Each caller has its own connection; the race window is
    narrow, hence many rounds."""

    async def ensure_once(
        connection: AsyncConnection[DictRow], user_id: uuid.UUID, email: str
    ) -> str:
        """One request's ensure (and commit); "ok" or what went wrong."""
        session = DbSession(connection=connection)
        try:
            if in_transaction:
                await session.begin()
            user = await UserRepository(session).ensure(user_id, email)
            await session.finish(None)
        except Exception as exc:
            await session.finish(exc)
            return f"{type(exc).__name__}: {exc}"
        return "ok" if (user["id"], user["email"]) == (user_id, email) else "wrong user"

    async def scenario() -> Counter[str]:
        outcomes: Counter[str] = Counter()
        async with connected(committed_url) as observer:
            connections = [
                await AsyncConnection.connect(
                    libpq_conninfo(committed_url), autocommit=True, row_factory=dict_row
                )
                for _ in range(ENSURE_CALLERS)
            ]
            try:
                for _ in range(ENSURE_ROUNDS):
                    user_id = uuid.uuid4()
                    email = f"{user_id.hex[:12]}@example.com"
                    results = await asyncio.gather(
                        *(ensure_once(connection, user_id, email) for connection in connections)
                    )
                    outcomes.update(results)
                    cursor = await observer.execute(
                        "SELECT count(*) AS n FROM users WHERE id = %s OR email = %s",
                        (user_id, email),
                    )
                    row = await cursor.fetchone()
                    assert row is not None
                    assert row["n"] == 1
            finally:
                for connection in connections:
                    await connection.close()
        return outcomes

    outcomes = asyncio.run(scenario())
    assert outcomes == {"ok": ENSURE_ROUNDS * ENSURE_CALLERS}
