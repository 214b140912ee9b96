"""UserRepository on its own: just-in-time provisioning, email sync, deletion."""

import threading
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session

from src.errors import ConflictError
from src.models import TaskCreate
from src.repositories import TaskFilter, TaskRepository, UserRepository


@pytest.fixture
def users(session: Session) -> UserRepository:
    return UserRepository(session)


def user_rows(session: Session, **where: Any) -> list[dict[str, Any]]:
    """users rows as the database holds them (not the identity map), filtered by one column."""
    ((column, value),) = where.items()
    assert column in ("id", "email")
    result = session.connection().execute(
        text(f"SELECT * FROM users WHERE {column} = :value"), {"value": value}
    )
    return [dict(row) for row in result.mappings()]


def task_count(session: Session, user_id: uuid.UUID) -> int:
    return int(
        session.connection()
        .execute(text("SELECT count(*) FROM tasks WHERE user_id = :u"), {"u": user_id})
        .scalar_one()
    )


def test_get_of_an_unknown_user_is_none(users: UserRepository) -> None:
    assert users.get(uuid.uuid4()) is None


def test_ensure_creates_the_user_once(session: Session, users: UserRepository) -> None:
    user_id = uuid.uuid4()
    user = users.ensure(user_id, "new@example.com")

    assert (user.id, user.email) == (user_id, "new@example.com")
    assert user.created_at.tzinfo is None
    assert user.created_at == user.updated_at
    (row,) = user_rows(session, id=user_id)
    assert (row["email"], row["created_at"], row["updated_at"]) == (
        "new@example.com",
        user.created_at,
        user.updated_at,
    )
    assert users.get(user_id) is user


def test_ensure_is_idempotent(session: Session, users: UserRepository) -> None:
    user_id = uuid.uuid4()
    first = users.ensure(user_id, "same@example.com")
    created_at, updated_at = first.created_at, first.updated_at

    for _ in range(3):
        again = users.ensure(user_id, "same@example.com")
        assert (again.id, again.email) == (user_id, "same@example.com")
        assert (again.created_at, again.updated_at) == (created_at, updated_at)
    session.expunge_all()  # a fresh session's view: found in the database, not the identity map
    assert users.ensure(user_id, "same@example.com").updated_at == updated_at
    assert len(user_rows(session, id=user_id)) == 1
    assert len(user_rows(session, email="same@example.com")) == 1


def test_ensure_follows_a_changed_email(session: Session, users: UserRepository) -> None:
    user_id = uuid.uuid4()
    before = users.ensure(user_id, "old@example.com")
    created_at, updated_at = before.created_at, before.updated_at

    after = users.ensure(user_id, "new@example.com")

    assert (after.id, after.email) == (user_id, "new@example.com")
    assert after.created_at == created_at
    assert after.updated_at > updated_at
    (row,) = user_rows(session, id=user_id)
    assert (row["email"], row["updated_at"]) == ("new@example.com", after.updated_at)
    assert user_rows(session, email="old@example.com") == []


def test_an_email_of_another_user_is_a_conflict_on_creation(
    session: Session, users: UserRepository
) -> None:
    owner = uuid.uuid4()
    users.ensure(owner, "taken@example.com")
    session.commit()  # the caller's unit of work so far (a savepoint in this fixture)

    intruder = uuid.uuid4()
    with pytest.raises(ConflictError) as caught:
        users.ensure(intruder, "taken@example.com")
    session.rollback()  # what the request does with a failed transaction

    assert_clean_message(caught.value)
    assert user_rows(session, id=intruder) == []
    (row,) = user_rows(session, email="taken@example.com")
    assert row["id"] == owner


def test_an_email_of_another_user_is_a_conflict_on_update(
    session: Session, users: UserRepository
) -> None:
    owner, other = uuid.uuid4(), uuid.uuid4()
    users.ensure(owner, "taken@example.com")
    users.ensure(other, "mine@example.com")
    session.commit()

    with pytest.raises(ConflictError) as caught:
        users.ensure(other, "taken@example.com")
    session.rollback()

    assert_clean_message(caught.value)
    assert user_rows(session, id=other)[0]["email"] == "mine@example.com"
    assert user_rows(session, id=owner)[0]["email"] == "taken@example.com"


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
    session: Session, users: UserRepository
) -> None:
    doomed, kept = uuid.uuid4(), uuid.uuid4()
    users.ensure(doomed, "doomed@example.com")
    users.ensure(kept, "kept@example.com")
    tasks = TaskRepository(session)
    for i in range(3):
        tasks.create(doomed, TaskCreate(title=f"doomed {i}"))
    for i in range(2):
        tasks.create(kept, TaskCreate(title=f"kept {i}"))

    assert users.delete(doomed) is True

    assert user_rows(session, id=doomed) == []
    assert task_count(session, doomed) == 0
    assert users.get(doomed) is None
    assert len(user_rows(session, id=kept)) == 1
    assert task_count(session, kept) == 2
    assert tasks.count(kept, TaskFilter()) == 2


def test_delete_of_an_unknown_user_reports_false(users: UserRepository) -> None:
    assert users.delete(uuid.uuid4()) is False


def test_a_deleted_user_is_provisioned_afresh(session: Session, users: UserRepository) -> None:
    user_id = uuid.uuid4()
    users.ensure(user_id, "back@example.com")
    TaskRepository(session).create(user_id, TaskCreate(title="old"))
    users.delete(user_id)

    again = users.ensure(user_id, "back@example.com")
    assert again.id == user_id
    assert len(user_rows(session, id=user_id)) == 1
    assert task_count(session, user_id) == 0


# --- transactions and concurrency ----------------------------------------------------------


def test_writes_are_left_uncommitted_for_the_caller(committed_engine: Engine) -> None:
    """Nothing the repository writes is visible to another connection before the caller
    commits. (Needs real commits: in the `session` fixture a commit is only a savepoint.)"""
    changed, removed, created = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    with Session(committed_engine) as setup:
        UserRepository(setup).ensure(changed, "before@example.com")
        UserRepository(setup).ensure(removed, "removed@example.com")
        TaskRepository(setup).create(removed, TaskCreate(title="goes with its user"))
        setup.commit()

    def seen_from_elsewhere() -> tuple[dict[uuid.UUID, str], int]:
        with committed_engine.connect() as other:
            emails = {row.id: row.email for row in other.execute(text("SELECT * FROM users"))}
            tasks = other.execute(text("SELECT count(*) FROM tasks")).scalar_one()
            return emails, tasks

    before = seen_from_elsewhere()
    assert before == ({changed: "before@example.com", removed: "removed@example.com"}, 1)
    with Session(committed_engine) as session:
        users = UserRepository(session)
        users.ensure(created, "created@example.com")
        users.ensure(changed, "after@example.com")
        assert users.delete(removed)
        assert users.get(created) is not None
        assert seen_from_elsewhere() == before
    assert seen_from_elsewhere() == before


ENSURE_ROUNDS = 300
ENSURE_CALLERS = 20


def test_concurrent_first_ensures_of_one_user_all_succeed(committed_engine: Engine) -> None:
    """Simultaneous first requests of a new user (one token, so one id and one email) must all
    get the user, never a ConflictError: the email's unique index must not trip on the row a
    concurrent twin is inserting. The race window is narrow, hence many rounds."""
    failures: Counter[str] = Counter()
    with ThreadPoolExecutor(ENSURE_CALLERS) as pool:
        for _ in range(ENSURE_ROUNDS):
            user_id = uuid.uuid4()
            email = f"{user_id.hex[:12]}@example.com"
            start = threading.Barrier(ENSURE_CALLERS)
            call = partial(ensure_at_start, committed_engine, start, user_id, email)
            futures = [pool.submit(call) for _ in range(ENSURE_CALLERS)]
            failures.update(f.result(timeout=120) for f in futures)
            with committed_engine.connect() as conn:
                count = conn.execute(
                    text("SELECT count(*) FROM users WHERE id = :id"), {"id": user_id}
                ).scalar_one()
            assert count == 1
    del failures["ok"]
    assert failures == {}


def ensure_at_start(
    engine: Engine, start: threading.Barrier, user_id: uuid.UUID, email: str
) -> str:
    """One request's ensure + commit, released with its twins; "ok" or what went wrong."""
    with Session(engine) as session:
        session.connection()  # connect before the start line, not after it
        start.wait(timeout=60)
        try:
            user = UserRepository(session).ensure(user_id, email)
            session.commit()
        except Exception as exc:
            return f"{type(exc).__name__}: {exc}"
        return "ok" if (user.id, user.email) == (user_id, email) else "wrong user"
