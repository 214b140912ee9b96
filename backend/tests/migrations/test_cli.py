"""Every command of docs/migrations.md, run as a developer runs it: `alembic ...` in backend/.

Each test gets a fresh database through DATABASE_URL. The `revision` commands write into a
copy of alembic.ini and alembic/ in tmp_path, never into the real alembic/versions.
"""

import ast
import re
import subprocess
import sys
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.engine import URL

from src.db.schema_objects import schema_objects
from tests.migrations.helpers import (
    HEAD_FUNCTIONS,
    HEAD_TABLES,
    HEAD_TRIGGERS,
    OUTBOX_FUNCTIONS,
    OUTBOX_TABLES,
    OUTBOX_TRIGGERS,
    SEED_DDL,
    SEED_TABLES,
    SYNC_FUNCTIONS,
    SYNC_TABLES,
    SYNC_TRIGGERS,
    TAG_COUNTS_TRIGGERS,
    UPDATED_AT_TRIGGERS,
    copy_of_alembic,
    execute,
    functions,
    head,
    query,
    run_alembic,
    script_directory,
    tables,
    triggers,
    versions,
)
from tests.support.databases import BACKEND_DIR


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_current_and_history(empty_database: URL) -> None:
    assert ok(run_alembic(empty_database, "current")).strip() == ""  # nothing applied yet

    history = ok(run_alembic(empty_database, "history"))
    for script in script_directory().walk_revisions():
        assert f"-> {script.revision}" in history
    assert "<base> -> 001, Initial schema" in history
    assert f"-> {head()} (head)" in history


def test_upgrade_head_and_downgrades(empty_database: URL) -> None:
    ok(run_alembic(empty_database, "upgrade", "head"))
    assert ok(run_alembic(empty_database, "current")).strip() == f"{head()} (head)"
    assert tables(empty_database) == HEAD_TABLES
    assert triggers(empty_database) == HEAD_TRIGGERS
    assert functions(empty_database) == HEAD_FUNCTIONS

    # A key recorded with a task row (a keyed write) and one with a stored response.
    execute(
        empty_database,
        "INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at, snapshot, status)"
        " VALUES (gen_random_uuid(), 'row', '\\x00', now(), '{}', NULL),"
        " (gen_random_uuid(), 'response', '\\x00', now(), NULL, 204)",
    )
    ok(run_alembic(empty_database, "downgrade", "-1"))
    previous = script_directory().get_revision(head()).down_revision
    assert versions(empty_database) == [previous]
    assert previous == "012"  # 013 undone: the trigram indexes' options are reset
    options = query(
        empty_database,
        "SELECT count(*) FROM pg_class WHERE relname LIKE 'ix_tasks_%_trgm'"
        " AND reloptions IS NOT NULL",
    )
    assert options == [(0,)]
    assert tables(empty_database) == HEAD_TABLES
    ok(run_alembic(empty_database, "downgrade", "-1"))
    assert versions(empty_database) == ["011"]  # 012 undone: the sent reminders are gone
    assert "sent_reminders" not in tables(empty_database)
    ok(run_alembic(empty_database, "downgrade", "-1"))
    assert versions(empty_database) == ["010"]  # 011 undone: the outbox and its triggers
    assert tables(empty_database) == HEAD_TABLES - OUTBOX_TABLES
    assert triggers(empty_database) == HEAD_TRIGGERS - OUTBOX_TRIGGERS
    assert functions(empty_database) == HEAD_FUNCTIONS - OUTBOX_FUNCTIONS
    # 008's deletion trigger function is 008's again: a deletion still leaves its tombstone.
    execute(
        empty_database,
        "INSERT INTO users (id, email) VALUES ('00000000-0000-0000-0000-00000000000a', 'a@x');"
        " INSERT INTO tasks (user_id, title) VALUES ('00000000-0000-0000-0000-00000000000a', 't');"
        " DELETE FROM tasks;",
    )
    assert query(empty_database, "SELECT count(*) FROM task_tombstones") == [(1,)]

    ok(run_alembic(empty_database, "downgrade", "-1"))
    assert versions(empty_database) == ["009"]  # 010 undone: the keys' snapshot column is gone
    # 009's code cannot replay a key without a response: forgotten, the other kept.
    assert query(empty_database, "SELECT key FROM idempotency_keys") == [("response",)]
    columns = query(
        empty_database,
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'idempotency_keys'",
    )
    assert ("snapshot",) not in columns
    assert ("body",) in columns

    ok(run_alembic(empty_database, "downgrade", "008"))  # 009 undone: its index is gone
    indexes = query(empty_database, "SELECT indexname FROM pg_indexes WHERE tablename = 'tasks'")
    assert ("ix_tasks_user_id_change_seq",) not in indexes

    ok(run_alembic(empty_database, "downgrade", "007"))  # 008 undone: sync and keys gone
    assert tables(empty_database) == HEAD_TABLES - OUTBOX_TABLES - SYNC_TABLES
    assert triggers(empty_database) == HEAD_TRIGGERS - OUTBOX_TRIGGERS - SYNC_TRIGGERS
    assert functions(empty_database) == HEAD_FUNCTIONS - OUTBOX_FUNCTIONS - SYNC_FUNCTIONS

    ok(run_alembic(empty_database, "downgrade", "006"))  # 007 undone: tag_counts gone
    assert tables(empty_database) == HEAD_TABLES - OUTBOX_TABLES - SYNC_TABLES - {"tag_counts"}
    assert triggers(empty_database) == (
        HEAD_TRIGGERS - OUTBOX_TRIGGERS - SYNC_TRIGGERS - TAG_COUNTS_TRIGGERS
    )

    ok(run_alembic(empty_database, "downgrade", "005"))  # 006 undone: its indexes are gone
    indexes = query(empty_database, "SELECT indexname FROM pg_indexes WHERE tablename = 'tasks'")
    assert not [row for row in indexes if "priority" in str(row[0]) or "due" in str(row[0])]
    assert query(
        empty_database,
        "SELECT count(*) FROM information_schema.columns"
        " WHERE table_name = 'tasks' AND column_name = 'priority'",
    ) == [(1,)]

    ok(run_alembic(empty_database, "downgrade", "003"))
    assert versions(empty_database) == ["003"]  # 004 undone: its table, triggers, function
    assert tables(empty_database) == SEED_TABLES
    assert triggers(empty_database) == UPDATED_AT_TRIGGERS
    assert functions(empty_database) == {"set_updated_at"}

    ok(run_alembic(empty_database, "upgrade", "head"))
    ok(run_alembic(empty_database, "downgrade", "001"))
    assert ok(run_alembic(empty_database, "current")).strip() == "001"
    assert tables(empty_database) == SEED_TABLES
    assert triggers(empty_database) == set()
    assert functions(empty_database) == set()


def test_every_command_names_its_database_and_where_it_came_from(empty_database: URL) -> None:
    result = run_alembic(empty_database, "current")

    assert result.returncode == 0, result.stderr
    first = result.stderr.splitlines()[0]
    assert first == (
        f"INFO  [alembic.env] database {empty_database.render_as_string(hide_password=True)}, "
        "from DATABASE_URL in the environment"
    )


def test_a_stamp_the_objects_do_not_back_is_refused(empty_database: URL) -> None:
    refused = run_alembic(empty_database, "stamp", "head")

    assert refused.returncode != 0
    assert "Traceback" not in refused.stderr
    assert f"FAILED: refusing to stamp {head()}: the database lacks users, tasks" in refused.stdout
    assert "It holds none of the revisions' objects: run `alembic upgrade head`" in refused.stdout
    assert "alembic_version" not in tables(empty_database)  # the stamp was rolled back

    # Stamps the objects back are accepted, down and up.
    ok(run_alembic(empty_database, "upgrade", "head"))
    ok(run_alembic(empty_database, "stamp", "003"))
    assert versions(empty_database) == ["003"]
    ok(run_alembic(empty_database, "stamp", "head"))
    assert versions(empty_database) == [head()]


def test_the_guides_relation_already_exists_case_leads_to_the_one_safe_fix(
    empty_database: URL,
) -> None:
    """The guide's troubleshooting case, as a user follows it: tables made by hand from the
    seed's DDL, `alembic upgrade head`, then the guide's `alembic stamp head`."""
    execute(empty_database, SEED_DDL)

    failed = run_alembic(empty_database, "upgrade", "head")
    assert failed.returncode != 0
    assert "Traceback" not in failed.stderr
    assert failed.stdout.strip() == (
        "FAILED: database has tables that Alembic did not make and no alembic_version; its "
        "objects are those of revision 001: run `alembic stamp 001 && alembic upgrade head` "
        "from backend/ (docs/migrations.md)"
    )

    refused = run_alembic(empty_database, "stamp", "head")  # the guide's advice
    assert refused.returncode != 0
    assert "Traceback" not in refused.stderr
    # Options on indexes a hand-made database does not have (013's) count as shown.
    later = [
        o for o in schema_objects().objects if o.revision != "001" and o.kind != "index_options"
    ]
    never_ran = ", ".join(sorted({o.revision for o in later}))
    assert refused.stdout.strip() == (
        f"FAILED: refusing to stamp {head()}: the database lacks "
        f"{', '.join(str(o) for o in later)} (revisions {never_ran} never ran), and a stamp "
        "runs nothing. Its objects are those of revision 001: run "
        "`alembic stamp 001 && alembic upgrade head` (docs/migrations.md)."
    )
    assert str(later[0]) == "set_updated_at()"  # 002's, first
    assert "alembic_version" not in tables(empty_database)

    # The one safe fix: mark 001 as applied, then run what follows it.
    ok(run_alembic(empty_database, "stamp", "001"))
    ok(run_alembic(empty_database, "upgrade", "head"))
    assert versions(empty_database) == [head()]
    assert tables(empty_database) == HEAD_TABLES
    assert triggers(empty_database) == HEAD_TRIGGERS


def new_revisions(ini: Path, before: set[str]) -> list[Path]:
    return [p for p in (ini.parent / "alembic/versions").glob("*.py") if p.name not in before]


def function_body(source: str, name: str) -> list[ast.stmt]:
    module = ast.parse(source)
    return next(f.body for f in module.body if isinstance(f, ast.FunctionDef) and f.name == name)


def test_revision_commands_write_applicable_revisions(empty_database: URL, tmp_path: Path) -> None:
    real_versions = sorted(p.name for p in (BACKEND_DIR / "alembic/versions").glob("*.py"))
    ini = copy_of_alembic(tmp_path)
    existing = {p.name for p in (tmp_path / "alembic/versions").glob("*.py")}
    ok(run_alembic(empty_database, "upgrade", "head", config=ini))

    # At head the models match the database: autogenerate finds nothing to do. Numbered
    # after head, as docs/migrations.md asks (003 follows 002).
    number = f"{int(head()) + 1:03d}"
    autogenerate = ["revision", "--autogenerate", "-m", "No changes", "--rev-id", number]
    ok(run_alembic(empty_database, *autogenerate, config=ini))
    [autogenerated] = new_revisions(ini, existing)
    assert autogenerated.name == f"{number}_no_changes.py"
    source = autogenerated.read_text()
    assert "import sqlmodel" in source
    assert [type(s) for s in function_body(source, "upgrade")] == [ast.Pass]
    assert [type(s) for s in function_body(source, "downgrade")] == [ast.Pass]

    # Without --rev-id, alembic numbers a revision with 12 random hex digits. Nothing it
    # prints looks like an error (the hooks used to report an E501 the formatter then fixed).
    written = run_alembic(empty_database, "revision", "-m", "Manual step", config=ini)
    printed = written.stdout + written.stderr
    # A ruff finding ("E501"), in capitals: the revision's hex id may hold "e501".
    assert not re.search(r"\b[A-Z]{1,4}\d{3,4}\b|Found \d", printed), printed
    assert "error" not in printed.lower(), printed
    [manual] = new_revisions(ini, existing | {autogenerated.name})
    assert re.fullmatch(r"[0-9a-f]{12}_manual_step\.py", manual.name)
    compile(manual.read_text(), str(manual), "exec")
    copy = ScriptDirectory.from_config(Config(str(ini)))
    assert copy.get_current_head() == manual.name[:12]
    assert copy.get_revision(manual.name[:12]).down_revision == number

    # Both keep the template's imports, so the guide's "edit the generated file" works: the
    # hooks' ruff used to delete the unused `op`, and `op.execute` then raised NameError.
    for revision in (autogenerated, manual):
        assert "from alembic import op\n" in revision.read_text()
        assert "import sqlalchemy as sa\n" in revision.read_text()
    manual.write_text(
        manual.read_text().replace(
            "def upgrade() -> None:\n    pass",
            'def upgrade() -> None:\n    op.execute("CREATE TABLE manual_step (id integer)")',
        )
    )

    # The post-write hook ran `ruff format` on both files.
    ruff = [sys.executable, "-m", "ruff", "format", "--check", str(autogenerated), str(manual)]
    formatted = subprocess.run(ruff, capture_output=True, text=True)
    assert formatted.returncode == 0, formatted.stdout

    ok(run_alembic(empty_database, "upgrade", "head", config=ini))
    assert versions(empty_database) == [manual.name[:12]]
    assert "manual_step" in tables(empty_database)
    ok(run_alembic(empty_database, "downgrade", "-1", config=ini))
    assert versions(empty_database) == [number]

    assert sorted(p.name for p in (BACKEND_DIR / "alembic/versions").glob("*.py")) == real_versions
