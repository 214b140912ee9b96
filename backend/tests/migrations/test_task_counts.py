"""Revision 004: task_counts, kept exact by statement-level triggers on tasks.

Every test compares the table with what it stands for,

    SELECT user_id, count(*), count(*) FILTER (WHERE is_completed) FROM tasks GROUP BY user_id

and with the numbers the test expects. The triggers add each statement's differences and never
delete a counter, so a user whose tasks are all gone keeps a (0, 0) row, which reads as 0 like
a missing one; any other difference is a failure. The row goes with the user (ON DELETE
CASCADE) or with TRUNCATE tasks.

Most tests run in the `db` fixture's transaction (triggers fire the same inside it); the
backfill, concurrency and downgrade tests use databases of their own with real commits.
"""

import random
import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest
from alembic import command
from psycopg.rows import DictRow, dict_row
from sqlalchemy.engine import URL

from src.core.settings import REPO_ROOT
from src.db.urls import libpq_conninfo
from tests.migrations.helpers import (
    SEED_TABLES,
    UPDATED_AT_TRIGGERS,
    functions,
    query,
    start_upgrade,
    succeeded,
    tables,
    triggers,
    versions,
    wait_for_session,
)
from tests.support.databases import Databases, alembic_config, upgrade
from tests.support.db import TestDb

Counts = dict[uuid.UUID, tuple[int, int]]  # user -> (total, completed)
Fetch = Callable[[str], list[dict[str, Any]]]

EXACT = """
SELECT user_id, count(*) AS total, count(*) FILTER (WHERE is_completed) AS completed
FROM tasks GROUP BY user_id
"""
KEPT = "SELECT user_id, total, completed FROM task_counts"


def assert_exact(fetch: Fetch) -> Counts:
    """task_counts equals the count of tasks (users without tasks: (0, 0) or no row).
    Returns the counted users' (total, completed)."""
    exact = {row["user_id"]: (row["total"], row["completed"]) for row in fetch(EXACT)}
    kept = {row["user_id"]: (row["total"], row["completed"]) for row in fetch(KEPT)}
    assert {user: counts for user, counts in kept.items() if counts != (0, 0)} == exact
    return exact


def connect(url: URL, *, autocommit: bool = True, name: str = "") -> psycopg.Connection[DictRow]:
    conninfo = libpq_conninfo(url)
    return psycopg.connect(
        conninfo, autocommit=autocommit, row_factory=dict_row, application_name=name
    )


def fetcher(url: URL) -> Fetch:
    def fetch(sql: str) -> list[dict[str, Any]]:
        with connect(url) as conn:
            return conn.execute(sql).fetchall()

    return fetch


def add_users(execute: Callable[[str, Any], object], count: int) -> list[uuid.UUID]:
    """`count` users, in user_id order."""
    users = sorted(uuid.uuid4() for _ in range(count))
    for user in users:
        execute("INSERT INTO users (id, email) VALUES (%s, %s)", (user, f"{user}@example.com"))
    return users


def add_tasks(db: TestDb, user: uuid.UUID, *completed: bool) -> list[int]:
    """One task per flag, each inserted by a statement of its own; their ids."""
    return [
        db.scalar(
            "INSERT INTO tasks (user_id, title, is_completed) VALUES (%s, 'task', %s) RETURNING id",
            (user, done),
        )
        for done in completed
    ]


# -- every kind of write, in the test's transaction --------------------------------------


@pytest.fixture
def users(db: TestDb) -> list[uuid.UUID]:
    assert db.scalar("SELECT count(*) FROM tasks") == 0  # the template database is empty
    return add_users(db.execute, 3)


def test_single_row_inserts(db: TestDb, users: list[uuid.UUID]) -> None:
    alice, bob, _ = users
    add_tasks(db, alice, False)
    assert assert_exact(db.fetch_all) == {alice: (1, 0)}
    add_tasks(db, alice, True)
    add_tasks(db, bob, True)
    assert assert_exact(db.fetch_all) == {alice: (2, 1), bob: (1, 1)}


def test_a_multi_row_insert(db: TestDb, users: list[uuid.UUID]) -> None:
    alice, bob, carol = users
    inserted = db.execute(
        "INSERT INTO tasks (user_id, title, is_completed) VALUES"
        " (%(a)s, 'a1', true), (%(b)s, 'b1', false), (%(a)s, 'a2', false),"
        " (%(c)s, 'c1', true), (%(a)s, 'a3', true)",
        {"a": alice, "b": bob, "c": carol},
    )
    assert inserted == 5
    assert assert_exact(db.fetch_all) == {alice: (3, 2), bob: (1, 0), carol: (1, 1)}


def superuser(db: TestDb) -> bool:
    return bool(db.scalar("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"))


def counter_writes(db: TestDb) -> int:
    """Rows this transaction inserted or updated in task_counts so far."""
    row = db.fetch_one(
        "SELECT n_tup_ins + n_tup_upd AS writes FROM pg_stat_xact_user_tables"
        " WHERE relname = 'task_counts'"
    )
    return int(row["writes"]) if row else 0


def trigger_calls(db: TestDb) -> int:
    """Calls of task_counts_apply in this transaction (track_functions = 'pl')."""
    row = db.fetch_one(
        "SELECT calls FROM pg_stat_xact_user_functions WHERE funcname = 'task_counts_apply'"
    )
    return int(row["calls"]) if row else 0


def test_an_insert_select_of_10000_rows_updates_each_counter_once(
    db: TestDb, users: list[uuid.UUID]
) -> None:
    """Statement-level: one call of the function, one write per user, not per row. (Revision
    008's change numbers lock the user's row, FOR UPDATE, without writing it; a user without
    one gets it created first.)"""
    if not superuser(db):
        pytest.skip("track_functions can only be set by a superuser")
    more = add_users(db.execute, 2)
    everyone = sorted(users + more)
    db.execute("SET LOCAL track_functions = 'pl'")

    inserted = db.execute(
        "INSERT INTO tasks (user_id, title, is_completed)"
        " SELECT (%s::uuid[])[1 + i %% 5], 'bulk ' || i, i %% 3 = 0"
        " FROM generate_series(1, 10000) AS i",
        (everyone,),
    )

    assert inserted == 10_000
    expected = {
        user: (
            sum(1 for i in range(1, 10_001) if i % 5 == k),
            sum(1 for i in range(1, 10_001) if i % 5 == k and i % 3 == 0),
        )
        for k, user in enumerate(everyone)
    }
    assert assert_exact(db.fetch_all) == expected
    assert trigger_calls(db) == 1
    # Per user: revision 008 creates the row to lock it (these users had none), then this
    # trigger writes the counts once; never once per row.
    assert counter_writes(db) == 2 * 5


def test_toggling_completion_both_ways(db: TestDb, users: list[uuid.UUID]) -> None:
    alice, bob, _ = users
    ids = add_tasks(db, alice, False, False, True)
    add_tasks(db, bob, False)

    assert db.execute("UPDATE tasks SET is_completed = true WHERE id = ANY(%s)", (ids[:2],)) == 2
    assert assert_exact(db.fetch_all) == {alice: (3, 3), bob: (1, 0)}
    assert db.execute("UPDATE tasks SET is_completed = false WHERE user_id = %s", (alice,)) == 3
    assert assert_exact(db.fetch_all) == {alice: (3, 0), bob: (1, 0)}
    db.execute("UPDATE tasks SET is_completed = NOT is_completed")  # everyone's, both ways
    assert assert_exact(db.fetch_all) == {alice: (3, 3), bob: (1, 1)}


def test_updates_that_change_no_count_write_no_counter(db: TestDb, users: list[uuid.UUID]) -> None:
    """Rows an UPDATE leaves with the same user and completion cancel out: the trigger runs
    and writes nothing (no dead counter row per title edit)."""
    if not superuser(db):
        pytest.skip("track_functions can only be set by a superuser")
    alice, bob, _ = users
    done, open_ = add_tasks(db, alice, True, False)
    add_tasks(db, bob, True)
    db.execute("SET LOCAL track_functions = 'pl'")
    writes = counter_writes(db)

    assert db.execute("UPDATE tasks SET title = 'renamed'") == 3
    # One done, one reopened, in the same statement: the user's counts do not move.
    swapped = db.execute(
        "UPDATE tasks SET is_completed = NOT is_completed WHERE id IN (%s, %s)", (done, open_)
    )

    assert swapped == 2
    assert trigger_calls(db) == 2
    assert counter_writes(db) == writes
    assert assert_exact(db.fetch_all) == {alice: (2, 1), bob: (1, 1)}


def test_moving_tasks_between_users(db: TestDb, users: list[uuid.UUID]) -> None:
    alice, bob, carol = users  # carol has no counter yet
    ids = add_tasks(db, alice, True, False, False, True)
    add_tasks(db, bob, False)

    moved = db.execute(
        "UPDATE tasks SET user_id = CASE WHEN id = %(first)s THEN %(bob)s ELSE %(carol)s END"
        " WHERE id = ANY(%(ids)s)",
        {"first": ids[0], "bob": bob, "carol": carol, "ids": ids[:3]},
    )

    assert moved == 3
    assert assert_exact(db.fetch_all) == {alice: (1, 1), bob: (2, 1), carol: (2, 0)}
    # Moved and completed by one statement.
    db.execute("UPDATE tasks SET user_id = %s, is_completed = true WHERE id = %s", (alice, ids[1]))
    assert assert_exact(db.fetch_all) == {alice: (2, 2), bob: (2, 1), carol: (1, 0)}


def test_deleting_some_tasks(db: TestDb, users: list[uuid.UUID]) -> None:
    alice, bob, _ = users
    ids = add_tasks(db, alice, True, True, False, False)
    add_tasks(db, bob, True)

    assert db.execute("DELETE FROM tasks WHERE id = ANY(%s)", ([ids[0], ids[2]],)) == 2
    assert assert_exact(db.fetch_all) == {alice: (2, 1), bob: (1, 1)}


def counter(db: TestDb, user: uuid.UUID) -> tuple[int, int] | None:
    row = db.fetch_one("SELECT total, completed FROM task_counts WHERE user_id = %s", (user,))
    return None if row is None else (row["total"], row["completed"])


def test_deleting_a_users_tasks_then_the_user(db: TestDb, users: list[uuid.UUID]) -> None:
    """What UserRepository.delete does: the counter reaches (0, 0), then goes with the user."""
    alice, bob, _ = users
    add_tasks(db, alice, True, False)
    add_tasks(db, bob, False)

    assert db.execute("DELETE FROM tasks WHERE user_id = %s", (alice,)) == 2
    assert counter(db, alice) == (0, 0)
    assert assert_exact(db.fetch_all) == {bob: (1, 0)}

    assert db.execute("DELETE FROM users WHERE id = %s", (alice,)) == 1
    assert counter(db, alice) is None  # ON DELETE CASCADE
    assert assert_exact(db.fetch_all) == {bob: (1, 0)}


@pytest.mark.parametrize(
    "statement",
    [
        "WITH gone AS (DELETE FROM tasks WHERE user_id = %(user)s)"
        " DELETE FROM users WHERE id = %(user)s",
        "WITH moved AS (UPDATE tasks SET user_id = %(heir)s WHERE user_id = %(user)s)"
        " DELETE FROM users WHERE id = %(user)s",
    ],
    ids=["delete-tasks", "move-tasks"],
)
def test_a_user_and_their_tasks_gone_in_one_statement(
    db: TestDb, users: list[uuid.UUID], statement: str
) -> None:
    """tasks' foreign key is checked at the end of the statement, so one statement may empty
    a user's tasks and delete the user (as at revision 003). The user's counter is deleted by
    the cascade before the statement trigger runs: the trigger must not write it again."""
    alice, bob, _ = users
    add_tasks(db, alice, True, False)
    add_tasks(db, bob, False)

    db.execute(statement, {"user": alice, "heir": bob})

    assert db.scalar("SELECT count(*) FROM users WHERE id = %s", (alice,)) == 0
    assert counter(db, alice) is None
    bob_after = (1, 0) if "DELETE FROM tasks" in statement else (3, 1)
    assert assert_exact(db.fetch_all) == {bob: bob_after}


@pytest.mark.parametrize(
    "truncate",
    ["TRUNCATE tasks", "TRUNCATE tasks, task_counts", "TRUNCATE tasks RESTART IDENTITY"],
)
def test_truncate(db: TestDb, users: list[uuid.UUID], truncate: str) -> None:
    """TRUNCATE has no transition table: the trigger empties task_counts, and counting
    starts again from zero. Naming task_counts as well is allowed too."""
    alice, bob, _ = users
    add_tasks(db, alice, True, False)
    add_tasks(db, bob, True)

    db.execute(truncate)

    assert db.fetch_all(KEPT) == []
    add_tasks(db, bob, False)
    assert assert_exact(db.fetch_all) == {bob: (1, 0)}


def test_the_bench_seeds_truncate(db: TestDb, users: list[uuid.UUID]) -> None:
    """bench/seed.sql's TRUNCATE empties users, tasks and every table of counts that references
    them (task_counts, tag_counts), which PostgreSQL would not truncate separately."""
    seed = (REPO_ROOT / "bench" / "seed.sql").read_text()
    [truncate] = [line for line in seed.splitlines() if line.startswith("TRUNCATE")]
    add_tasks(db, users[0], True)
    db.execute("UPDATE tasks SET tags = ARRAY['kept']")

    db.execute(truncate)

    assert db.fetch_all(KEPT) == []
    assert db.scalar("SELECT count(*) FROM tag_counts") == 0
    assert db.scalar("SELECT count(*) FROM users") == 0


def test_an_upsert_fires_the_insert_and_the_update_triggers(
    db: TestDb, users: list[uuid.UUID]
) -> None:
    alice, bob, _ = users
    [existing] = add_tasks(db, alice, False)
    new_id = existing + 1000

    db.execute(
        "INSERT INTO tasks (id, user_id, title, is_completed) VALUES"
        " (%(old)s, %(bob)s, 'x', true), (%(new)s, %(alice)s, 'y', true)"
        " ON CONFLICT (id) DO UPDATE"
        " SET user_id = excluded.user_id, is_completed = excluded.is_completed",
        {"old": existing, "new": new_id, "alice": alice, "bob": bob},
    )

    assert assert_exact(db.fetch_all) == {alice: (1, 1), bob: (1, 1)}


def test_merge_inserts_updates_and_deletes_in_one_statement(
    db: TestDb, users: list[uuid.UUID]
) -> None:
    alice, bob, _ = users
    toggle, drop = add_tasks(db, alice, False, True)

    db.execute(
        "MERGE INTO tasks t USING (VALUES (%(toggle)s, 'toggle'), (%(drop)s, 'drop'), (0, 'new'))"
        " AS v(id, action) ON t.id = v.id"
        " WHEN MATCHED AND v.action = 'drop' THEN DELETE"
        " WHEN MATCHED THEN UPDATE SET is_completed = true"
        " WHEN NOT MATCHED THEN INSERT (user_id, title, is_completed) VALUES (%(bob)s, 'm', true)",
        {"toggle": toggle, "drop": drop, "bob": bob},
    )

    assert assert_exact(db.fetch_all) == {alice: (1, 1), bob: (1, 1)}


# -- the upgrade's backfill ---------------------------------------------------------------


@pytest.fixture
def at_003(databases: Databases) -> Iterator[URL]:
    url = databases.create()
    upgrade(url, "003")
    yield url
    databases.drop(url)


def seed_at_003(url: URL) -> tuple[list[uuid.UUID], Counts]:
    """Four users: 10,000 tasks spread over two, a few for one, none for the last."""
    with connect(url) as conn:
        users = add_users(conn.execute, 4)
        a, b, c, _ = users
        conn.execute(
            "INSERT INTO tasks (user_id, title, is_completed)"
            " SELECT CASE WHEN i <= 6000 THEN %s::uuid ELSE %s::uuid END, 't', i %% 4 = 0"
            " FROM generate_series(1, 10000) AS i",
            (a, b),
        )
        conn.execute(
            "INSERT INTO tasks (user_id, title, is_completed) VALUES"
            " (%(c)s, 'x', true), (%(c)s, 'y', false), (%(c)s, 'z', true)",
            {"c": c},
        )
    return users, {a: (6000, 1500), b: (4000, 1000), c: (3, 2)}


def test_the_upgrade_backfills_the_counts_of_existing_tasks(at_003: URL) -> None:
    _, expected = seed_at_003(at_003)
    assert "task_counts" not in tables(at_003)

    upgrade(at_003, "004")

    assert assert_exact(fetcher(at_003)) == expected


def test_writes_in_flight_during_the_upgrade_are_counted_once(at_003: URL) -> None:
    """A transaction that wrote to tasks before the upgrade began holds it back (CREATE
    TRIGGER waits for its lock), so the backfill counts its rows once committed; a write that
    arrives during the upgrade waits behind it, and the new triggers count it."""
    users, expected = seed_at_003(at_003)
    _, b, c, d = users
    with connect(at_003, autocommit=False, name="before") as before:
        before.execute(
            "INSERT INTO tasks (user_id, title, is_completed) VALUES (%s, 'in flight', true)", (c,)
        )
        migrating = start_upgrade(at_003, "migrating", target="004")
        wait_for_session(at_003, "migrating", migrating, lock=True)

        def write_during() -> None:
            with connect(at_003, name="during") as conn:
                conn.execute(
                    "INSERT INTO tasks (user_id, title) VALUES (%s, 'queued'), (%s, 'queued')",
                    (d, b),
                )

        writer = threading.Thread(target=write_during)
        writer.start()
        wait_for_session(at_003, "during", migrating, lock=True)
        assert "task_counts" not in tables(at_003)  # nothing committed yet
        before.commit()

    assert succeeded(migrating)
    writer.join(timeout=60)
    assert not writer.is_alive()
    assert versions(at_003) == ["004"]
    expected[b] = (4001, 1000)
    expected[c] = (4, 3)
    expected[d] = (1, 0)
    assert assert_exact(fetcher(at_003)) == expected


# -- concurrent writers, each statement committed -----------------------------------------


def run_threads(count: int, work: Callable[[int], None]) -> None:
    """`work(n)` on `count` threads started together; re-raises the first failure."""
    barrier = threading.Barrier(count)
    failures: list[BaseException] = []

    def run(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            work(n)
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    if failures:
        raise failures[0]


def test_concurrent_inserts_for_one_user_end_exact(migrated_database: URL) -> None:
    """8 connections x 50 committed inserts for a user with no counter yet: the first ones
    race to create it (ON CONFLICT), the others to add to it."""
    with connect(migrated_database) as conn:
        [alice] = add_users(conn.execute, 1)

    def insert(n: int) -> None:
        with connect(migrated_database) as conn:
            for i in range(50):
                with conn.transaction():
                    conn.execute(
                        "INSERT INTO tasks (user_id, title, is_completed) VALUES (%s, %s, %s)",
                        (alice, f"{n}-{i}", i % 5 == 0),
                    )

    run_threads(8, insert)

    assert assert_exact(fetcher(migrated_database)) == {alice: (400, 80)}


def test_concurrent_mixed_writes_end_exact(migrated_database: URL) -> None:
    """Inserts, toggles, moves between users and deletes from 8 connections at once."""
    with connect(migrated_database) as conn:
        users = add_users(conn.execute, 3)
        conn.execute(
            "INSERT INTO tasks (user_id, title) SELECT u, 'seed' FROM unnest(%s::uuid[]) AS u,"
            " generate_series(1, 20)",
            (users,),
        )
        first_id = conn.execute("SELECT min(id) AS id FROM tasks").fetchone()
    assert first_id is not None
    ids = range(first_id["id"], first_id["id"] + 60)

    inserts = [0] * 8

    def write(n: int) -> None:
        rng = random.Random(n)
        with connect(migrated_database) as conn:
            for _ in range(50):
                task, user = rng.choice(ids), rng.choice(users)
                action = rng.choice(["insert", "toggle", "move", "delete"])
                if action == "insert":
                    inserts[n] += 1
                    conn.execute(
                        "INSERT INTO tasks (user_id, title, is_completed) VALUES (%s, 'n', %s)",
                        (user, rng.random() < 0.5),
                    )
                elif action == "toggle":
                    conn.execute(
                        "UPDATE tasks SET is_completed = NOT is_completed WHERE id = %s", (task,)
                    )
                elif action == "move":
                    conn.execute("UPDATE tasks SET user_id = %s WHERE id = %s", (user, task))
                else:
                    conn.execute("DELETE FROM tasks WHERE id = %s", (task,))

    run_threads(8, write)

    counts = assert_exact(fetcher(migrated_database))
    [(added, seeds_left)] = query(
        migrated_database,
        "SELECT count(*) FILTER (WHERE title = 'n'), count(*) FILTER (WHERE title = 'seed')"
        " FROM tasks",
    )
    assert added == sum(inserts) > 0  # deletes only picked seeded tasks
    assert isinstance(seeds_left, int)
    assert seeds_left < 60
    assert sum(total for total, _ in counts.values()) == added + seeds_left


# -- downgrade ----------------------------------------------------------------------------


def test_downgrade_to_003_removes_the_table_triggers_and_function(migrated_database: URL) -> None:
    command.downgrade(alembic_config(migrated_database), "004")  # the columns of 005 go first
    with connect(migrated_database) as conn:
        [alice] = add_users(conn.execute, 1)
        conn.execute(
            "INSERT INTO tasks (user_id, title, is_completed)"
            " VALUES (%(a)s, 'a', true), (%(a)s, 'b', false)",
            {"a": alice},
        )
    tasks_before = query(migrated_database, "SELECT * FROM tasks ORDER BY id")
    assert assert_exact(fetcher(migrated_database)) == {alice: (2, 1)}
    assert versions(migrated_database) == ["004"]

    command.downgrade(alembic_config(migrated_database), "003")

    assert versions(migrated_database) == ["003"]
    assert tables(migrated_database) == SEED_TABLES
    assert triggers(migrated_database) == UPDATED_AT_TRIGGERS
    assert functions(migrated_database) == {"set_updated_at"}
    assert query(migrated_database, "SELECT * FROM tasks ORDER BY id") == tasks_before
    with connect(migrated_database) as conn:  # tasks are writable without the triggers
        conn.execute("INSERT INTO tasks (user_id, title) VALUES (%s, 'c')", (alice,))
        conn.execute("DELETE FROM tasks WHERE title = 'a'")
        conn.execute("TRUNCATE tasks")
