"""Revision 007: tag_counts, kept exact by statement-level triggers on tasks.

Every test compares the table with what it stands for,

    SELECT user_id, tag, count(*) FROM tasks, unnest(tags) AS tag GROUP BY user_id, tag

A counter that reaches 0 is deleted, so the two must be equal, row for row. Most tests run in
the `db` fixture's transaction; the backfill and the concurrent writers use databases of their
own with real commits.
"""

import random
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from psycopg.rows import DictRow, dict_row
from sqlalchemy.engine import URL

from src.db.urls import libpq_conninfo
from tests.migrations.helpers import run_alembic, tables, versions
from tests.support.databases import Databases, upgrade
from tests.support.db import TestDb

Tags = dict[tuple[uuid.UUID, str], int]

EXACT = "SELECT user_id, tag, count(*) AS n FROM tasks, unnest(tags) AS tag GROUP BY user_id, tag"
KEPT = "SELECT user_id, tag, count AS n FROM tag_counts"


def as_tags(rows: list[dict[str, Any]]) -> Tags:
    return {(row["user_id"], row["tag"]): row["n"] for row in rows}


def assert_exact(rows_of: Any) -> Tags:
    """tag_counts equals the recount, row for row (no zero counters left behind)."""
    exact = as_tags(rows_of(EXACT))
    assert as_tags(rows_of(KEPT)) == exact
    return exact


def connect(url: URL) -> psycopg.Connection[DictRow]:
    return psycopg.connect(libpq_conninfo(url), autocommit=True, row_factory=dict_row)


@pytest.fixture
def users(db: TestDb) -> list[uuid.UUID]:
    assert db.scalar("SELECT count(*) FROM tasks") == 0  # the template database is empty
    people = sorted(uuid.uuid4() for _ in range(3))
    for user in people:
        db.execute("INSERT INTO users (id, email) VALUES (%s, %s)", (user, f"{user}@example.com"))
    return people


def add(db: TestDb, user: uuid.UUID, *tags: str) -> int:
    task_id: int = db.scalar(
        "INSERT INTO tasks (user_id, title, tags) VALUES (%s, 't', %s) RETURNING id",
        (user, list(tags)),
    )
    return task_id


def test_inserts_count_each_tag(db: TestDb, users: list[uuid.UUID]) -> None:
    alice, bob, _ = users
    add(db, alice, "work", "home")
    add(db, alice, "work")
    add(db, bob)
    assert assert_exact(db.fetch_all) == {(alice, "work"): 2, (alice, "home"): 1}
    db.execute(
        "INSERT INTO tasks (user_id, title, tags)"
        " SELECT (%s::uuid[])[1 + i %% 2], 'bulk', ARRAY['bulk', 'n' || (i %% 3)]"
        " FROM generate_series(1, 3000) AS i",
        ([alice, bob],),
    )
    counts = assert_exact(db.fetch_all)
    assert counts[(alice, "bulk")] == counts[(bob, "bulk")] == 1500


def test_changing_tags_moves_counts_and_drops_counters_at_zero(
    db: TestDb, users: list[uuid.UUID]
) -> None:
    alice, bob, _ = users
    first = add(db, alice, "work", "home")
    add(db, alice, "work")

    db.execute("UPDATE tasks SET tags = ARRAY['home', 'errand'] WHERE id = %s", (first,))
    assert assert_exact(db.fetch_all) == {
        (alice, "work"): 1,
        (alice, "home"): 1,
        (alice, "errand"): 1,
    }
    db.execute("UPDATE tasks SET tags = '{}' WHERE user_id = %s", (alice,))
    assert assert_exact(db.fetch_all) == {}
    assert db.scalar("SELECT count(*) FROM tag_counts") == 0  # no counter left at 0

    add(db, alice, "moved")
    db.execute("UPDATE tasks SET user_id = %s WHERE user_id = %s", (bob, alice))
    assert assert_exact(db.fetch_all) == {(bob, "moved"): 1}


def test_updates_that_keep_the_tags_touch_no_counter(db: TestDb, users: list[uuid.UUID]) -> None:
    alice, _, _ = users
    task = add(db, alice, "work")
    before = db.fetch_all("SELECT ctid::text AS at, count FROM tag_counts")

    db.execute(
        "UPDATE tasks SET is_completed = NOT is_completed, title = 'x' WHERE id = %s", (task,)
    )

    assert db.fetch_all("SELECT ctid::text AS at, count FROM tag_counts") == before  # not rewritten
    assert_exact(db.fetch_all)


def test_deletes_of_tasks_and_of_users(db: TestDb, users: list[uuid.UUID]) -> None:
    alice, bob, carol = users
    add(db, alice, "a", "b")
    gone = add(db, alice, "a")
    add(db, bob, "a")
    add(db, carol, "c")

    db.execute("DELETE FROM tasks WHERE id = %s", (gone,))
    assert assert_exact(db.fetch_all) == {
        (alice, "a"): 1,
        (alice, "b"): 1,
        (bob, "a"): 1,
        (carol, "c"): 1,
    }
    # A user and their tasks in one statement: the counters go with the user (CASCADE).
    db.execute(
        "WITH gone AS (DELETE FROM tasks WHERE user_id = %(u)s) DELETE FROM users WHERE id = %(u)s",
        {"u": bob},
    )
    assert assert_exact(db.fetch_all) == {(alice, "a"): 1, (alice, "b"): 1, (carol, "c"): 1}
    db.execute("TRUNCATE tasks")
    assert assert_exact(db.fetch_all) == {}


# -- the backfill, and writers while it runs ---------------------------------------------------


@pytest.fixture
def at_006_with_tags(databases: Databases) -> Iterator[URL]:
    """Revision 006 with 30,000 tagged tasks of 50 users, one of them holding 10,000."""
    url = databases.create()
    upgrade(url, "006")
    with connect(url) as conn:
        conn.execute(
            "INSERT INTO users (id, email) SELECT md5('u' || u)::uuid, 'u' || u || '@example.com'"
            " FROM generate_series(1, 50) AS u"
        )
        conn.execute(
            "INSERT INTO tasks (user_id, title, tags)"
            " SELECT md5('u' || CASE WHEN i <= 10000 THEN 1 ELSE 2 + i % 49 END)::uuid, 't',"
            " ARRAY['t' || (i % 7), 'u' || (i % 3)]"
            " FROM generate_series(1, 30000) AS i"
        )
    yield url
    databases.drop(url)


def test_the_backfill_counts_existing_tags(at_006_with_tags: URL) -> None:
    assert run_alembic(at_006_with_tags, "upgrade", "007").returncode == 0
    with connect(at_006_with_tags) as conn:
        counts = assert_exact(lambda sql: conn.execute(sql).fetchall())
    assert sum(counts.values()) == 60_000
    assert len({user for user, _ in counts}) == 50


def test_writers_during_the_backfill_are_counted_once(at_006_with_tags: URL) -> None:
    """Writers add, retag, move and delete tasks while 007 creates its triggers and backfills:
    afterwards every counter is exact."""
    with connect(at_006_with_tags) as conn:
        users = [row["id"] for row in conn.execute("SELECT id FROM users ORDER BY id")]
    stop = threading.Event()
    errors: list[BaseException] = []

    def write(seed: int) -> None:
        chance = random.Random(seed)
        try:
            with connect(at_006_with_tags) as conn:
                while not stop.is_set():
                    user = chance.choice(users)
                    tags = chance.sample(["t1", "t2", "new", "u0", "z"], chance.randint(0, 3))
                    action = chance.randrange(4)
                    if action == 0:
                        conn.execute(
                            "INSERT INTO tasks (user_id, title, tags) VALUES (%s, 'w', %s)",
                            (user, tags),
                        )
                    elif action == 1:
                        conn.execute(
                            "UPDATE tasks SET tags = %s"
                            " WHERE id = (SELECT min(id) + %s FROM tasks)",
                            (tags, chance.randrange(30000)),
                        )
                    elif action == 2:
                        conn.execute(
                            "DELETE FROM tasks WHERE id = (SELECT max(id) - %s FROM tasks)",
                            (chance.randrange(100),),
                        )
                    else:
                        conn.execute(
                            "UPDATE tasks SET user_id = %s"
                            " WHERE id = (SELECT min(id) + %s FROM tasks)",
                            (user, chance.randrange(30000)),
                        )
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    try:
        result = run_alembic(at_006_with_tags, "upgrade", "007")
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)

    assert result.returncode == 0, result.stderr
    assert not errors, errors
    assert versions(at_006_with_tags) == ["007"]
    with connect(at_006_with_tags) as conn:
        assert_exact(lambda sql: conn.execute(sql).fetchall())


def test_downgrade_removes_the_table_and_keeps_the_tags(at_006_with_tags: URL) -> None:
    assert run_alembic(at_006_with_tags, "upgrade", "007").returncode == 0
    assert run_alembic(at_006_with_tags, "downgrade", "006").returncode == 0
    assert "tag_counts" not in tables(at_006_with_tags)
    with connect(at_006_with_tags) as conn:
        assert conn.execute("SELECT count(*) AS n FROM tasks, unnest(tags)").fetchone() == {
            "n": 60_000
        }
    assert run_alembic(at_006_with_tags, "upgrade", "007").returncode == 0
