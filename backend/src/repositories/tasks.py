"""Tasks, always scoped to their owner: another user's task is indistinguishable from none.

Plain SQL on the request's psycopg connection: each method sends one statement on its
success path (a second one only to tell a missing task from a stale If-Match). The column
list comes from the table model, so a column added to `Task` is read everywhere.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import inspect as sa_inspect

from src.core.errors import NotFoundError, PreconditionFailedError
from src.core.pagination import Position, sort_column
from src.db.session import DbSession
from src.models import Task, TaskCreate, TaskRow
from src.models._common import utcnow
from src.repositories._rows import mark_utc

_STALE = "the task changed since the version in If-Match; fetch it again"
_MISSING = "no such task"
COLUMNS = ", ".join(sa_inspect(Task).columns.keys())
# Fields a client may change, in the order a SET clause names them.
_WRITABLE = ("title", "description", "is_completed")


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
        task = await self.session.fetch_one(_GET, (task_id, user_id))
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
        query = _list_query(sort, after is not None, filters.completed is not None, bool(filters.q))
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
            query = "SELECT count(*) AS n FROM tasks WHERE " + _where(filters)
            row = await self.session.fetch_one(
                query, {"user_id": user_id, **_filter_params(filters)}
            )
            return int(row["n"]) if row else 0
        row = await self.session.fetch_one(_COUNTS, (user_id,))
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
                "now": now,
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
        sets = ", ".join(f"{name} = %({name})s" for name in names)
        return await self._update_one(user_id, task_id, sets, changes, if_match)

    async def toggle_completed(
        self, user_id: uuid.UUID, task_id: int, if_match: list[datetime] | None = None
    ) -> TaskRow:
        return await self._update_one(
            user_id, task_id, "is_completed = NOT is_completed", {}, if_match
        )

    async def delete(
        self, user_id: uuid.UUID, task_id: int, if_match: list[datetime] | None = None
    ) -> None:
        params = {"id": task_id, "user_id": user_id, "versions": if_match}
        query = "DELETE FROM tasks WHERE " + _target(if_match is not None) + " RETURNING id"
        if await self.session.fetch_one(query, params) is None:
            await self._raise_missing_or_stale(user_id, task_id)

    # -- helpers -------------------------------------------------------------------------
    async def _update_one(
        self,
        user_id: uuid.UUID,
        task_id: int,
        sets: str,
        values: dict[str, Any],
        if_match: list[datetime] | None,
    ) -> TaskRow:
        query = f"UPDATE tasks SET {sets} WHERE {_target(if_match is not None)} RETURNING {COLUMNS}"
        params = {**values, "id": task_id, "user_id": user_id, "versions": if_match}
        task = await self.session.fetch_one(query, params)
        if task is None:
            await self._raise_missing_or_stale(user_id, task_id)
        assert task is not None
        return in_utc(task)

    async def _raise_missing_or_stale(self, user_id: uuid.UUID, task_id: int) -> None:
        await self.get(user_id, task_id)  # raises NotFoundError when the task is not the user's
        raise PreconditionFailedError(_STALE)


_GET = f"SELECT {COLUMNS} FROM tasks WHERE id = %s AND user_id = %s"
_COUNTS = "SELECT total, completed FROM task_counts WHERE user_id = %s"
# Inserts nothing (and returns no row) while the user has no row: the caller provisions the
# user and tries again, so reads and most writes never look the user up.
_CREATE = f"""
INSERT INTO tasks (user_id, title, description, is_completed, created_at, updated_at)
SELECT %(user_id)s, %(title)s, %(description)s, %(is_completed)s, %(now)s, %(now)s
WHERE EXISTS (SELECT FROM users WHERE id = %(user_id)s)
RETURNING {COLUMNS}
"""


def _target(with_versions: bool) -> str:
    condition = "id = %(id)s AND user_id = %(user_id)s"
    return condition + (" AND updated_at = ANY(%(versions)s)" if with_versions else "")


def _where(filters: TaskFilter) -> str:
    conditions = ["user_id = %(user_id)s"]
    if filters.completed is not None:
        conditions.append("is_completed = %(completed)s")
    if filters.q:
        conditions.append("(title ILIKE %(pattern)s OR description ILIKE %(pattern)s)")
    return " AND ".join(conditions)


def _filter_params(filters: TaskFilter) -> dict[str, Any]:
    params: dict[str, Any] = {}
    if filters.completed is not None:
        params["completed"] = filters.completed
    if filters.q:
        params["pattern"] = "%" + _escape_like(filters.q) + "%"
    return params


_TOTAL = "matching_total"
# How many of the user's tasks match, from task_counts; %(completed)s is the filter's value.
_COUNTED = {
    False: "(SELECT total FROM task_counts WHERE user_id = %(user_id)s)",
    True: (
        "(SELECT CASE WHEN %(completed)s THEN completed ELSE total - completed END "
        "FROM task_counts WHERE user_id = %(user_id)s)"
    ),
}


@lru_cache(maxsize=128)
def _list_query(sort: str, has_after: bool, by_completed: bool, has_q: bool) -> str:
    name, descending = sort_column(sort)  # a SortOrder: never text from the client
    keys = ["id"] if name == "id" else [name, "id"]
    where = _where(TaskFilter(completed=True if by_completed else None, q="q" if has_q else None))
    if has_after:
        after = "%(after_id)s" if name == "id" else "%(key)s, %(after_id)s"
        where += f" AND ({', '.join(keys)}) {'<' if descending else '>'} ({after})"
    order = ", ".join(f"{key} {'DESC' if descending else 'ASC'}" for key in keys)
    # Without q the count comes from task_counts, along each row (evaluated once: an InitPlan).
    columns = COLUMNS if has_q else f"{COLUMNS}, {_COUNTED[by_completed]} AS {_TOTAL}"
    return f"SELECT {columns} FROM tasks WHERE {where} ORDER BY {order} LIMIT %(limit)s"


def _naive(value: datetime) -> datetime:
    return value.replace(tzinfo=None)


def in_utc(row: dict[str, Any]) -> TaskRow:
    """The row as a TaskRow: timestamps marked UTC, the count column of a page dropped."""
    row.pop(_TOTAL, None)
    return cast(TaskRow, mark_utc(row))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
