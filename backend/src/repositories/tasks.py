"""Tasks, always scoped to their owner: another user's task is indistinguishable from none.

Every statement is a SQLModel expression over the table models, compiled once
(src/db/statements.py) and run on the request's psycopg connection: each method sends one
statement on its success path (a second one only to tell a missing task from a stale
If-Match). `select(Task)` reads every column of the model, so a column added to `Task` is
read everywhere.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from itertools import combinations, product
from typing import Any, cast

from sqlalchemy import ARRAY, DateTime, any_, bindparam, case, delete, exists, func, insert, not_
from sqlalchemy import tuple_ as row_of
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import ScalarSelect
from sqlmodel import col, or_, select, update

from src.core.errors import NotFoundError, PreconditionFailedError
from src.core.pagination import SORT_ORDERS, Position, sort_column
from src.db.session import DbSession
from src.db.statements import Statement, compile_statement, param
from src.models import Task, TaskCount, TaskCreate, TaskRow, User
from src.models._common import utcnow
from src.repositories._rows import mark_utc

_STALE = "the task changed since the version in If-Match; fetch it again"
_MISSING = "no such task"
# Fields a client may change, in the order a SET clause names them.
_WRITABLE: dict[str, Any] = {
    "title": Task.title,
    "description": Task.description,
    "is_completed": Task.is_completed,
}
# The columns of the sort orders (src/core/pagination.py).
_SORTABLE: dict[str, Any] = {
    "created_at": Task.created_at,
    "updated_at": Task.updated_at,
    "title": Task.title,
    "id": Task.id,
}


@dataclass(frozen=True)
class TaskFilter:
    completed: bool | None = None
    q: str | None = None


@dataclass(frozen=True)
class Page:
    tasks: list[TaskRow]
    total: int  # tasks matching the filters, on all pages


class TaskRepository:
    def __init__(self, session: DbSession) -> None:
        self.session = session

    # -- reads ---------------------------------------------------------------------------
    async def get(self, user_id: uuid.UUID, task_id: int) -> TaskRow:
        task = await self.session.fetch_one(_GET, {"id": task_id, "user_id": user_id})
        if task is None:
            raise NotFoundError(_MISSING)
        return in_utc(task)

    async def list_page(
        self,
        user_id: uuid.UUID,
        filters: TaskFilter,
        sort: str,
        limit: int,
        after: Position | None = None,
    ) -> Page:
        """Up to `limit` tasks in keyset order (the sort column, then id to break ties), and
        how many match in all. Without `q`, one statement reads both: the count rides along
        each row from task_counts, so a page costs one round trip."""
        params: dict[str, Any] = {"user_id": user_id, "limit": limit, **_filter_params(filters)}
        if after is not None:
            params["key"], params["after_id"] = after.key, after.task_id
        query = _list_statement(
            sort, after is not None, filters.completed is not None, bool(filters.q)
        )
        rows = await self.session.fetch_all(query, params)
        if rows and not filters.q:
            total = int(rows[0][_TOTAL] or 0)
        else:  # an empty page, past the end or of a user with no tasks, or a search
            total = await self.count(user_id, filters)
        return Page([in_utc(row) for row in rows], total)

    async def count(self, user_id: uuid.UUID, filters: TaskFilter) -> int:
        """How many tasks match. Without `q`, read from task_counts (kept by triggers,
        revision 004): the same cost at 10 tasks as at 10 million."""
        if filters.q:
            query = _count_statement(filters.completed is not None)
            row = await self.session.fetch_one(
                query, {"user_id": user_id, **_filter_params(filters)}
            )
            return int(row["n"]) if row else 0
        row = await self.session.fetch_one(_COUNTS, {"user_id": user_id})
        if row is None:
            return 0
        total, completed = int(row["total"]), int(row["completed"])
        if filters.completed is None:
            return total
        return completed if filters.completed else total - completed

    # -- writes --------------------------------------------------------------------------
    async def create(self, user_id: uuid.UUID, data: TaskCreate) -> TaskRow | None:
        """The new task; None when the user has no row yet (provision it, then retry)."""
        now = utcnow()
        task = await self.session.fetch_one(
            _CREATE,
            {
                "user_id": user_id,
                "title": data.title,
                "description": data.description,
                "is_completed": data.is_completed,
                "created_at": now,
                "updated_at": now,
            },
        )
        return None if task is None else in_utc(task)

    async def update(
        self,
        user_id: uuid.UUID,
        task_id: int,
        changes: dict[str, Any],
        if_match: list[datetime] | None = None,
    ) -> TaskRow:
        """Apply `changes` in one conditional UPDATE; If-Match versions are checked atomically,
        so of two writers holding the same tag exactly one succeeds."""
        if not changes:
            task = await self.get(user_id, task_id)
            if if_match is not None and _naive(task["updated_at"]) not in if_match:
                raise PreconditionFailedError(_STALE)
            return task
        names = tuple(name for name in _WRITABLE if name in changes)
        if len(names) != len(changes):
            raise ValueError(f"not writable: {sorted(set(changes) - set(names))}")
        query = _update_statement(names, if_match is not None)
        return await self._update_one(user_id, task_id, query, changes, if_match)

    async def toggle_completed(
        self, user_id: uuid.UUID, task_id: int, if_match: list[datetime] | None = None
    ) -> TaskRow:
        query = _TOGGLE[if_match is not None]
        return await self._update_one(user_id, task_id, query, {}, if_match)

    async def delete(
        self, user_id: uuid.UUID, task_id: int, if_match: list[datetime] | None = None
    ) -> None:
        params = {"id": task_id, "user_id": user_id, "versions": if_match}
        if await self.session.fetch_one(_DELETE[if_match is not None], params) is None:
            await self._raise_missing_or_stale(user_id, task_id)

    # -- helpers -------------------------------------------------------------------------
    async def _update_one(
        self,
        user_id: uuid.UUID,
        task_id: int,
        query: Statement,
        values: dict[str, Any],
        if_match: list[datetime] | None,
    ) -> TaskRow:
        params = {**values, "id": task_id, "user_id": user_id, "versions": if_match}
        task = await self.session.fetch_one(query, params)
        if task is None:
            await self._raise_missing_or_stale(user_id, task_id)
        assert task is not None
        return in_utc(task)

    async def _raise_missing_or_stale(self, user_id: uuid.UUID, task_id: int) -> None:
        await self.get(user_id, task_id)  # raises NotFoundError when the task is not the user's
        raise PreconditionFailedError(_STALE)


# -- statements ------------------------------------------------------------------------
# Built from the models and compiled once; values travel as the named parameters.
_USER = param("user_id", Task.user_id)
_OWNED = (col(Task.id) == bindparam("id"), col(Task.user_id) == _USER)
# If-Match: the row's version is one of those the client holds.
_VERSIONED = col(Task.updated_at) == any_(bindparam("versions", type_=ARRAY(DateTime())))


def _target(with_versions: bool) -> tuple[ColumnElement[bool], ...]:
    return (*_OWNED, _VERSIONED) if with_versions else _OWNED


_GET = compile_statement(select(Task).where(*_OWNED))
_COUNTS = compile_statement(
    select(TaskCount.total, TaskCount.completed).where(col(TaskCount.user_id) == _USER)
)
# Inserts nothing (and returns no row) while the user has no row: the caller provisions the
# user and tries again, so reads and most writes never look the user up.
_INSERTED: dict[str, Any] = {
    "user_id": Task.user_id,
    "title": Task.title,
    "description": Task.description,
    "is_completed": Task.is_completed,
    "created_at": Task.created_at,
    "updated_at": Task.updated_at,
}
_CREATE = compile_statement(
    insert(Task)
    .from_select(
        list(_INSERTED),
        select(*(param(name, column) for name, column in _INSERTED.items())).where(
            exists().where(col(User.id) == _USER)
        ),
    )
    .returning(Task)
)
_DELETE = {
    versioned: compile_statement(delete(Task).where(*_target(versioned)).returning(col(Task.id)))
    for versioned in (False, True)
}


@lru_cache(maxsize=16)
def _update_statement(names: tuple[str, ...], with_versions: bool) -> Statement:
    """UPDATE of the named fields, each set from the parameter of its name."""
    values = {name: param(name, _WRITABLE[name]) for name in names}
    return compile_statement(
        update(Task).values(values).where(*_target(with_versions)).returning(Task)
    )


_TOGGLE = {
    versioned: compile_statement(
        update(Task)
        .values(is_completed=not_(col(Task.is_completed)))
        .where(*_target(versioned))
        .returning(Task)
    )
    for versioned in (False, True)
}


def _where(by_completed: bool, has_q: bool) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [col(Task.user_id) == _USER]
    if by_completed:
        conditions.append(col(Task.is_completed) == bindparam("completed"))
    if has_q:
        pattern = param("pattern", Task.title)
        conditions.append(or_(col(Task.title).ilike(pattern), col(Task.description).ilike(pattern)))
    return conditions


@lru_cache(maxsize=2)
def _count_statement(by_completed: bool) -> Statement:
    """How many tasks match a search (`q`): a COUNT over the user's matching tasks."""
    count = select(func.count().label("n")).where(*_where(by_completed, has_q=True))
    return compile_statement(count)


def _filter_params(filters: TaskFilter) -> dict[str, Any]:
    params: dict[str, Any] = {}
    if filters.completed is not None:
        params["completed"] = filters.completed
    if filters.q:
        params["pattern"] = "%" + _escape_like(filters.q) + "%"
    return params


_TOTAL = "matching_total"


def _counted(by_completed: bool) -> ScalarSelect[Any]:
    """How many of the user's tasks match, from task_counts (evaluated once: an InitPlan);
    `completed` is the filter's value."""
    matching: Any = col(TaskCount.total)
    if by_completed:
        matching = case(
            (bindparam("completed"), col(TaskCount.completed)),
            else_=col(TaskCount.total) - col(TaskCount.completed),
        )
    return select(matching).where(col(TaskCount.user_id) == _USER).scalar_subquery()


@lru_cache(maxsize=len(SORT_ORDERS) * 8)
def _list_statement(sort: str, has_after: bool, by_completed: bool, has_q: bool) -> Statement:
    name, descending = sort_column(sort)  # a SortOrder: never text from the client
    column = _SORTABLE[name]
    keys = [column] if name == "id" else [column, col(Task.id)]
    where = _where(by_completed, has_q)
    if has_after:
        after = [param("after_id", Task.id)]
        if name != "id":
            after.insert(0, param("key", column))
        before_or_after = (
            row_of(*keys) < row_of(*after) if descending else row_of(*keys) > row_of(*after)
        )
        where.append(before_or_after)
    order = [key.desc() if descending else key.asc() for key in keys]
    # Without q the count comes from task_counts, along each row.
    query = select(Task) if has_q else select(Task, _counted(by_completed).label(_TOTAL))
    return compile_statement(query.where(*where).order_by(*order).limit(bindparam("limit")))


def all_statements() -> dict[str, Statement]:
    """Every statement this repository runs, each shape by name (tests/db/test_statements.py
    compiles, snapshots and prepares them all)."""
    found = {"get": _GET, "counts": _COUNTS, "create": _CREATE}
    for versioned in (False, True):
        tag = " if-match" if versioned else ""
        found[f"delete{tag}"] = _DELETE[versioned]
        found[f"toggle{tag}"] = _TOGGLE[versioned]
        for size in range(1, len(_WRITABLE) + 1):
            for names in combinations(_WRITABLE, size):
                found[f"update {','.join(names)}{tag}"] = _update_statement(names, versioned)
    for by_completed in (False, True):
        found[f"count q{' completed' if by_completed else ''}"] = _count_statement(by_completed)
    both = (False, True)
    for sort, after, by_completed, has_q in product(SORT_ORDERS, both, both, both):
        flags = [("after", after), ("completed", by_completed), ("q", has_q)]
        shape = " ".join(["list", sort, *(flag for flag, on in flags if on)])
        found[shape] = _list_statement(sort, after, by_completed, has_q)
    return found


def _naive(value: datetime) -> datetime:
    return value.replace(tzinfo=None)


def in_utc(row: dict[str, Any]) -> TaskRow:
    """The row as a TaskRow: timestamps marked UTC, the count column of a page dropped."""
    row.pop(_TOTAL, None)
    return cast(TaskRow, mark_utc(row))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
