"""The task organization revisions (005, 006, 007), the sync revisions (008-010), the
outbox and reminders (011, 012) and the trigram indexes' pending list (013) on a table of
10^6 tasks while the API writes.

Writers insert, update and complete tasks without pause while `alembic upgrade` runs
005 (catalog changes under a short ACCESS EXCLUSIVE lock) and 006 (VALIDATE CONSTRAINT and
CREATE INDEX CONCURRENTLY, which never block writers), then, with half the tasks tagged and
the writers changing tags too, 007 (tag_counts: triggers in a short transaction, then a
backfill a few users at a time). Every writer runs with `lock_timeout = 200ms`, the issue's
target: a revision that rewrote the table, built an index without CONCURRENTLY or backfilled
under one lock would hold a writer on a lock for seconds, and that write fails the test. What
a write waits for otherwise (the disk, the CPU the migration shares with it) is not the
revision's doing: the longest wait of a single write is printed (`pytest -s` shows it), not
checked. Then `alembic downgrade 004` and `upgrade head` again, with the rows intact.
"""

import threading
import time
from collections.abc import Iterator

import psycopg
import pytest
from psycopg.rows import DictRow, dict_row
from sqlalchemy.engine import URL

from src.db.urls import libpq_conninfo
from tests.migrations.helpers import run_alembic, versions
from tests.support.databases import Databases, upgrade

TASKS = 1_000_000
USERS = 1_000
WRITERS = 4
LOCK_TIMEOUT = "200ms"  # the longest a write may wait for a lock the revision holds


def connect(url: URL) -> psycopg.Connection[DictRow]:
    return psycopg.connect(libpq_conninfo(url), autocommit=True, row_factory=dict_row)


@pytest.fixture(scope="module")
def million(databases: Databases) -> Iterator[URL]:
    """A database at revision 004 holding 10^6 tasks of 1,000 users."""
    url = databases.create()
    upgrade(url, "004")
    with connect(url) as conn:
        conn.execute(
            "INSERT INTO users (id, email) SELECT md5('u' || u)::uuid, 'u' || u || '@example.com'"
            " FROM generate_series(1, %s) AS u",
            (USERS,),
        )
        conn.execute(
            "INSERT INTO tasks (user_id, title, description, is_completed)"
            " SELECT md5('u' || (1 + i %% %s))::uuid, 'Task ' || i, 'row ' || i, i %% 3 = 0"
            " FROM generate_series(1, %s) AS i",
            (USERS, TASKS),
        )
        conn.execute("VACUUM ANALYZE tasks")
    yield url
    databases.drop(url)


class Writers:
    """WRITERS threads writing to tasks as the API does, each write timed."""

    def __init__(self, url: URL, *, tags: bool = False) -> None:
        self.url, self.stop, self.tags = url, threading.Event(), tags
        self.waits: list[float] = []
        self.errors: list[BaseException] = []
        self.threads = [threading.Thread(target=self._run, args=(n,)) for n in range(WRITERS)]

    def _run(self, n: int) -> None:
        try:
            with connect(self.url) as conn:
                conn.execute(f"SET lock_timeout = '{LOCK_TIMEOUT}'")
                row = conn.execute("SELECT id FROM users ORDER BY id OFFSET %s LIMIT 1", (n,))
                found = row.fetchone()
                assert found is not None
                user = found["id"]
                writes: list[tuple[str, tuple[object, ...]]] = [
                    ("INSERT INTO tasks (user_id, title) VALUES (%s, 'online')", (user,)),
                    (
                        "UPDATE tasks SET is_completed = NOT is_completed"
                        " WHERE id = (SELECT max(id) FROM tasks WHERE user_id = %s)",
                        (user,),
                    ),
                ]
                if self.tags:  # through revision 007's triggers once they exist
                    writes[0] = (
                        "INSERT INTO tasks (user_id, title, tags)"
                        " VALUES (%s, 'online', ARRAY['t1', 'online'])",
                        (user,),
                    )
                    writes.append(
                        (
                            "UPDATE tasks SET tags = ARRAY['t2']"
                            " WHERE id = (SELECT max(id) FROM tasks WHERE user_id = %s)",
                            (user,),
                        )
                    )
                while not self.stop.is_set():
                    for statement, params in writes:
                        started = time.monotonic()
                        conn.execute(statement, params)
                        self.waits.append(time.monotonic() - started)
        except BaseException as error:  # reported by the test
            self.errors.append(error)

    def __enter__(self) -> "Writers":
        for thread in self.threads:
            thread.start()
        time.sleep(0.5)  # writing before the revision starts
        return self

    def __exit__(self, *_: object) -> None:
        time.sleep(0.5)  # and after it ends
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)


def basic_rows(url: URL) -> DictRow | None:
    """The seeded tasks (not the writers'), as a count and a sum of ids: a downgrade keeps
    them."""
    with connect(url) as conn:
        return conn.execute(
            "SELECT count(*) AS n, sum(id) AS s FROM tasks WHERE title <> 'online'"
        ).fetchone()


def upgrade_while_writing(url: URL, revision: str, name: str, *, tags: bool = False) -> None:
    """`alembic upgrade <revision>` while the writers write: no write may wait LOCK_TIMEOUT
    for a lock (it fails, and is in `writers.errors`); prints the longest wait of a write."""
    with Writers(url, tags=tags) as writers:
        started = time.monotonic()
        result = run_alembic(url, "upgrade", revision)
        upgrade_seconds = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert not writers.errors, writers.errors
    longest = max(writers.waits)
    print(
        f"\n{name} on {TASKS:,} tasks: upgrade {upgrade_seconds:.1f} s; {len(writers.waits):,}"
        f" writes meanwhile; longest wait {longest * 1000:.0f} ms"
    )
    assert versions(url) == [revision]


def test_revisions_005_and_006_keep_writers_flowing_on_a_million_tasks(million: URL) -> None:
    basic_before = basic_rows(million)
    upgrade_while_writing(million, "006", "005+006")
    with connect(million) as conn:
        invalid = conn.execute(
            "SELECT count(*) AS n FROM pg_index WHERE indrelid = 'tasks'::regclass"
            " AND NOT indisvalid"
        ).fetchone()
        assert invalid == {"n": 0}
        after = conn.execute("SELECT count(*) AS n FROM tasks WHERE title <> 'online'").fetchone()
        assert after == {"n": TASKS}  # the Basic rows, all there

    # Rolled back and forward again: the Basic data survives both ways.
    assert run_alembic(million, "downgrade", "004").returncode == 0
    assert basic_rows(million) == basic_before
    assert run_alembic(million, "upgrade", "006").returncode == 0


def test_revision_007_keeps_writers_flowing_and_counts_every_tag(million: URL) -> None:
    with connect(million) as conn:  # half the tasks tagged, 10 tags per user
        conn.execute("UPDATE tasks SET tags = ARRAY['t' || (id % 10)] WHERE id % 2 = 0")
        conn.execute("VACUUM ANALYZE tasks")
    upgrade_while_writing(million, "007", "007", tags=True)
    with connect(million) as conn:
        exact = conn.execute(
            "SELECT user_id, tag, count(*) AS n FROM tasks, unnest(tags) AS tag"
            " GROUP BY user_id, tag ORDER BY user_id, tag"
        ).fetchall()
        kept = conn.execute(
            "SELECT user_id, tag, count AS n FROM tag_counts ORDER BY user_id, tag"
        ).fetchall()
    assert kept == exact
    assert sum(row["n"] for row in kept) >= TASKS // 2


def test_revisions_008_to_010_keep_writers_flowing_and_number_every_change(million: URL) -> None:
    """008 (tables, columns without a rewrite, the sequence and tombstone triggers: one short
    transaction), 009 (the sync index, CONCURRENTLY) and 010 (a nullable column on
    idempotency_keys), writers inserting, completing and retagging throughout."""
    basic_before = basic_rows(million)
    upgrade_while_writing(million, "010", "008-010", tags=True)
    with connect(million) as conn:
        invalid = conn.execute(
            "SELECT count(*) AS n FROM pg_index WHERE indrelid = 'tasks'::regclass"
            " AND NOT indisvalid"
        ).fetchone()
        assert invalid == {"n": 0}
        # Every write since 008 took a number; no two rows share one.
        numbered = conn.execute(
            "SELECT count(*) AS n FROM tasks WHERE change_seq IS NOT NULL"
        ).fetchone()
        assert numbered is not None
        assert numbered["n"] > 0
        repeated = conn.execute(
            "SELECT count(*) AS n FROM (SELECT change_seq FROM tasks"
            " WHERE change_seq IS NOT NULL GROUP BY 1 HAVING count(*) > 1) AS r"
        ).fetchone()
        assert repeated == {"n": 0}
    assert run_alembic(million, "downgrade", "007").returncode == 0
    assert basic_rows(million) == basic_before
    assert run_alembic(million, "upgrade", "010").returncode == 0


def test_revisions_011_and_012_keep_writers_flowing_and_record_every_change(million: URL) -> None:
    """011 (the outbox table, then its triggers on tasks and users: one short transaction)
    and 012 (a new table, and the index of pending reminders, CONCURRENTLY), writers
    inserting, completing and retagging throughout: every write after 011 committed is one
    event, numbered in the order its user's writes committed."""
    basic_before = basic_rows(million)
    upgrade_while_writing(million, "012", "011+012", tags=True)
    with connect(million) as conn:
        events = conn.execute(
            "SELECT count(*) AS n, count(DISTINCT event_id) AS ids FROM outbox_events"
        ).fetchone()
        assert events is not None
        assert events["n"] > 0
        assert events["ids"] == events["n"]
        # One user's events are in the order of their change numbers (revision 008's lock).
        out_of_order = conn.execute(
            "SELECT count(*) AS n FROM (SELECT (data->>'change_seq')::bigint AS seq,"
            " lag((data->>'change_seq')::bigint) OVER (PARTITION BY user_id ORDER BY id) AS"
            " before FROM outbox_events WHERE kind = 'task') AS e WHERE seq <= before"
        ).fetchone()
        assert out_of_order == {"n": 0}
    assert run_alembic(million, "downgrade", "010").returncode == 0
    assert basic_rows(million) == basic_before
    assert run_alembic(million, "upgrade", "012").returncode == 0


def pending_pages(url: URL) -> list[tuple[str, int, int | None]]:
    """Each trigram index's pending list in pages, and its limit in kB (None: the server's
    default, 4 MB); none where the server has no pg_trgm."""
    with connect(url) as conn:
        names = [
            row["relname"]
            for row in conn.execute(
                "SELECT relname FROM pg_class WHERE relname LIKE 'ix_tasks_%_trgm' ORDER BY 1"
            )
        ]
        if not names:
            return []
        conn.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
        rows = conn.execute(
            "SELECT c.relname AS name, (gin_metapage_info(get_raw_page(c.relname::text, 0)))"
            ".n_pending_pages AS pages, substring(array_to_string(c.reloptions, ',')"
            " FROM 'gin_pending_list_limit=([0-9]+)')::int AS limit_kb"
            " FROM pg_class AS c WHERE c.relname = ANY(%s) ORDER BY 1",
            (names,),
        ).fetchall()
    return [(row["name"], row["pages"], row["limit_kb"]) for row in rows]


def add_tasks(url: URL, count: int, title: str) -> None:
    """`count` tasks with a title and a description (trigrams for both indexes)."""
    with connect(url) as conn:
        conn.execute(
            "INSERT INTO tasks (user_id, title, description) SELECT user_id, %s || ' ' || id,"
            " 'list ' || md5(id::text) FROM tasks WHERE id <= %s",
            (title, count),
        )


def test_revision_013_keeps_writers_flowing_and_caps_the_pending_lists(million: URL) -> None:
    """013 (ALTER INDEX ... SET on each trigram index, retried behind searches, then the
    pending lists merged), writers inserting with titles and descriptions throughout, and
    searches holding the indexes: afterwards each list stays within 256 kB (32 pages) under
    more inserts, which under 4 MB grew past it."""
    trigram = [name for name, _, _ in pending_pages(million)]
    with connect(million) as conn:  # empty lists, then about 1 MB in each (under 4 MB)
        for name in trigram:
            conn.execute("SELECT gin_clean_pending_list(%s::regclass)", (name,))
    add_tasks(million, 2_000, "pending")
    before = pending_pages(million)
    if trigram:
        assert all(pages > 32 and limit is None for _, pages, limit in before), before

    stop = threading.Event()

    def search() -> None:  # searches in flight hold the indexes the ALTER must lock
        with connect(million) as conn:
            while not stop.is_set():
                conn.execute("SELECT count(*) FROM tasks WHERE title ILIKE '%pending 1%'")

    searcher = threading.Thread(target=search)
    searcher.start()
    try:
        upgrade_while_writing(million, "013", "013", tags=True)
    finally:
        stop.set()
        searcher.join(timeout=30)
    merged = pending_pages(million)
    add_tasks(million, 5_000, "after")
    after = pending_pages(million)
    assert all(pages <= 32 for _, pages, _ in merged), merged  # 013 merged what was pending
    assert all(pages <= 32 and limit == 256 for _, pages, limit in after), after

    basic_before = basic_rows(million)
    assert run_alembic(million, "downgrade", "012").returncode == 0
    assert basic_rows(million) == basic_before
    assert all(limit is None for _, _, limit in pending_pages(million))
    assert run_alembic(million, "upgrade", "head").returncode == 0
