"""Every statement of the repositories: compiled once from the models, complete at compile
time, unchanged unless a review sees the change, and accepted by PostgreSQL.

The snapshot (statements.snapshot.sql beside this file) holds the text psycopg runs for every
shape. A change to a query shows up in the diff; after reviewing it, rewrite the snapshot:

    UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/db/test_statements.py
"""

import os
import re
from itertools import combinations, product
from pathlib import Path

import pytest
from sqlalchemy import ARRAY, Integer, any_, bindparam, insert
from sqlmodel import col, select

from src.core.pagination import SORT_ORDERS
from src.db.statements import Statement, StatementError, compile_statement, param
from src.models import Task
from src.repositories import (
    idempotency,
    maintenance,
    outbox,
    reminders,
    schema,
    sync,
    tasks,
    users,
)
from tests.support.db import TestDb

SNAPSHOT = Path(__file__).with_name("statements.snapshot.sql")


def every_statement() -> dict[str, Statement]:
    found: dict[str, Statement] = {}
    for module in (tasks, users, schema, sync, idempotency, maintenance, outbox, reminders):
        repository = module.__name__.rsplit(".", 1)[1]
        for name, statement in module.all_statements().items():
            found[f"{repository}: {name}"] = statement
            if statement.keyed is not None:  # the write recording an Idempotency-Key
                found[f"{repository}: {name}, keyed"] = statement.keyed
    return found


def render(statements: dict[str, Statement]) -> str:
    return "".join(f"-- {name}\n{s.sql.strip()};\n\n" for name, s in sorted(statements.items()))


def test_the_compiled_text_of_every_statement_matches_the_snapshot() -> None:
    text = render(every_statement())
    if os.environ.get("UPDATE_SNAPSHOTS"):
        SNAPSHOT.write_text(text)
    assert SNAPSHOT.read_text() == text, (
        "a repository's SQL changed: review the diff, then UPDATE_SNAPSHOTS=1 (module docstring)"
    )


@pytest.mark.parametrize(
    "module",
    [tasks, users, schema, sync, idempotency, maintenance, outbox, reminders],
    ids=lambda m: m.__name__,
)
def test_all_statements_lists_every_statement_the_module_compiled_at_import(module: object) -> None:
    """A statement added at module level but left out of all_statements() would escape the
    snapshot and the PREPARE below."""
    at_import = {id(v) for v in vars(module).values() if isinstance(v, Statement)}
    at_import |= {
        id(s)
        for v in vars(module).values()
        if isinstance(v, dict)
        for s in v.values()
        if isinstance(s, Statement)
    }
    listed = {id(s) for s in module.all_statements().values()}  # type: ignore[attr-defined]
    assert at_import
    assert at_import <= listed


def test_postgresql_prepares_every_statement_and_psycopg_gets_every_value_by_name(
    db: TestDb,
) -> None:
    """PREPARE parses, types and plans each text as the server would run it (nothing runs);
    each placeholder is one of the statement's named parameters."""
    statements = every_statement()
    lists = [name for name in statements if name.startswith("tasks: list ")]
    assert len(lists) >= len(SORT_ORDERS) * 5  # each sort: after or not, completed or not, all
    for name, statement in statements.items():
        text, placeholders = numbered(statement.sql)
        assert placeholders == statement.params, name
        db.execute(f"PREPARE checked AS {text}")
        db.execute("DEALLOCATE checked")


def test_every_other_combination_of_filters_and_patch_fields_prepares(db: TestDb) -> None:
    """The shapes all_statements() leaves out of the snapshot: every combination of the list's
    filters (with and without a cursor, for the sort keys that differ), and every set of
    fields a PATCH may send."""
    both = (False, True)
    shapes = [
        tasks.FilterShape(completed, q, priorities, tags, before, after, overdue)
        for completed, q, priorities, tags, before, after in product(both, repeat=6)
        for overdue in (None, False, True)
    ]
    built = [
        tasks._list_statement(sort, after, shape)
        for shape in shapes
        for sort in ("-created_at", "due_date", "-priority")
        for after in both
    ]
    names = list(tasks._WRITABLE)
    built += [
        tasks.update_statement(fields, versioned)
        for size in range(1, len(names) + 1)
        for fields in combinations(names, size)
        for versioned in both
    ]
    assert len(built) > 1000
    for statement in built:
        text, placeholders = numbered(statement.sql)
        assert placeholders == statement.params
        db.execute(f"PREPARE checked AS {text}")
        db.execute("DEALLOCATE checked")


def numbered(sql: str) -> tuple[str, set[str]]:
    """psycopg's `%(name)s` placeholders as PREPARE's `$1, $2, ...`, and their names."""
    numbers: dict[str, int] = {}

    def number(match: re.Match[str]) -> str:
        return f"${numbers.setdefault(match[1], len(numbers) + 1)}"

    return re.sub(r"%\((\w+)\)s", number, sql), set(numbers)


def test_an_expanding_in_is_refused_in_favour_of_any() -> None:
    with pytest.raises(StatementError, match="ANY"):
        compile_statement(select(Task).where(col(Task.id).in_(bindparam("ids", expanding=True))))
    ids = bindparam("ids", type_=ARRAY(Integer()))
    compiled = compile_statement(select(Task).where(col(Task.id) == any_(ids)))
    assert "= ANY (%(ids)s::INTEGER[])" in compiled.sql
    assert compiled.params == {"ids"}


@pytest.mark.parametrize(
    "statement",
    [
        select(Task).where(col(Task.id) == 5),
        select(Task).where(col(Task.id) == bindparam("id", value=5)),
        select(Task).limit(50),
    ],
    ids=["literal", "bindparam with a value", "literal limit"],
)
def test_a_value_baked_into_a_statement_is_refused(statement: object) -> None:
    with pytest.raises(StatementError, match="baked"):
        compile_statement(statement)  # type: ignore[arg-type]


def test_param_takes_the_type_of_its_column() -> None:
    compiled = compile_statement(
        insert(Task).values(title=param("title", Task.title), user_id=param("u", Task.user_id))
    )
    assert "%(title)s::VARCHAR" in compiled.sql
    assert "%(u)s::UUID" in compiled.sql
