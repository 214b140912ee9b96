"""SQLModel builds the queries, psycopg runs them.

Repositories write every statement as a SQLModel/SQLAlchemy expression over the table models
(`select(...)`, `insert(Task)`, `update(Task)`, `delete(User)`), with named `bindparam`s, so
the type checker sees the columns. `compile_statement` turns one into what psycopg runs: the
SQL text, with `%(name)s` placeholders, rendered by SQLAlchemy's own PostgreSQL psycopg
dialect, once (at import for a fixed shape, once per shape for the list). At request time
the repository hands that text and a dict of values to `DbSession`, which runs it on the
request's psycopg connection.

Why not the ORM's session at request time: measured on this project, `AsyncSession` with
`session.exec(select(Task))` cost 2-3x the API's whole CPU per request, and SQLAlchemy Core
on its own `AsyncConnection` +60-80%; statements compiled here and run by psycopg cost the
same as the hand-written SQL they replaced (docs/architecture.md, "The data layer").

What a statement may not hold, so that its text is complete at compile time:
- an expanding `IN` (`column.in_(bindparam(..., expanding=True))`) or any other parameter
  rendered after compilation: write `column == any_(bindparam("ids", type_=ARRAY(...)))`;
- a value baked into the statement (`Task.id == 5`): every value is a named `bindparam`, so
  the same text serves every request and psycopg can prepare it.
"""

from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import bindparam
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import BindParameter, ClauseElement

_DIALECT = PGDialect_psycopg()  # type: ignore[no-untyped-call]


@dataclass(frozen=True, slots=True)
class Statement:
    """A compiled statement: its text for psycopg, the names of the values it takes, and
    whether psycopg may prepare it (None: after a few runs, psycopg's default; False: never,
    so that PostgreSQL plans every run for its own values)."""

    sql: str
    params: frozenset[str]
    prepare: bool | None = None
    # The same write recording the request's Idempotency-Key in the same statement, for a
    # task write that may carry one (src/repositories/idempotency.py, `keyable`).
    keyed: "Statement | None" = None


class StatementError(ValueError):
    """A statement that cannot be compiled once and run with named values."""


def compile_statement(statement: Executable, *, prepare: bool | None = None) -> Statement:
    """`statement` as psycopg runs it. Raises StatementError for what would need work at
    request time (see the module's docstring).

    `prepare=False` for a statement whose best plan depends on its values (a search pattern:
    a rare word is found through the trigram index, a common one by reading the list in
    order); a prepared statement soon runs a generic plan that knows no value."""
    assert isinstance(statement, ClauseElement)
    compiled = cast(SQLCompiler, statement.compile(dialect=_DIALECT))
    names = compiled.bind_names  # each bind parameter, and its name in the text
    late = compiled.post_compile_params | compiled.literal_execute_params
    if late:
        rendered = sorted(names[bind] for bind in late)
        raise StatementError(f"parameters rendered at run time: {rendered}; use = ANY(:array)")
    baked = sorted(
        name
        for bind, name in names.items()
        if bind.unique or bind.value is not None or bind.callable is not None
    )
    if baked:
        raise StatementError(f"values baked into the statement: {baked}; use named bindparams")
    return Statement(compiled.string, frozenset(names.values()), prepare)


def param(name: str, column: Any) -> BindParameter[Any]:
    """A named parameter of `column`'s type (`param("title", Task.title)`), where SQLAlchemy
    cannot infer it from a comparison: in a SELECT list or a SET clause. (SQLModel types a
    model's attributes as their Python values, hence `Any`; mypy still checks the attribute.)"""
    return bindparam(name, type_=column.type)
