"""What the migration tests share: the seed's DDL, the alembic CLI, and schema queries."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, pool, text
from sqlalchemy.engine import URL

from tests.support.databases import BACKEND_DIR, alembic_config

# The hand-written DDL of the migration guide the project started from (docs/migrations.md).
SEED_DDL = """
CREATE TABLE users (
    id UUID PRIMARY KEY,
    email VARCHAR(255) NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE tasks (
    id SERIAL PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES users(id),
    title VARCHAR(500) NOT NULL,
    description VARCHAR(5000),
    is_completed BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX ix_users_id ON users (id);
CREATE UNIQUE INDEX ix_users_email ON users (email);
CREATE INDEX ix_tasks_user_id ON tasks (user_id);
"""

# What each revision adds that the tests look for by name: 002 the updated_at triggers,
# 004 the table task_counts, its trigger function and the triggers that keep it; 007 tag_counts;
# 008 the sync and idempotency tables, triggers and functions.
SEED_TABLES = {"alembic_version", "users", "tasks"}
SYNC_TABLES = {"idempotency_keys", "task_tombstones", "sync_epoch"}
OUTBOX_TABLES = {"outbox_events", "sent_reminders"}
HEAD_TABLES = SEED_TABLES | {"task_counts", "tag_counts"} | SYNC_TABLES | OUTBOX_TABLES
UPDATED_AT_TRIGGERS = {"users_set_updated_at", "tasks_set_updated_at"}
TASK_COUNTS_TRIGGERS = {
    "task_counts_on_insert",
    "task_counts_on_update",
    "task_counts_on_delete",
    "task_counts_on_truncate",
}
TAG_COUNTS_TRIGGERS = {
    "tasks_tag_counts_on_insert",
    "tasks_tag_counts_on_update",
    "tasks_tag_counts_on_delete",
    "tasks_tag_counts_on_truncate",
}
SYNC_TRIGGERS = {"tasks_change_seq", "tasks_tombstones_on_delete", "tasks_tombstones_on_truncate"}
SYNC_FUNCTIONS = {"task_change_seq_stamp", "task_tombstones_record", "task_change_lock"}
OUTBOX_TRIGGERS = {"tasks_outbox", "users_outbox"}
OUTBOX_FUNCTIONS = {"outbox_record_task_change", "outbox_record_user_change"}
HEAD_TRIGGERS = (
    UPDATED_AT_TRIGGERS
    | TASK_COUNTS_TRIGGERS
    | TAG_COUNTS_TRIGGERS
    | SYNC_TRIGGERS
    | OUTBOX_TRIGGERS
)
HEAD_FUNCTIONS = (
    {"set_updated_at", "task_counts_apply", "tag_counts_apply"} | SYNC_FUNCTIONS | OUTBOX_FUNCTIONS
)

# The `alembic` console script of the virtualenv running the tests (backend/.venv).
ALEMBIC = Path(sys.executable).parent / ("alembic.exe" if os.name == "nt" else "alembic")


def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head() -> str:
    revision = script_directory().get_current_head()
    assert revision is not None
    return revision


def alembic_env(url: URL) -> dict[str, str]:
    return {
        **os.environ,
        "APP_ENV": "test",
        "DATABASE_URL": url.render_as_string(hide_password=False),
    }


def run_alembic(
    url: URL, *args: str, config: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """`alembic <args>` run from backend/ as a developer would, with DATABASE_URL set."""
    command = [str(ALEMBIC), *(["-c", str(config)] if config else []), *args]
    return subprocess.run(
        command, cwd=BACKEND_DIR, env=alembic_env(url), capture_output=True, text=True, timeout=120
    )


def copy_of_alembic(directory: Path) -> Path:
    """alembic.ini and alembic/ (env.py, template, versions) copied, with pyproject.toml for
    the ruff hooks' settings; returns the ini's path."""
    shutil.copy(BACKEND_DIR / "alembic.ini", directory)
    shutil.copy(BACKEND_DIR / "pyproject.toml", directory)
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(BACKEND_DIR / "alembic", directory / "alembic", ignore=ignore)
    return directory / "alembic.ini"


def query(url: URL, sql: str) -> list[tuple[object, ...]]:
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql))]
    finally:
        engine.dispose()


def execute(url: URL, sql: str) -> None:
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(sql)
    finally:
        engine.dispose()


def has_pg_trgm(url: URL) -> bool:
    """Whether the server has pg_trgm, and so revision 006's trigram indexes (the embedded
    pgserver has not)."""
    return bool(query(url, "SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'"))


def tables(url: URL) -> set[str]:
    rows = query(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    return {str(name) for (name,) in rows}


def versions(url: URL) -> list[str]:
    """The rows of alembic_version: [] at base, [head] at head."""
    return [str(v) for (v,) in query(url, "SELECT version_num FROM alembic_version")]


def triggers(url: URL) -> set[str]:
    rows = query(url, "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
    return {str(name) for (name,) in rows}


def functions(url: URL) -> set[str]:
    """The functions of the public schema (the triggers' functions: the app defines no other)."""
    rows = query(  # our own functions, not an extension's (pg_trgm, revision 006)
        url,
        "SELECT proname FROM pg_proc p WHERE pronamespace = 'public'::regnamespace"
        " AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')",
    )
    return {str(name) for (name,) in rows}


def start_upgrade(
    url: URL, name: str, config: Path | None = None, target: str = "head"
) -> subprocess.Popen[str]:
    """`alembic upgrade head` (or `target`), its session named `name` in pg_stat_activity
    (PGAPPNAME)."""
    return subprocess.Popen(
        [str(ALEMBIC), *(["-c", str(config)] if config else []), "upgrade", target],
        cwd=BACKEND_DIR,
        env={**alembic_env(url), "PGAPPNAME": name},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_for_session(
    url: URL, name: str, *running: subprocess.Popen[str], lock: bool = False
) -> None:
    """Until the session `name` is connected (and waiting for a lock, when `lock`)."""
    sql = (
        "SELECT 1 FROM pg_stat_activity"
        f" WHERE datname = current_database() AND application_name = '{name}'"
    )
    if lock:
        sql += " AND wait_event_type = 'Lock'"
    deadline = time.monotonic() + 60
    while not query(url, sql):
        for process in running:
            assert process.poll() is None, process.communicate()[0]
        assert time.monotonic() < deadline, f"no session {name}"
        time.sleep(0.05)


def succeeded(process: subprocess.Popen[str]) -> bool:
    output = process.communicate(timeout=120)[0]
    assert process.returncode == 0, output
    return True
