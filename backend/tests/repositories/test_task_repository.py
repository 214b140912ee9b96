"""TaskRepository on its own, against the migrated schema (triggers of revisions 002 and 004).

Most tests run on the `db` fixture: one connection in a transaction rolled back at the end;
the repository and the assertions share it. Rows whose sort keys must tie are inserted with
plain SQL, with the timestamps and titles chosen by the test: the repository always stamps
"now", and the trigger moves updated_at on every UPDATE, so neither could produce equal keys
on demand. Tests of commits and concurrency use `committed_url` and connections of their own.
"""

import asyncio
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest
from psycopg import AsyncConnection
from psycopg.rows import DictRow
from sqlalchemy.engine import URL

from src.core.errors import NotFoundError, PreconditionFailedError
from src.core.pagination import SORT_ORDERS, Position, sort_column
from src.db.session import DbSession
from src.models import TaskCreate, TaskRow
from src.repositories import TaskFilter, TaskRepository, UserRepository
from src.repositories.tasks import Page
from tests.support.db import TestDb, connected

T0 = datetime(2030, 1, 1, 12, 0, 0)
MICROSECOND = timedelta(microseconds=1)
TASK_ROW_KEYS = set(TaskRow.__annotations__)
MISSING_ID = 2_000_000_000


def utc_now() -> datetime:
    """Now as the columns hold it (naive UTC), computed independently of src/."""
    return datetime.now(UTC).replace(tzinfo=None)


def naive(value: datetime) -> datetime:
    """A timestamp the repository returned (UTC, with its zone) as the column holds it."""
    assert value.tzinfo is not None, f"{value!r} has no zone"
    assert value.utcoffset() == timedelta(0), f"{value!r} is not UTC"
    return value.replace(tzinfo=None)


def field(task: TaskRow, name: str) -> Any:
    return cast(Mapping[str, Any], task)[name]


PRIORITY_RANK = {"low": 0, "medium": 1, "high": 2}  # the enum's order


@dataclass(frozen=True)
class Row:
    id: int
    title: str
    created_at: datetime  # naive UTC, as stored
    updated_at: datetime
    priority: str = "medium"
    due_date: datetime | None = None

    def key(self, column: str) -> Any:
        return getattr(self, column)

    def sort_value(self, column: str, descending: bool) -> Any:
        """What the sort compares: the enum's rank for priority; for the due date, tasks
        without one come last in both directions."""
        if column == "priority":
            return PRIORITY_RANK[self.priority]
        if column == "due_date":
            if self.due_date is None:
                return datetime.min if descending else datetime.max
            return self.due_date
        return self.key(column)


@pytest.fixture
def repo(db: TestDb) -> TaskRepository:
    return TaskRepository(db.session)


def provision(db: TestDb, email: str) -> uuid.UUID:
    user = db.run(UserRepository(db.session).ensure(uuid.uuid4(), email))
    user_id = user["id"]
    assert isinstance(user_id, uuid.UUID)
    return user_id


@pytest.fixture
def alice(db: TestDb) -> uuid.UUID:
    return provision(db, "alice@example.com")


@pytest.fixture
def bob(db: TestDb) -> uuid.UUID:
    return provision(db, "bob@example.com")


def insert_task(
    db: TestDb,
    user_id: uuid.UUID,
    title: str = "a task",
    *,
    description: str | None = None,
    is_completed: bool = False,
    created_at: datetime = T0,
    updated_at: datetime | None = None,
    priority: str = "medium",
    due_date: datetime | None = None,
) -> Row:
    """A task inserted with plain SQL (the task_counts triggers count it all the same)."""
    updated_at = updated_at or created_at
    row = db.fetch_one(
        "INSERT INTO tasks (user_id, title, description, is_completed, created_at, updated_at,"
        " priority, due_date) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) RETURNING id",
        (user_id, title, description, is_completed, created_at, updated_at, priority, due_date),
    )
    assert row is not None
    return Row(row["id"], title, created_at, updated_at, priority, due_date)


def stored(db: TestDb, task_id: int) -> dict[str, Any] | None:
    """The row as the database holds it (naive UTC timestamps)."""
    return db.fetch_one("SELECT * FROM tasks WHERE id = %s", (task_id,))


def ids(tasks: list[TaskRow]) -> list[int]:
    return [task["id"] for task in tasks]


def counted(db: TestDb, user_id: uuid.UUID, completed: bool | None = None) -> int:
    """COUNT(*) of the user's tasks, optionally by completion: what X-Total-Count must say."""
    return int(
        db.scalar(
            "SELECT count(*) FROM tasks "
            "WHERE user_id = %(user_id)s"
            " AND (%(completed)s::boolean IS NULL OR is_completed = %(completed)s)",
            {"user_id": user_id, "completed": completed},
        )
    )


# --- create and get ------------------------------------------------------------------------


def test_create_returns_the_stored_task_with_id_and_utc_aware_timestamps(
    db: TestDb, repo: TaskRepository, alice: uuid.UUID
) -> None:
    before = utc_now()
    task = db.run(repo.create(alice, TaskCreate(title="Buy milk", description="2 litres")))
    after = utc_now()

    assert task is not None
    assert set(task) == TASK_ROW_KEYS  # nothing more (no count riding along), nothing less
    assert isinstance(task["id"], int)
    assert task["user_id"] == alice
    assert (task["title"], task["description"], task["is_completed"]) == (
        "Buy milk",
        "2 litres",
        False,
    )
    created_at = naive(task["created_at"])
    assert task["created_at"] == task["updated_at"]
    slack = timedelta(seconds=5)
    assert before - slack <= created_at <= after + slack
    db_now = db.scalar("SELECT timezone('UTC', clock_timestamp())")
    assert abs(db_now - created_at) < timedelta(seconds=30)

    row = stored(db, task["id"])
    assert row is not None
    assert row["user_id"] == alice
    assert row["title"] == "Buy milk"
    assert row["created_at"] == created_at
    assert row["updated_at"] == naive(task["updated_at"])


def test_create_gives_each_task_its_own_id(
    db: TestDb, repo: TaskRepository, alice: uuid.UUID
) -> None:
    created = [db.run(repo.create(alice, TaskCreate(title=f"t{i}"))) for i in range(5)]
    assert len({task["id"] for task in created if task is not None}) == 5


def test_create_keeps_is_completed(db: TestDb, repo: TaskRepository, alice: uuid.UUID) -> None:
    task = db.run(repo.create(alice, TaskCreate(title="done", is_completed=True)))
    assert task is not None
    assert task["is_completed"] is True
    row = stored(db, task["id"])
    assert row is not None
    assert row["is_completed"] is True


def test_create_for_a_user_without_a_row_returns_none_and_inserts_nothing(
    db: TestDb, repo: TaskRepository, alice: uuid.UUID
) -> None:
    stranger = uuid.uuid4()
    tasks_before = db.scalar("SELECT count(*) FROM tasks")

    assert db.run(repo.create(stranger, TaskCreate(title="orphan"))) is None

    assert db.scalar("SELECT count(*) FROM tasks") == tasks_before
    assert db.scalar("SELECT count(*) FROM task_counts WHERE user_id = %s", (stranger,)) == 0
    assert db.scalar("SELECT count(*) FROM users WHERE id = %s", (stranger,)) == 0
    # Once the user is provisioned, the same create succeeds (what the route's retry does).
    db.run(UserRepository(db.session).ensure(stranger, "stranger@example.com"))
    task = db.run(repo.create(stranger, TaskCreate(title="orphan")))
    assert task is not None
    assert task["user_id"] == stranger
    assert counted(db, stranger) == 1


def test_get_returns_the_owners_task(db: TestDb, repo: TaskRepository, alice: uuid.UUID) -> None:
    row = insert_task(
        db, alice, "mine", description="d", created_at=T0, updated_at=T0 + MICROSECOND
    )
    task = db.run(repo.get(alice, row.id))
    assert set(task) == TASK_ROW_KEYS
    assert (task["id"], task["title"], task["description"], task["user_id"]) == (
        row.id,
        "mine",
        "d",
        alice,
    )
    assert task["is_completed"] is False
    assert task["created_at"] == T0.replace(tzinfo=UTC)
    assert task["updated_at"] == (T0 + MICROSECOND).replace(tzinfo=UTC)
    assert naive(task["updated_at"]) == row.updated_at


def test_get_of_another_users_task_is_not_found(
    db: TestDb, repo: TaskRepository, alice: uuid.UUID, bob: uuid.UUID
) -> None:
    bobs = insert_task(db, bob, "bob's")
    with pytest.raises(NotFoundError):
        db.run(repo.get(alice, bobs.id))
    assert db.run(repo.get(bob, bobs.id))["title"] == "bob's"


def test_get_of_a_missing_task_is_not_found(
    db: TestDb, repo: TaskRepository, alice: uuid.UUID
) -> None:
    with pytest.raises(NotFoundError):
        db.run(repo.get(alice, MISSING_ID))


def test_reads_need_no_users_row(db: TestDb, repo: TaskRepository) -> None:
    """Reads never look the user up (nor create them): an unknown user just has no tasks."""
    stranger = uuid.uuid4()
    assert db.run(repo.list_page(stranger, TaskFilter(), "-created_at", limit=10)) == Page([], 0)
    assert db.run(repo.count(stranger, TaskFilter())) == 0
    with pytest.raises(NotFoundError):
        db.run(repo.get(stranger, MISSING_ID))
    assert db.scalar("SELECT count(*) FROM users WHERE id = %s", (stranger,)) == 0


# --- list_page: order, ties, keyset --------------------------------------------------------


@pytest.fixture
def sortable(db: TestDb, alice: uuid.UUID, bob: uuid.UUID) -> list[Row]:
    """Alice's tasks, with ties on every sort key and ids in no particular key order."""
    spec = [  # title, created_at offset, updated_at offset (seconds), priority, due (days)
        ("delta", 2, 5, "high", None),
        ("alpha", 1, 5, "low", 3),
        ("charlie", 2, 1, "medium", 1),
        ("alpha", 3, 3, "high", None),
        ("bravo", 1, 3, "low", 3),
        ("delta", 2, 2, "medium", -2),
        ("bravo", 0, 5, "high", 1),
        ("alpha", 1, 3, "medium", None),
    ]
    rows = []
    for title, created, updated, priority, due in spec:
        for user in (alice, bob):
            # Bob's tasks share the keys and interleave the ids; they must never show up.
            row = insert_task(
                db,
                user,
                title,
                created_at=T0 + timedelta(seconds=created),
                updated_at=T0 + timedelta(seconds=updated),
                priority=priority,
                due_date=None if due is None else T0 + timedelta(days=due),
            )
            if user == alice:
                rows.append(row)
    return rows


def expected_order(rows: list[Row], sort: str) -> list[Row]:
    name, descending = sort_column(sort)
    if name == "id":
        return sorted(rows, key=lambda r: r.id, reverse=descending)
    return sorted(rows, key=lambda r: (r.sort_value(name, descending), r.id), reverse=descending)


def position_of(row: Row, sort: str) -> Position:
    return Position(key=row.key(sort_column(sort)[0]), task_id=row.id)


def position_after(task: TaskRow, sort: str) -> Position:
    """The position a cursor carries for `task`, built the way the list route builds it
    (a timestamp as stored: UTC without its zone)."""
    key = field(task, sort_column(sort)[0])
    if isinstance(key, datetime):
        key = naive(key)
    return Position(key=key, task_id=task["id"])


def test_there_are_twelve_sort_orders() -> None:
    keys = ["created_at", "updated_at", "title", "due_date", "priority", "id"]
    assert sorted(SORT_ORDERS) == sorted(keys + [f"-{key}" for key in keys])


@pytest.mark.parametrize("sort", SORT_ORDERS)
def test_list_page_orders_by_the_sort_key_then_id(
    db: TestDb, repo: TaskRepository, alice: uuid.UUID, sortable: list[Row], sort: str
) -> None:
    page = db.run(repo.list_page(alice, TaskFilter(), sort, limit=100))
    assert ids(page.tasks) == [row.id for row in expected_order(sortable, sort)]
    assert all(task["user_id"] == alice for task in page.tasks)
    assert all(set(task) == TASK_ROW_KEYS for task in page.tasks)
    assert page.total == len(sortable)
    by_id = {row.id: row for row in sortable}
    for task in page.tasks:  # the timestamps, exactly as inserted, marked as UTC
        row = by_id[task["id"]]
        assert (naive(task["created_at"]), naive(task["updated_at"])) == (
            row.created_at,
            row.updated_at,
        )


@pytest.mark.parametrize("sort", SORT_ORDERS)
def test_list_page_after_a_position_continues_right_after_that_row(
    db: TestDb, repo: TaskRepository, alice: uuid.UUID, sortable: list[Row], sort: str
) -> None:
    order = expected_order(sortable, sort)
    for index, row in enumerate(order):
        rest = db.run(
            repo.list_page(alice, TaskFilter(), sort, limit=100, after=position_of(row, sort))
        )
        assert ids(rest.tasks) == [r.id for r in order[index + 1 :]], f"after {row}"
        assert rest.total == len(sortable), f"after {row}"  # the total ignores the position


@pytest.mark.parametrize("sort", SORT_ORDERS)
def test_walking_pages_yields_every_task_once_in_order(
    db: TestDb, repo: TaskRepository, alice: uuid.UUID, sortable: list[Row], sort: str
) -> None:
    walked: list[int] = []
    after: Position | None = None
    for _ in range(len(sortable) + 1):
        page = db.run(repo.list_page(alice, TaskFilter(), sort, limit=3, after=after))
        assert len(page.tasks) <= 3
        assert page.total == len(sortable)
        if not page.tasks:
            break
        walked += ids(page.tasks)
        after = position_after(page.tasks[-1], sort)
    assert walked == [row.id for row in expected_order(sortable, sort)]


def test_list_page_respects_the_limit(
    db: TestDb, repo: TaskRepository, alice: uuid.UUID, sortable: list[Row]
) -> None:
    first_two = db.run(repo.list_page(alice, TaskFilter(), "id", limit=2))
    assert ids(first_two.tasks) == sorted(row.id for row in sortable)[:2]
    assert first_two.total == len(sortable)  # all matching tasks, not the page's


def test_list_page_of_a_user_without_tasks_is_empty(
    db: TestDb, repo: TaskRepository, sortable: list[Row]
) -> None:
    assert db.run(repo.list_page(uuid.uuid4(), TaskFilter(), "-created_at", limit=10)) == Page(
        [], 0
    )


# --- filters and count ---------------------------------------------------------------------


@pytest.fixture
def searchable(db: TestDb, alice: uuid.UUID, bob: uuid.UUID) -> dict[str, int]:
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
    insert_task(db, bob, "bob's milk", description="100% snake_case back\\slash")
    return {
        title: insert_task(db, alice, title, description=description, is_completed=done).id
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
    db: TestDb,
    repo: TaskRepository,
    alice: uuid.UUID,
    searchable: dict[str, int],
    filters: TaskFilter,
    titles: set[str] | None,
) -> None:
    expected = set(searchable) if titles is None else titles
    page = db.run(repo.list_page(alice, filters, "id", limit=100))
    assert {task["title"] for task in page.tasks} == expected
    assert all(task["user_id"] == alice for task in page.tasks)
    assert page.total == len(expected)  # the whole list on one page
    one = db.run(repo.list_page(alice, filters, "-id", limit=1))
    if filters.q:  # a search that may go on past its page is not counted
        assert one.total == (None if expected else 0)
    else:  # unfiltered or by completion: task_counts reports every match on any page
        assert one.total == len(expected)
        assert db.run(repo.count(alice, filters)) == len(expected)


def test_count_is_scoped_to_the_user(
    db: TestDb,
    repo: TaskRepository,
    alice: uuid.UUID,
    bob: uuid.UUID,
    searchable: dict[str, int],
) -> None:
    assert db.run(repo.count(alice, TaskFilter())) == len(searchable)
    assert db.run(repo.count(bob, TaskFilter())) == 1
    assert db.run(repo.count(bob, TaskFilter(completed=True))) == 0
    assert db.run(repo.count(uuid.uuid4(), TaskFilter())) == 0
    assert db.run(repo.count(uuid.uuid4(), TaskFilter(completed=False))) == 0


def test_filters_combine_with_keyset_pagination(
    db: TestDb, repo: TaskRepository, alice: uuid.UUID, searchable: dict[str, int]
) -> None:
    filters = TaskFilter(completed=False)
    first = db.run(repo.list_page(alice, filters, "title", limit=2))
    rest = db.run(
        repo.list_page(
            alice, filters, "title", limit=100, after=position_after(first.tasks[-1], "title")
        )
    )
    walked = [task["title"] for task in first.tasks + rest.tasks]
    assert len(walked) == len(set(walked)) == db.run(repo.count(alice, filters)) == 6
    assert first.total == rest.total == 6
    assert all(not task["is_completed"] for task in first.tasks + rest.tasks)


# --- X-Total-Count's source: Page.total ----------------------------------------------------


def assert_totals_are_counts(db: TestDb, repo: TaskRepository, *users: uuid.UUID) -> None:
    """Page.total and count() equal a COUNT(*) of the tasks, for every completion filter."""
    for user_id in users:
        for completed in (None, True, False):
            filters = TaskFilter(completed=completed)
            expected = counted(db, user_id, completed)
            for limit in (1, 100):
                page = db.run(repo.list_page(user_id, filters, "-created_at", limit=limit))
                assert page.total == expected, (user_id, completed, limit)
                assert len(page.tasks) == min(limit, expected)
            assert db.run(repo.count(user_id, filters)) == expected, (user_id, completed)


def test_page_total_follows_writes_through_the_repository(
    db: TestDb, repo: TaskRepository, alice: uuid.UUID, bob: uuid.UUID
) -> None:
    assert_totals_are_counts(db, repo, alice, bob)
    created = []
    for i in range(6):
        task = db.run(repo.create(alice, TaskCreate(title=f"t{i}", is_completed=i % 3 == 0)))
        assert task is not None
        created.append(task["id"])
        assert_totals_are_counts(db, repo, alice, bob)
    assert counted(db, alice) == 6
    assert counted(db, alice, True) == 2

    db.run(repo.toggle_completed(alice, created[1]))
    assert_totals_are_counts(db, repo, alice, bob)
    db.run(repo.update(alice, created[0], {"is_completed": False}))
    assert_totals_are_counts(db, repo, alice, bob)
    db.run(repo.update(alice, created[2], {"title": "renamed"}))  # completion untouched
    db.run(repo.update(alice, created[3], {"is_completed": True}))  # already done: no change
    assert_totals_are_counts(db, repo, alice, bob)
    db.run(repo.delete(alice, created[1]))  # a completed one
    db.run(repo.delete(alice, created[4]))  # an open one
    assert_totals_are_counts(db, repo, alice, bob)
    assert (counted(db, alice), counted(db, alice, True)) == (4, 1)

    for task_id in (created[0], created[2], created[3], created[5]):
        db.run(repo.delete(alice, task_id))
    assert_totals_are_counts(db, repo, alice, bob)
    assert db.run(repo.list_page(alice, TaskFilter(), "id", limit=10)) == Page([], 0)


def test_page_total_follows_writes_in_plain_sql(
    db: TestDb, repo: TaskRepository, alice: uuid.UUID, bob: uuid.UUID
) -> None:
    # One multi-row INSERT for two users: a statement-level trigger counts each user's rows.
    db.execute(
        "INSERT INTO tasks (user_id, title, is_completed, created_at, updated_at) "
        "SELECT CASE WHEN n %% 3 = 0 THEN %(bob)s ELSE %(alice)s END, 't' || n, n %% 2 = 0, "
        "%(t0)s, %(t0)s FROM generate_series(1, 30) AS n",
        {"alice": alice, "bob": bob, "t0": T0},
    )
    assert (counted(db, alice), counted(db, bob)) == (20, 10)
    assert_totals_are_counts(db, repo, alice, bob)

    db.execute("UPDATE tasks SET is_completed = NOT is_completed WHERE user_id = %s", (alice,))
    assert_totals_are_counts(db, repo, alice, bob)
    db.execute("UPDATE tasks SET title = title || '!' WHERE user_id = %s", (bob,))
    assert_totals_are_counts(db, repo, alice, bob)
    # Tasks moved from one user to the other: both counters follow.
    db.execute(
        "UPDATE tasks SET user_id = %s WHERE user_id = %s AND title LIKE 't1%%'", (bob, alice)
    )
    assert_totals_are_counts(db, repo, alice, bob)
    db.execute("DELETE FROM tasks WHERE user_id = %s AND is_completed", (alice,))
    assert_totals_are_counts(db, repo, alice, bob)
    db.execute("DELETE FROM tasks WHERE user_id = %s", (bob,))
    assert_totals_are_counts(db, repo, alice, bob)
    assert counted(db, bob) == 0
    assert counted(db, alice) > 0


def test_page_total_follows_a_truncate(
    db: TestDb, repo: TaskRepository, alice: uuid.UUID, bob: uuid.UUID
) -> None:
    for user_id in (alice, bob):
        for done in (True, False, False):
            insert_task(db, user_id, is_completed=done)
    assert_totals_are_counts(db, repo, alice, bob)
    db.execute("TRUNCATE tasks")  # rolled back with the test's transaction
    assert_totals_are_counts(db, repo, alice, bob)
    assert db.run(repo.list_page(alice, TaskFilter(), "id", limit=5)) == Page([], 0)
    insert_task(db, alice, is_completed=True)
    assert_totals_are_counts(db, repo, alice, bob)
    assert db.run(repo.count(alice, TaskFilter(completed=True))) == 1


@pytest.mark.parametrize(
    "filters",
    [
        TaskFilter(),
        TaskFilter(completed=True),
        TaskFilter(completed=False),
        TaskFilter(q="task"),
        TaskFilter(q="task", completed=True),
    ],
    ids=repr,
)
def test_a_user_with_no_tasks_has_a_total_of_zero(
    db: TestDb, repo: TaskRepository, alice: uuid.UUID, bob: uuid.UUID, filters: TaskFilter
) -> None:
    insert_task(db, bob, "a task of bob's", is_completed=True)
    insert_task(db, bob, "another task of bob's")
    for sort in SORT_ORDERS:
        assert db.run(repo.list_page(alice, filters, sort, limit=10)) == Page([], 0)
    # A user whose tasks were all deleted (their counter row stays, at zero).
    gone = insert_task(db, alice, "a task", is_completed=True)
    db.run(repo.delete(alice, gone.id))
    assert db.run(repo.list_page(alice, filters, "-created_at", limit=10)) == Page([], 0)
    if not filters.q:
        assert db.run(repo.count(alice, filters)) == 0


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (TaskFilter(), 5),
        (TaskFilter(completed=True), 2),
        (TaskFilter(completed=False), 3),
        (TaskFilter(q="task"), 5),
        (TaskFilter(q="TASK 1"), 1),
    ],
    ids=repr,
)
@pytest.mark.parametrize("sort", SORT_ORDERS)
def test_a_page_past_the_end_is_empty_and_still_reports_the_total(
    db: TestDb,
    repo: TaskRepository,
    alice: uuid.UUID,
    bob: uuid.UUID,
    filters: TaskFilter,
    expected: int,
    sort: str,
) -> None:
    for i in range(5):
        insert_task(db, alice, f"task {i}", is_completed=i < 2, created_at=T0 + i * MICROSECOND)
    insert_task(db, bob, "task of bob's")
    everything = db.run(repo.list_page(alice, filters, sort, limit=100))
    assert len(everything.tasks) == everything.total == expected

    past_the_end = db.run(
        repo.list_page(
            alice, filters, sort, limit=100, after=position_after(everything.tasks[-1], sort)
        )
    )
    # Past the end, task_counts still knows; a search is not counted beyond its first page.
    assert past_the_end == Page([], None if filters.q else expected)


# --- update --------------------------------------------------------------------------------


@pytest.fixture
def task(db: TestDb, alice: uuid.UUID) -> Row:
    return insert_task(db, alice, "original", description="desc", created_at=T0)


def test_update_applies_the_changes_and_moves_updated_at(
    db: TestDb, repo: TaskRepository, alice: uuid.UUID, task: Row
) -> None:
    updated = db.run(repo.update(alice, task.id, {"title": "changed", "description": None}))

    assert set(updated) == TASK_ROW_KEYS
    assert (updated["id"], updated["title"], updated["description"]) == (task.id, "changed", None)
    assert naive(updated["created_at"]) == task.created_at
    assert naive(updated["updated_at"]) > task.updated_at
    row = stored(db, task.id)
    assert row is not None
    assert (row["title"], row["description"], row["updated_at"]) == (
        "changed",
        None,
        naive(updated["updated_at"]),
    )


def test_update_returns_what_a_later_get_reads(
    db: TestDb, repo: TaskRepository, alice: uuid.UUID, task: Row
) -> None:
    """Rows are plain snapshots: the one read before the update keeps the old values, the
    update's row and any later read carry the new ones."""
    loaded = db.run(repo.get(alice, task.id))
    updated = db.run(repo.update(alice, task.id, {"is_completed": True}))
    assert updated["is_completed"] is True
    assert db.run(repo.get(alice, task.id)) == updated
    assert loaded["is_completed"] is False
    assert loaded["updated_at"] < updated["updated_at"]


def test_update_with_no_changes_returns_the_task_untouched(
    db: TestDb, repo: TaskRepository, alice: uuid.UUID, task: Row
) -> None:
    before = stored(db, task.id)
    same = db.run(repo.update(alice, task.id, {}))
    assert (same["id"], same["title"], naive(same["updated_at"])) == (
        task.id,
        "original",
        task.updated_at,
    )
    assert stored(db, task.id) == before


@pytest.mark.parametrize(
    "changes", [{"user_id": uuid.uuid4()}, {"id": 1}, {"title": "x", "updated_at": T0}]
)
def test_update_refuses_fields_a_client_may_not_change(
    db: TestDb, repo: TaskRepository, alice: uuid.UUID, task: Row, changes: dict[str, Any]
) -> None:
    before = stored(db, task.id)
    with pytest.raises(ValueError, match="not writable"):
        db.run(repo.update(alice, task.id, changes))
    assert stored(db, task.id) == before


@pytest.mark.parametrize("changes", [{"title": "guarded"}, {}], ids=["changes", "no-changes"])
def test_update_with_if_match_holding_the_current_version_applies(
    db: TestDb, repo: TaskRepository, alice: uuid.UUID, task: Row, changes: dict[str, Any]
) -> None:
    versions = [task.updated_at - MICROSECOND, task.updated_at, T0 - timedelta(days=1)]
    updated = db.run(repo.update(alice, task.id, changes, if_match=versions))
    assert updated["title"] == changes.get("title", "original")
    row = stored(db, task.id)
    assert row is not None
    assert row["title"] == changes.get("title", "original")


@pytest.mark.parametrize("changes", [{"title": "lost"}, {}], ids=["changes", "no-changes"])
@pytest.mark.parametrize(
    "versions",
    [[T0 - MICROSECOND], [T0 + MICROSECOND, T0 - timedelta(hours=1)], []],
    ids=["older", "others", "none"],
)
def test_update_with_a_stale_if_match_fails_and_changes_nothing(
    db: TestDb,
    repo: TaskRepository,
    alice: uuid.UUID,
    task: Row,
    changes: dict[str, Any],
    versions: list[datetime],
) -> None:
    before = stored(db, task.id)
    with pytest.raises(PreconditionFailedError):
        db.run(repo.update(alice, task.id, changes, if_match=versions))
    assert stored(db, task.id) == before


def test_update_after_another_change_rejects_the_old_version(
    db: TestDb, repo: TaskRepository, alice: uuid.UUID, task: Row
) -> None:
    first = db.run(repo.update(alice, task.id, {"title": "first"}, if_match=[task.updated_at]))
    with pytest.raises(PreconditionFailedError):
        db.run(repo.update(alice, task.id, {"title": "second"}, if_match=[task.updated_at]))
    row = stored(db, task.id)
    assert row is not None
    assert (row["title"], row["updated_at"]) == ("first", naive(first["updated_at"]))
    # The new version is accepted.
    second = db.run(
        repo.update(alice, task.id, {"title": "second"}, if_match=[naive(first["updated_at"])])
    )
    assert second["title"] == "second"


@pytest.mark.parametrize("changes", [{"title": "x"}, {}], ids=["changes", "no-changes"])
@pytest.mark.parametrize("with_if_match", [False, True], ids=["no-if-match", "if-match"])
def test_update_of_a_missing_or_foreign_task_is_not_found(
    db: TestDb,
    repo: TaskRepository,
    alice: uuid.UUID,
    bob: uuid.UUID,
    changes: dict[str, Any],
    with_if_match: bool,
) -> None:
    bobs = insert_task(db, bob, "bob's")
    before = stored(db, bobs.id)
    for task_id in (bobs.id, MISSING_ID):
        versions = [bobs.updated_at] if with_if_match else None
        with pytest.raises(NotFoundError):
            db.run(repo.update(alice, task_id, changes, if_match=versions))
    assert stored(db, bobs.id) == before


# --- toggle_completed ----------------------------------------------------------------------


def test_toggle_completed_flips_and_moves_updated_at_forward(
    db: TestDb, repo: TaskRepository, alice: uuid.UUID, task: Row
) -> None:
    done = db.run(repo.toggle_completed(alice, task.id))
    assert done["is_completed"] is True
    assert naive(done["updated_at"]) > task.updated_at
    assert naive(done["created_at"]) == task.created_at

    undone = db.run(repo.toggle_completed(alice, task.id))
    assert undone["is_completed"] is False
    assert undone["updated_at"] > done["updated_at"]
    row = stored(db, task.id)
    assert row is not None
    assert (row["is_completed"], row["updated_at"]) == (False, naive(undone["updated_at"]))


def test_toggle_completed_honours_if_match(
    db: TestDb, repo: TaskRepository, alice: uuid.UUID, task: Row
) -> None:
    with pytest.raises(PreconditionFailedError):
        db.run(repo.toggle_completed(alice, task.id, if_match=[task.updated_at + MICROSECOND]))
    row = stored(db, task.id)
    assert row is not None
    assert (row["is_completed"], row["updated_at"]) == (False, task.updated_at)

    done = db.run(repo.toggle_completed(alice, task.id, if_match=[task.updated_at]))
    assert done["is_completed"] is True


def test_toggle_completed_of_another_users_task_is_not_found(
    db: TestDb, repo: TaskRepository, alice: uuid.UUID, bob: uuid.UUID
) -> None:
    bobs = insert_task(db, bob, "bob's")
    with pytest.raises(NotFoundError):
        db.run(repo.toggle_completed(alice, bobs.id))
    with pytest.raises(NotFoundError):
        db.run(repo.toggle_completed(alice, bobs.id, if_match=[bobs.updated_at]))
    with pytest.raises(NotFoundError):
        db.run(repo.toggle_completed(alice, MISSING_ID))
    row = stored(db, bobs.id)
    assert row is not None
    assert (row["is_completed"], row["updated_at"]) == (False, bobs.updated_at)


# --- delete --------------------------------------------------------------------------------


def test_delete_without_if_match_removes_the_task(
    db: TestDb, repo: TaskRepository, alice: uuid.UUID, task: Row
) -> None:
    other = insert_task(db, alice, "stays")
    deleted = db.run(repo.delete(alice, task.id))
    assert (deleted["id"], deleted["title"]) == (task.id, "original")  # what went
    assert deleted["created_at"].tzinfo is not None
    assert stored(db, task.id) is None
    assert stored(db, other.id) is not None
    with pytest.raises(NotFoundError):
        db.run(repo.delete(alice, task.id))


def test_delete_with_the_current_version_removes_the_task(
    db: TestDb, repo: TaskRepository, alice: uuid.UUID, task: Row
) -> None:
    db.run(repo.delete(alice, task.id, if_match=[task.updated_at - MICROSECOND, task.updated_at]))
    assert stored(db, task.id) is None


@pytest.mark.parametrize("versions", [[T0 - MICROSECOND], []], ids=["stale", "none"])
def test_delete_with_a_stale_if_match_fails_and_keeps_the_task(
    db: TestDb, repo: TaskRepository, alice: uuid.UUID, task: Row, versions: list[datetime]
) -> None:
    before = stored(db, task.id)
    with pytest.raises(PreconditionFailedError):
        db.run(repo.delete(alice, task.id, if_match=versions))
    assert stored(db, task.id) == before


@pytest.mark.parametrize("with_if_match", [False, True], ids=["no-if-match", "if-match"])
def test_delete_of_a_missing_or_foreign_task_is_not_found(
    db: TestDb, repo: TaskRepository, alice: uuid.UUID, bob: uuid.UUID, with_if_match: bool
) -> None:
    bobs = insert_task(db, bob, "bob's")
    for task_id in (bobs.id, MISSING_ID):
        with pytest.raises(NotFoundError):
            db.run(
                repo.delete(alice, task_id, if_match=[bobs.updated_at] if with_if_match else None)
            )
    assert stored(db, bobs.id) is not None


# --- transactions and concurrency (real commits) -------------------------------------------


async def seen_by(
    connection: AsyncConnection[DictRow], user_id: uuid.UUID
) -> tuple[dict[int, tuple[str, bool]], tuple[int, int] | None]:
    """The user's tasks (id -> title, completed) and task_counts row, as `connection` sees them."""
    cursor = await connection.execute(
        "SELECT id, title, is_completed FROM tasks WHERE user_id = %s", (user_id,)
    )
    tasks = {row["id"]: (row["title"], row["is_completed"]) for row in await cursor.fetchall()}
    cursor = await connection.execute(
        "SELECT total, completed FROM task_counts WHERE user_id = %s", (user_id,)
    )
    counts = await cursor.fetchone()
    return tasks, None if counts is None else (counts["total"], counts["completed"])


async def created_id(repo: TaskRepository, user_id: uuid.UUID, data: TaskCreate) -> int:
    task = await repo.create(user_id, data)
    assert task is not None
    return task["id"]


def test_single_writes_commit_at_once_and_a_transaction_waits_for_finish(
    committed_url: URL,
) -> None:
    """Outside `begin()` every statement commits by itself (autocommit). Inside it, nothing the
    repository writes is visible to another connection until `finish(None)` commits, and
    `finish(error)` rolls it all back, the task_counts triggers' work included."""
    user_id = uuid.uuid4()

    async def scenario() -> None:
        async with connected(committed_url) as setup, connected(committed_url) as other:
            session = DbSession(connection=setup)
            await UserRepository(session).ensure(user_id, "owner@example.com")
            repo = TaskRepository(session)
            to_update, to_toggle, to_delete = [
                await created_id(repo, user_id, TaskCreate(title=title))
                for title in ("to update", "to toggle", "to delete")
            ]
            # Autocommit: each write is visible elsewhere as soon as it returns.
            assert await seen_by(other, user_id) == (
                {
                    to_update: ("to update", False),
                    to_toggle: ("to toggle", False),
                    to_delete: ("to delete", False),
                },
                (3, 0),
            )
            await session.finish(None)  # no transaction: nothing to do, nothing breaks
            before = await seen_by(other, user_id)

            for outcome in (RuntimeError("the request failed"), None):
                async with connected(committed_url) as connection:
                    session = DbSession(connection=connection)
                    repo = TaskRepository(session)
                    await session.begin()
                    new = await created_id(repo, user_id, TaskCreate(title="new"))
                    await repo.update(user_id, to_update, {"title": "updated"})
                    await repo.toggle_completed(user_id, to_toggle)
                    await repo.delete(user_id, to_delete)

                    # The transaction sees its own writes, counts included ...
                    page = await repo.list_page(user_id, TaskFilter(), "id", limit=10)
                    assert ids(page.tasks) == [to_update, to_toggle, new]
                    assert page.total == 3
                    assert await repo.count(user_id, TaskFilter(completed=True)) == 1
                    # ... and no one else does.
                    assert await seen_by(other, user_id) == before

                    await session.finish(outcome)
                    after = await seen_by(other, user_id)
                    if outcome is not None:
                        assert after == before
                        assert await repo.count(user_id, TaskFilter()) == 3
                        with pytest.raises(NotFoundError):
                            await repo.get(user_id, new)
                    else:
                        assert after == (
                            {
                                to_update: ("updated", False),
                                to_toggle: ("to toggle", True),
                                new: ("new", False),
                            },
                            (3, 1),
                        )

    asyncio.run(scenario())


CONCURRENT_WRITERS = 12


def test_concurrent_writers_keep_the_total_exact(committed_url: URL) -> None:
    """Writers on separate connections, in autocommit and in transactions, creating the first
    tasks of a user at the same time, then toggling and deleting them: the counters (one row
    per user, updated by every writer's trigger) end equal to COUNT(*)."""
    user_id = uuid.uuid4()

    async def writer(index: int, start: asyncio.Event) -> list[int]:
        async with connected(committed_url) as connection:
            session = DbSession(connection=connection)
            repo = TaskRepository(session)
            in_transaction = index % 2 == 0
            await start.wait()
            if in_transaction:
                await session.begin()
            mine = [
                await created_id(
                    repo, user_id, TaskCreate(title=f"{index}.{n}", is_completed=n == 0)
                )
                for n in range(4)
            ]
            await repo.toggle_completed(user_id, mine[1])
            await repo.delete(user_id, mine[2])
            await session.finish(None)
            return [mine[0], mine[1], mine[3]]

    async def scenario() -> tuple[list[list[int]], tuple[int, int, int, int]]:
        async with connected(committed_url) as setup:
            await UserRepository(DbSession(connection=setup)).ensure(user_id, "many@example.com")
            start = asyncio.Event()
            writers = [asyncio.create_task(writer(i, start)) for i in range(CONCURRENT_WRITERS)]
            await asyncio.sleep(0.2)  # every writer connected, waiting at the start line
            start.set()
            kept = await asyncio.gather(*writers)
            repo = TaskRepository(DbSession(connection=setup))
            cursor = await setup.execute(
                "SELECT count(*) AS total, count(*) FILTER (WHERE is_completed) AS completed "
                "FROM tasks WHERE user_id = %s",
                (user_id,),
            )
            counts = await cursor.fetchone()
            assert counts is not None
            page = await repo.list_page(user_id, TaskFilter(), "id", limit=1)
            done = await repo.list_page(user_id, TaskFilter(completed=True), "id", limit=1)
            assert page.total is not None
            assert done.total is not None
            return kept, (counts["total"], counts["completed"], page.total, done.total)

    kept, (total, completed, page_total, completed_total) = asyncio.run(scenario())
    assert sum(len(ids) for ids in kept) == total == 3 * CONCURRENT_WRITERS
    assert completed == 2 * CONCURRENT_WRITERS
    assert (page_total, completed_total) == (total, completed)


@pytest.mark.parametrize(
    ("filters", "prepared"),
    [
        (TaskFilter(q="milk"), False),
        (TaskFilter(tags=("urgent",)), False),
        (TaskFilter(tags=("urgent",), completed=False), False),
        (TaskFilter(priorities=("high",)), True),
        (TaskFilter(completed=False), True),
    ],
)
def test_searches_and_tag_filters_are_never_prepared(
    db: TestDb, repo: TaskRepository, alice: uuid.UUID, filters: TaskFilter, prepared: bool
) -> None:
    """A statement PostgreSQL has prepared soon runs a generic plan, blind to the values:
    for a tag it ANDs whole bitmaps instead of walking the user's index (100x slower at
    10^6 rows). psycopg prepares a statement at its fifth run; these must stay unprepared."""
    for _ in range(8):
        db.run(repo.list_page(alice, filters, "-created_at", limit=10))
    statements = [row["statement"] for row in db.fetch_all(PREPARED)]
    assert any("ORDER BY tasks.created_at DESC" in s for s in statements) == prepared


PREPARED = "SELECT statement FROM pg_prepared_statements WHERE statement LIKE 'SELECT tasks.%'"
