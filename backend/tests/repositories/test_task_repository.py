"""TaskRepository on its own, against the migrated schema (trigger of revision 002 included).

Rows whose sort keys must tie are inserted with plain SQL, with the timestamps and titles
chosen by the test: the repository always stamps "now", and the trigger moves updated_at on
every UPDATE, so neither could produce equal keys on demand.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, func, insert, select, text
from sqlmodel import Session, col

from src.errors import NotFoundError, PreconditionFailedError
from src.models import Task, TaskCreate
from src.pagination import SORT_ORDERS, Position, sort_column
from src.repositories import TaskFilter, TaskRepository, UserRepository

T0 = datetime(2030, 1, 1, 12, 0, 0)
MICROSECOND = timedelta(microseconds=1)


def utc_now() -> datetime:
    """Now as the columns hold it (naive UTC), computed independently of src/."""
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Row:
    id: int
    title: str
    created_at: datetime
    updated_at: datetime

    def key(self, column: str) -> Any:
        return getattr(self, column)


@pytest.fixture
def repo(session: Session) -> TaskRepository:
    return TaskRepository(session)


@pytest.fixture
def alice(session: Session) -> uuid.UUID:
    return UserRepository(session).ensure(uuid.uuid4(), "alice@example.com").id


@pytest.fixture
def bob(session: Session) -> uuid.UUID:
    return UserRepository(session).ensure(uuid.uuid4(), "bob@example.com").id


def insert_task(
    session: Session,
    user_id: uuid.UUID,
    title: str = "a task",
    *,
    description: str | None = None,
    is_completed: bool = False,
    created_at: datetime = T0,
    updated_at: datetime | None = None,
) -> Row:
    updated_at = updated_at or created_at
    task_id = session.execute(
        insert(Task)
        .values(
            user_id=user_id,
            title=title,
            description=description,
            is_completed=is_completed,
            created_at=created_at,
            updated_at=updated_at,
        )
        .returning(col(Task.id))
    ).scalar_one()
    return Row(task_id, title, created_at, updated_at)


def stored(session: Session, task_id: int) -> dict[str, Any] | None:
    """The row as the database holds it, bypassing the session's identity map."""
    row = session.connection().execute(text("SELECT * FROM tasks WHERE id = :id"), {"id": task_id})
    found = row.mappings().one_or_none()
    return dict(found) if found is not None else None


def ids(tasks: list[Task]) -> list[int]:
    return [task.id for task in tasks if task.id is not None]


# --- create and get ------------------------------------------------------------------------


def test_create_returns_the_stored_task_with_id_and_naive_utc_timestamps(
    session: Session, repo: TaskRepository, alice: uuid.UUID
) -> None:
    before = utc_now()
    task = repo.create(alice, TaskCreate(title="Buy milk", description="2 litres"))
    after = utc_now()

    assert isinstance(task.id, int)
    assert task.user_id == alice
    assert (task.title, task.description, task.is_completed) == ("Buy milk", "2 litres", False)
    assert task.created_at.tzinfo is None
    assert task.created_at == task.updated_at
    slack = timedelta(seconds=5)
    assert before - slack <= task.created_at <= after + slack
    db_now = session.execute(select(func.timezone("UTC", func.clock_timestamp()))).scalar_one()
    assert abs(db_now - task.created_at) < timedelta(seconds=30)

    row = stored(session, task.id)
    assert row is not None
    assert row["user_id"] == alice
    assert row["title"] == "Buy milk"
    assert row["created_at"] == task.created_at
    assert row["updated_at"] == task.updated_at


def test_create_gives_each_task_its_own_id(repo: TaskRepository, alice: uuid.UUID) -> None:
    created = [repo.create(alice, TaskCreate(title=f"t{i}")) for i in range(5)]
    assert len({task.id for task in created}) == 5


def test_create_keeps_is_completed(repo: TaskRepository, alice: uuid.UUID) -> None:
    assert repo.create(alice, TaskCreate(title="done", is_completed=True)).is_completed is True


def test_get_returns_the_owners_task(
    repo: TaskRepository, alice: uuid.UUID, session: Session
) -> None:
    row = insert_task(session, alice, "mine")
    task = repo.get(alice, row.id)
    assert (task.id, task.title, task.user_id) == (row.id, "mine", alice)


def test_get_of_another_users_task_is_not_found(
    repo: TaskRepository, alice: uuid.UUID, bob: uuid.UUID, session: Session
) -> None:
    bobs = insert_task(session, bob, "bob's")
    with pytest.raises(NotFoundError):
        repo.get(alice, bobs.id)
    assert repo.get(bob, bobs.id).title == "bob's"


def test_get_of_a_missing_task_is_not_found(repo: TaskRepository, alice: uuid.UUID) -> None:
    with pytest.raises(NotFoundError):
        repo.get(alice, 2_000_000_000)


# --- list_page: order, ties, keyset --------------------------------------------------------


@pytest.fixture
def sortable(session: Session, alice: uuid.UUID, bob: uuid.UUID) -> list[Row]:
    """Alice's tasks, with ties on every sort key and ids in no particular key order."""
    spec = [  # title, created_at offset, updated_at offset (seconds)
        ("delta", 2, 5),
        ("alpha", 1, 5),
        ("charlie", 2, 1),
        ("alpha", 3, 3),
        ("bravo", 1, 3),
        ("delta", 2, 2),
        ("bravo", 0, 5),
        ("alpha", 1, 3),
    ]
    rows = []
    for title, created, updated in spec:
        rows.append(
            insert_task(
                session,
                alice,
                title,
                created_at=T0 + timedelta(seconds=created),
                updated_at=T0 + timedelta(seconds=updated),
            )
        )
        # Bob's tasks share the keys and interleave the ids; they must never show up.
        insert_task(
            session,
            bob,
            title,
            created_at=T0 + timedelta(seconds=created),
            updated_at=T0 + timedelta(seconds=updated),
        )
    return rows


def expected_order(rows: list[Row], sort: str) -> list[Row]:
    name, descending = sort_column(sort)
    if name == "id":
        return sorted(rows, key=lambda r: r.id, reverse=descending)
    return sorted(rows, key=lambda r: (r.key(name), r.id), reverse=descending)


def position_of(row: Row, sort: str) -> Position:
    return Position(key=row.key(sort_column(sort)[0]), task_id=row.id)


def test_there_are_eight_sort_orders() -> None:
    assert sorted(SORT_ORDERS) == sorted(
        ["created_at", "-created_at", "updated_at", "-updated_at", "title", "-title", "id", "-id"]
    )


@pytest.mark.parametrize("sort", SORT_ORDERS)
def test_list_page_orders_by_the_sort_key_then_id(
    repo: TaskRepository, alice: uuid.UUID, sortable: list[Row], sort: str
) -> None:
    page = repo.list_page(alice, TaskFilter(), sort, limit=100)
    assert ids(page) == [row.id for row in expected_order(sortable, sort)]
    assert all(task.user_id == alice for task in page)


@pytest.mark.parametrize("sort", SORT_ORDERS)
def test_list_page_after_a_position_continues_right_after_that_row(
    repo: TaskRepository, alice: uuid.UUID, sortable: list[Row], sort: str
) -> None:
    order = expected_order(sortable, sort)
    for index, row in enumerate(order):
        rest = repo.list_page(alice, TaskFilter(), sort, limit=100, after=position_of(row, sort))
        assert ids(rest) == [r.id for r in order[index + 1 :]], f"after {row}"


@pytest.mark.parametrize("sort", SORT_ORDERS)
def test_walking_pages_yields_every_task_once_in_order(
    repo: TaskRepository, alice: uuid.UUID, sortable: list[Row], sort: str
) -> None:
    name = sort_column(sort)[0]
    walked: list[int] = []
    after: Position | None = None
    for _ in range(len(sortable) + 1):
        page = repo.list_page(alice, TaskFilter(), sort, limit=3, after=after)
        assert len(page) <= 3
        if not page:
            break
        walked += ids(page)
        last = page[-1]
        assert last.id is not None
        after = Position(key=getattr(last, name), task_id=last.id)
    assert walked == [row.id for row in expected_order(sortable, sort)]


def test_list_page_respects_the_limit(
    repo: TaskRepository, alice: uuid.UUID, sortable: list[Row]
) -> None:
    first_two = repo.list_page(alice, TaskFilter(), "id", limit=2)
    assert ids(first_two) == sorted(row.id for row in sortable)[:2]


def test_list_page_of_a_user_without_tasks_is_empty(
    repo: TaskRepository, sortable: list[Row]
) -> None:
    assert repo.list_page(uuid.uuid4(), TaskFilter(), "-created_at", limit=10) == []


# --- filters and count ---------------------------------------------------------------------


@pytest.fixture
def searchable(session: Session, alice: uuid.UUID, bob: uuid.UUID) -> dict[str, int]:
    spec: list[tuple[str, str | None, bool]] = [
        ("Buy MILK", None, False),
        ("groceries", "oat milk and bread", True),
        ("100% done", None, True),
        ("100 percent", "a 1000 word essay", False),
        ("snake_case", None, False),
        ("snakeXcase", "not an underscore", True),
        ("back\\slash", None, False),
        ("backslash", "no slash at all", False),
        ("Call mom", "about the Milkshake", False),
    ]
    insert_task(session, bob, "bob's milk", description="100% snake_case back\\slash")
    return {
        title: insert_task(session, alice, title, description=description, is_completed=done).id
        for title, description, done in spec
    }


@pytest.mark.parametrize(
    ("filters", "titles"),
    [
        (TaskFilter(), None),
        (TaskFilter(completed=True), {"groceries", "100% done", "snakeXcase"}),
        (
            TaskFilter(completed=False),
            {"Buy MILK", "100 percent", "snake_case", "back\\slash", "backslash", "Call mom"},
        ),
        # Case-insensitive, over the title and the description.
        (TaskFilter(q="milk"), {"Buy MILK", "groceries", "Call mom"}),
        (TaskFilter(q="MiLkShAkE"), {"Call mom"}),
        (TaskFilter(q="milk", completed=False), {"Buy MILK", "Call mom"}),
        (TaskFilter(q="milk", completed=True), {"groceries"}),
        # LIKE's wildcards and escape character are literal.
        (TaskFilter(q="%"), {"100% done"}),
        (TaskFilter(q="100%"), {"100% done"}),
        (TaskFilter(q="_"), {"snake_case"}),
        (TaskFilter(q="snake_c"), {"snake_case"}),
        (TaskFilter(q="\\"), {"back\\slash"}),
        (TaskFilter(q="k\\s"), {"back\\slash"}),
        (TaskFilter(q="\\%"), set()),
        (TaskFilter(q="nothing like this"), set()),
    ],
    ids=lambda value: repr(value) if isinstance(value, TaskFilter) else "",
)
def test_filters_select_the_matching_tasks_and_count_agrees(
    repo: TaskRepository,
    alice: uuid.UUID,
    searchable: dict[str, int],
    filters: TaskFilter,
    titles: set[str] | None,
) -> None:
    expected = set(searchable) if titles is None else titles
    page = repo.list_page(alice, filters, "id", limit=100)
    assert {task.title for task in page} == expected
    assert all(task.user_id == alice for task in page)
    assert repo.count(alice, filters) == len(expected)


def test_count_is_scoped_to_the_user(
    repo: TaskRepository, alice: uuid.UUID, bob: uuid.UUID, searchable: dict[str, int]
) -> None:
    assert repo.count(alice, TaskFilter()) == len(searchable)
    assert repo.count(bob, TaskFilter()) == 1
    assert repo.count(uuid.uuid4(), TaskFilter()) == 0


def test_filters_combine_with_keyset_pagination(
    repo: TaskRepository, alice: uuid.UUID, searchable: dict[str, int]
) -> None:
    filters = TaskFilter(completed=False)
    first = repo.list_page(alice, filters, "title", limit=2)
    last = first[-1]
    assert last.id is not None
    rest = repo.list_page(
        alice, filters, "title", limit=100, after=Position(key=last.title, task_id=last.id)
    )
    walked = [task.title for task in first + rest]
    assert len(walked) == len(set(walked)) == repo.count(alice, filters)
    assert all(not task.is_completed for task in first + rest)


# --- update --------------------------------------------------------------------------------


@pytest.fixture
def task(session: Session, alice: uuid.UUID) -> Row:
    return insert_task(session, alice, "original", description="desc", created_at=T0)


def test_update_applies_the_changes_and_moves_updated_at(
    session: Session, repo: TaskRepository, alice: uuid.UUID, task: Row
) -> None:
    updated = repo.update(alice, task.id, {"title": "changed", "description": None})

    assert (updated.id, updated.title, updated.description) == (task.id, "changed", None)
    assert updated.created_at == task.created_at
    assert updated.updated_at > task.updated_at
    row = stored(session, task.id)
    assert row is not None
    assert (row["title"], row["description"], row["updated_at"]) == (
        "changed",
        None,
        updated.updated_at,
    )


def test_update_refreshes_a_task_already_in_the_session(
    repo: TaskRepository, alice: uuid.UUID, task: Row
) -> None:
    loaded = repo.get(alice, task.id)
    updated = repo.update(alice, task.id, {"is_completed": True})
    assert updated.is_completed is True
    assert repo.get(alice, task.id).is_completed is True
    assert loaded.is_completed is True  # the same identity, not a stale copy


def test_update_with_no_changes_returns_the_task_untouched(
    session: Session, repo: TaskRepository, alice: uuid.UUID, task: Row
) -> None:
    before = stored(session, task.id)
    same = repo.update(alice, task.id, {})
    assert (same.id, same.title, same.updated_at) == (task.id, "original", task.updated_at)
    assert stored(session, task.id) == before


@pytest.mark.parametrize("changes", [{"title": "guarded"}, {}], ids=["changes", "no-changes"])
def test_update_with_if_match_holding_the_current_version_applies(
    repo: TaskRepository, alice: uuid.UUID, task: Row, changes: dict[str, Any]
) -> None:
    versions = [task.updated_at - MICROSECOND, task.updated_at, T0 - timedelta(days=1)]
    updated = repo.update(alice, task.id, changes, if_match=versions)
    assert updated.title == changes.get("title", "original")


@pytest.mark.parametrize("changes", [{"title": "lost"}, {}], ids=["changes", "no-changes"])
@pytest.mark.parametrize(
    "versions",
    [[T0 - MICROSECOND], [T0 + MICROSECOND, T0 - timedelta(hours=1)], []],
    ids=["older", "others", "none"],
)
def test_update_with_a_stale_if_match_fails_and_changes_nothing(
    session: Session,
    repo: TaskRepository,
    alice: uuid.UUID,
    task: Row,
    changes: dict[str, Any],
    versions: list[datetime],
) -> None:
    before = stored(session, task.id)
    with pytest.raises(PreconditionFailedError):
        repo.update(alice, task.id, changes, if_match=versions)
    assert stored(session, task.id) == before


def test_update_after_another_change_rejects_the_old_version(
    session: Session, repo: TaskRepository, alice: uuid.UUID, task: Row
) -> None:
    first = repo.update(alice, task.id, {"title": "first"}, if_match=[task.updated_at])
    with pytest.raises(PreconditionFailedError):
        repo.update(alice, task.id, {"title": "second"}, if_match=[task.updated_at])
    row = stored(session, task.id)
    assert row is not None
    assert (row["title"], row["updated_at"]) == ("first", first.updated_at)


@pytest.mark.parametrize("changes", [{"title": "x"}, {}], ids=["changes", "no-changes"])
@pytest.mark.parametrize("with_if_match", [False, True], ids=["no-if-match", "if-match"])
def test_update_of_a_missing_or_foreign_task_is_not_found(
    session: Session,
    repo: TaskRepository,
    alice: uuid.UUID,
    bob: uuid.UUID,
    changes: dict[str, Any],
    with_if_match: bool,
) -> None:
    bobs = insert_task(session, bob, "bob's")
    before = stored(session, bobs.id)
    for task_id in (bobs.id, 2_000_000_000):
        versions = [bobs.updated_at] if with_if_match else None
        with pytest.raises(NotFoundError):
            repo.update(alice, task_id, changes, if_match=versions)
    assert stored(session, bobs.id) == before


# --- toggle_completed ----------------------------------------------------------------------


def test_toggle_completed_flips_and_moves_updated_at_forward(
    session: Session, repo: TaskRepository, alice: uuid.UUID, task: Row
) -> None:
    done = repo.toggle_completed(alice, task.id)
    assert done.is_completed is True
    assert done.updated_at > task.updated_at
    first_version = done.updated_at

    undone = repo.toggle_completed(alice, task.id)
    assert undone.is_completed is False
    assert undone.updated_at > first_version
    row = stored(session, task.id)
    assert row is not None
    assert (row["is_completed"], row["updated_at"]) == (False, undone.updated_at)


def test_toggle_completed_honours_if_match(
    session: Session, repo: TaskRepository, alice: uuid.UUID, task: Row
) -> None:
    with pytest.raises(PreconditionFailedError):
        repo.toggle_completed(alice, task.id, if_match=[task.updated_at + MICROSECOND])
    row = stored(session, task.id)
    assert row is not None
    assert row["is_completed"] is False

    assert repo.toggle_completed(alice, task.id, if_match=[task.updated_at]).is_completed


def test_toggle_completed_of_another_users_task_is_not_found(
    session: Session, repo: TaskRepository, alice: uuid.UUID, bob: uuid.UUID
) -> None:
    bobs = insert_task(session, bob, "bob's")
    with pytest.raises(NotFoundError):
        repo.toggle_completed(alice, bobs.id)
    with pytest.raises(NotFoundError):
        repo.toggle_completed(alice, bobs.id, if_match=[bobs.updated_at])
    row = stored(session, bobs.id)
    assert row is not None
    assert row["is_completed"] is False


# --- delete --------------------------------------------------------------------------------


def test_delete_without_if_match_removes_the_task(
    session: Session, repo: TaskRepository, alice: uuid.UUID, task: Row
) -> None:
    other = insert_task(session, alice, "stays")
    repo.delete(alice, task.id)
    assert stored(session, task.id) is None
    assert stored(session, other.id) is not None
    with pytest.raises(NotFoundError):
        repo.delete(alice, task.id)


def test_delete_with_the_current_version_removes_the_task(
    session: Session, repo: TaskRepository, alice: uuid.UUID, task: Row
) -> None:
    repo.delete(alice, task.id, if_match=[task.updated_at - MICROSECOND, task.updated_at])
    assert stored(session, task.id) is None


@pytest.mark.parametrize("versions", [[T0 - MICROSECOND], []], ids=["stale", "none"])
def test_delete_with_a_stale_if_match_fails_and_keeps_the_task(
    session: Session,
    repo: TaskRepository,
    alice: uuid.UUID,
    task: Row,
    versions: list[datetime],
) -> None:
    with pytest.raises(PreconditionFailedError):
        repo.delete(alice, task.id, if_match=versions)
    assert stored(session, task.id) is not None


@pytest.mark.parametrize("with_if_match", [False, True], ids=["no-if-match", "if-match"])
def test_delete_of_a_missing_or_foreign_task_is_not_found(
    session: Session,
    repo: TaskRepository,
    alice: uuid.UUID,
    bob: uuid.UUID,
    with_if_match: bool,
) -> None:
    bobs = insert_task(session, bob, "bob's")
    for task_id in (bobs.id, 2_000_000_000):
        with pytest.raises(NotFoundError):
            repo.delete(alice, task_id, if_match=[bobs.updated_at] if with_if_match else None)
    assert stored(session, bobs.id) is not None


# --- transactions --------------------------------------------------------------------------


def test_writes_are_left_uncommitted_for_the_caller(committed_engine: Engine) -> None:
    """The request owns the transaction: nothing a repository writes is visible to another
    connection until the caller commits. (This needs a database where commits are real: in
    the `session` fixture a commit only releases a savepoint of an outer transaction.)"""
    user_id = uuid.uuid4()
    with Session(committed_engine) as setup:
        UserRepository(setup).ensure(user_id, "owner@example.com")
        setup_repo = TaskRepository(setup)
        to_update, to_toggle, to_delete = (
            setup_repo.create(user_id, TaskCreate(title=title)).id
            for title in ("to update", "to toggle", "to delete")
        )
        setup.commit()
    assert to_update is not None
    assert to_toggle is not None
    assert to_delete is not None

    def seen_from_elsewhere() -> dict[int, tuple[str, bool]]:
        with committed_engine.connect() as other:
            rows = other.execute(
                text("SELECT id, title, is_completed FROM tasks WHERE user_id = :u"),
                {"u": user_id},
            )
            return {row.id: (row.title, row.is_completed) for row in rows}

    before = seen_from_elsewhere()
    writes: list[Callable[[TaskRepository], object]] = [
        lambda repo: repo.create(user_id, TaskCreate(title="new")),
        lambda repo: repo.update(user_id, to_update, {"title": "updated"}),
        lambda repo: repo.toggle_completed(user_id, to_toggle),
        lambda repo: repo.delete(user_id, to_delete),
    ]
    with Session(committed_engine) as session:
        repo = TaskRepository(session)
        for write in writes:
            write(repo)
        assert repo.count(user_id, TaskFilter()) == 3  # 3 + 1 created - 1 deleted
        assert repo.get(user_id, to_update).title == "updated"
        assert seen_from_elsewhere() == before
    assert seen_from_elsewhere() == before  # closing the session without commit rolled back
