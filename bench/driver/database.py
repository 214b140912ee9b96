"""The benchmark's own database, `taskapi_bench`: created on the server the application
uses (the embedded one, or DATABASE_URL's), migrated with alembic, seeded through SQL, and
measured with pgbench. The application's own database is never touched."""

import os
import random
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg2
import psycopg2.errors
from sqlalchemy.engine import URL

from driver.layout import BENCH_DIR, HEAVY_INDEX, ORDINARY_USERS, PAGE, Layout, user_uuid
from driver.load import Measurement, percentiles

NAME = "taskapi_bench"
SAMPLE_TARGETS = 20_000


def libpq_uri(url: URL) -> str:
    """The URL as libpq (psql, pgbench, psycopg2) reads it: no `+psycopg2`."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _application_server_url() -> URL:
    """Where the application's database lives: DATABASE_URL, else the embedded server (which
    this process then keeps running until it exits)."""
    from src.db.urls import normalize_database_url
    from src.db.embedded import embedded_server_url
    from src.core.settings import Settings

    settings = Settings()
    if settings.database_url is not None:
        return normalize_database_url(settings.database_url.get_secret_value())
    return embedded_server_url(settings.embedded_pgdata)


@dataclass
class BenchDatabase:
    url: URL
    backend_dir: Path

    @classmethod
    def create(cls, backend_dir: Path, recreate: bool = False, name: str = NAME) -> "BenchDatabase":
        from src.db.embedded import ensure_database

        server = _application_server_url()
        if recreate:  # e.g. to migrate a checkout whose revisions stop before the database's
            connection = psycopg2.connect(libpq_uri(server))
            connection.autocommit = True
            try:
                with connection.cursor() as cursor:
                    cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            finally:
                connection.close()
        ensure_database(server, name)  # CREATE DATABASE when missing; nothing else there
        return cls(server.set(database=name), backend_dir)

    @property
    def uri(self) -> str:
        return libpq_uri(self.url)

    @contextmanager
    def connect(self, autocommit: bool = False) -> Iterator[Any]:
        connection = psycopg2.connect(self.uri)
        connection.autocommit = autocommit
        try:
            yield connection
            if not autocommit:
                connection.commit()
        finally:
            connection.close()

    def migrate(self) -> None:
        env = {**os.environ, "DATABASE_URL": self.uri, "APP_ENV": "development"}
        subprocess.run(
            [str(self.backend_dir / ".venv" / "bin" / "alembic"), "upgrade", "head"],
            cwd=self.backend_dir,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )

    def postmaster_pid(self) -> int | None:
        """The database server's main process, when it runs on this machine and says so."""
        try:
            with self.connect() as connection, connection.cursor() as cursor:
                cursor.execute("SELECT current_setting('data_directory')")
                pid_file = Path(cursor.fetchone()[0]) / "postmaster.pid"
            pid = int(pid_file.read_text().split()[0])
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except (psycopg2.Error, OSError, ValueError, IndexError):
            return None  # not allowed to read it, or not on this machine
        return pid if b"postgres" in command else None

    def backend_pids(self) -> list[int]:
        """The server processes serving this database's sessions (for their CPU time)."""
        with self.connect() as connection, connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid()"
            )
            return [row[0] for row in cursor.fetchall()]

    def server_version(self) -> str:
        with self.connect() as connection, connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('server_version')")
            return str(cursor.fetchone()[0])

    def indexes(self) -> list[str]:
        with self.connect() as connection, connection.cursor() as cursor:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'tasks' ORDER BY 1")
            return [row[0] for row in cursor.fetchall()]

    # -- data ------------------------------------------------------------------------------
    def seed(self, layout: Layout) -> None:
        # The served checkout's own seed (--repo): an older schema has fewer columns to fill.
        own = self.backend_dir.parent / "bench" / "seed.sql"
        sql = (own if own.exists() else BENCH_DIR / "seed.sql").read_text()
        params = {"tasks": layout.tasks, "stride": layout.stride, "users": ORDINARY_USERS}
        with self.connect() as connection, connection.cursor() as cursor:
            cursor.execute(sql, params)
            self._clear_idempotency_keys(cursor)  # no foreign key: TRUNCATE ... CASCADE leaves them
            self._clear_outbox(cursor)
        self.vacuum()

    def holds(self, layout: Layout) -> bool:
        """Whether the table already holds exactly this layout's seeded rows (for --reuse)."""
        with self.connect() as connection, connection.cursor() as cursor:
            cursor.execute("SELECT count(*), max(id), count(DISTINCT user_id) FROM tasks")
            count, top, users = cursor.fetchone()
            cursor.execute(
                "SELECT count(*) FROM tasks WHERE user_id = %s", (str(user_uuid(HEAVY_INDEX)),)
            )
            heavy = cursor.fetchone()[0]
        wanted_users = min(ORDINARY_USERS, layout.tasks - layout.heavy_tasks) + 1
        return (count, top, users, heavy) == (
            layout.tasks,
            layout.tasks,
            wanted_users,
            layout.heavy_tasks,
        )

    def vacuum(self) -> None:
        """Statistics and the visibility map, as autovacuum would leave a settled table."""
        with self.connect(autocommit=True) as connection, connection.cursor() as cursor:
            keys = ", idempotency_keys" if self._has(cursor, "idempotency_keys") else ""
            cursor.execute(f"VACUUM (ANALYZE) users, tasks{keys}")
            if self._superuser(cursor):  # write the seeded pages out now, not mid-measurement
                cursor.execute("CHECKPOINT")

    @staticmethod
    def _superuser(cursor: Any) -> bool:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
        return bool(row and row[0])

    def has_due_dates(self) -> bool:
        """Whether the schema has revision 005's organization columns (not an older --repo's)."""
        with self.connect() as connection, connection.cursor() as cursor:
            cursor.execute(
                "SELECT EXISTS (SELECT FROM information_schema.columns"
                " WHERE table_name = 'tasks' AND column_name = 'due_date')"
            )
            return bool(cursor.fetchone()[0])

    def has(self, relation: str) -> bool:
        """Whether the schema has `relation` (an older --repo's may not: revision 008's
        idempotency_keys, 011's outbox_events)."""
        with self.connect() as connection, connection.cursor() as cursor:
            return self._has(cursor, relation)

    @staticmethod
    def _has(cursor: Any, relation: str) -> bool:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", (relation,))
        return bool(cursor.fetchone()[0])

    def _clear_idempotency_keys(self, cursor: Any) -> None:
        """Drop the stored responses of create-key and put-key (only the benchmark writes
        them here), when the schema has them."""
        if self._has(cursor, "idempotency_keys"):
            cursor.execute("DELETE FROM idempotency_keys")

    def _clear_outbox(self, cursor: Any) -> None:
        """Empty revision 011's outbox (the seed's and the write scenarios' events), as a
        running relay keeps it (docs/events.md), when the schema has one."""
        if self._has(cursor, "outbox_events"):
            cursor.execute("TRUNCATE outbox_events")

    def set_outbox_trigger(self, enabled: bool) -> None:
        """Revision 011's row trigger writing each task insert's and update's event, on or off
        (bench/run.py's outbox pairs: the write with and without it)."""
        with self.connect(autocommit=True) as connection, connection.cursor() as cursor:
            cursor.execute("TRUNCATE outbox_events")  # as a running relay keeps it
            action = "ENABLE" if enabled else "DISABLE"
            cursor.execute(f"ALTER TABLE tasks {action} TRIGGER tasks_outbox")

    def restore(self, layout: Layout) -> None:
        """Back to the seeded row count: drop what the write scenarios added (tasks, and the
        responses stored for their Idempotency-Keys)."""
        with self.connect() as connection, connection.cursor() as cursor:
            cursor.execute("DELETE FROM tasks WHERE id > %s", (layout.tasks,))
            self._clear_idempotency_keys(cursor)
            self._clear_outbox(cursor)
        self.vacuum()

    def targets(self, layout: Layout, ordinary_only: bool = False) -> list[tuple[int, int]]:
        """(user index, task id) of random seeded tasks, owners read back from the table."""
        rng = random.Random(layout.tasks)
        ids = rng.sample(range(1, layout.tasks + 1), min(SAMPLE_TARGETS, layout.tasks))
        index_of = {str(user_uuid(i)): i for i in range(ORDINARY_USERS + 1)}
        with self.connect() as connection, connection.cursor() as cursor:
            cursor.execute("SELECT id, user_id FROM tasks WHERE id = ANY(%s)", (ids,))
            rows = [(index_of[str(user_id)], task_id) for task_id, user_id in cursor.fetchall()]
        if ordinary_only:
            rows = [row for row in rows if row[0] != HEAVY_INDEX]
        rng.shuffle(rows)
        return rows

    def deep_position(self, layout: Layout, sort: str = "-created_at") -> tuple[int, Any]:
        """(id, sort key) of the last task of page deep_page - 1 of the heavy user's list in
        `sort` (-created_at, or due_date with tasks without one last): the cursor after it
        opens page deep_page."""
        order = {
            "-created_at": ("created_at", "created_at DESC, id DESC"),
            "due_date": ("due_date", "COALESCE(due_date, 'infinity'::timestamp), id"),
        }
        column, order_by = order[sort]
        with self.connect() as connection, connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, {column} FROM tasks WHERE user_id = %s"
                f" ORDER BY {order_by} OFFSET %s LIMIT 1",
                (str(user_uuid(HEAVY_INDEX)), (layout.deep_page - 1) * PAGE - 1),
            )
            task_id, key = cursor.fetchone()
        return task_id, key

    def sync_point(self, count: int) -> tuple[int, int]:
        """(seq, changes): the point of the heavy user's change sequence after which exactly
        `count` of their changes (tasks, by the number of their last change, and tombstones)
        follow, as an incremental sync reads them, and that count. 0 changes: their latest
        number. Fewer than `count` changes in all: 0, and all of them."""
        heavy = str(user_uuid(HEAVY_INDEX))
        try:
            with self.connect() as connection, connection.cursor() as cursor:
                if count == 0:  # the latest number (src/repositories/sync.py's counter)
                    cursor.execute(
                        "SELECT greatest((SELECT max(change_seq) FROM tasks WHERE user_id = %(u)s),"
                        " (SELECT max(change_seq) FROM task_tombstones WHERE user_id = %(u)s), 0)",
                        {"u": heavy},
                    )
                    return int(cursor.fetchone()[0]), 0
                # Each number is taken once per user, by a task's write or a deletion.
                cursor.execute(
                    "SELECT change_seq FROM tasks WHERE user_id = %(user)s"
                    " AND change_seq IS NOT NULL"
                    " UNION ALL"
                    " SELECT change_seq FROM task_tombstones WHERE user_id = %(user)s"
                    " ORDER BY change_seq DESC LIMIT %(limit)s",
                    {"user": heavy, "limit": count + 1},
                )
                seqs = [int(row[0]) for row in cursor.fetchall()]
        except (psycopg2.errors.UndefinedColumn, psycopg2.errors.UndefinedTable) as error:
            sys.exit(f"the sync scenarios need revision 008 (change_seq): {error}")
        return (seqs[count], count) if len(seqs) > count else (0, len(seqs))

    def sync_epoch(self) -> str:
        """The database's sync timeline (revision 008's sync_epoch), which tokens carry."""
        with self.connect() as connection, connection.cursor() as cursor:
            cursor.execute("SELECT epoch::text FROM sync_epoch")
            return str(cursor.fetchone()[0])

    def add_deletable(self, layout: Layout, count: int) -> list[tuple[int, int]]:
        """Make sure at least `count` tasks beyond the seeded ones exist (the creates of the
        create scenario, topped up here), and return them all as (user index, id)."""
        with self.connect() as connection, connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM tasks WHERE id > %s", (layout.tasks,))
            missing = count - int(cursor.fetchone()[0])
            if missing > 0:
                cursor.execute(
                    "INSERT INTO tasks (user_id, title, is_completed, created_at, updated_at)"
                    " SELECT md5('bench-user-' || (g %% %s))::uuid, 'To delete ' || g, false,"
                    " timezone('UTC', now()), timezone('UTC', now())"
                    " FROM generate_series(1, %s) AS g",
                    (ORDINARY_USERS, missing),
                )
            cursor.execute(
                "SELECT id, user_id FROM tasks WHERE id > %s ORDER BY id", (layout.tasks,)
            )
            index_of = {str(user_uuid(i)): i for i in range(ORDINARY_USERS)}
            return [(index_of[str(user_id)], task_id) for task_id, user_id in cursor.fetchall()]

    # -- the database's floor ---------------------------------------------------------------
    def pgbench(
        self, script: str, layout: Layout, seconds: float, clients: int, workdir: Path
    ) -> Measurement:
        """pgbench running bench/pgbench/<script>.sql: requests/s and latency percentiles of
        the SQL alone, over the same socket the API uses."""
        for old in workdir.glob(f"pgbench_{script}*"):
            old.unlink()
        command = [
            "pgbench",
            "--no-vacuum",
            "--protocol=simple",
            f"--client={clients}",
            "--jobs=2",
            f"--time={max(1, round(seconds))}",
            "--log",
            f"--log-prefix={workdir / f'pgbench_{script}'}",
            f"--define=tasks={layout.tasks}",
            f"--define=stride={layout.stride}",
            f"--define=users={ORDINARY_USERS}",
            f"--file={BENCH_DIR / 'pgbench' / f'{script}.sql'}",
            self.uri,
        ]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            sys.exit(f"pgbench failed:\n{result.stdout}\n{result.stderr}")
        latencies = []
        for log in workdir.glob(f"pgbench_{script}*"):
            for line in log.read_text().splitlines():
                latencies.append(int(line.split()[2]))
            log.unlink()
        failed = re.search(r"number of failed transactions: (\d+)", result.stdout)
        tps = float(re.search(r"tps = ([\d.]+)", result.stdout).group(1))  # type: ignore[union-attr]
        p50, p90, p99 = percentiles(latencies, (50, 90, 99))
        return Measurement(
            requests=len(latencies),
            seconds=seconds,
            rps=tps,
            p50_ms=p50 / 1000,
            p90_ms=p90 / 1000,
            p99_ms=p99 / 1000,
            errors=int(failed.group(1)) if failed else 0,
        )
