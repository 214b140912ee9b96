"""What a REST route and an MCP tool (src/agent_tools/) both do with the caller's tasks beyond
one repository call: the first write, which provisions the caller's users row, and one page
of the list with the cursor of the next. Written once, so that the two cannot drift."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from src.auth import Claims
from src.core.errors import ConflictError, UnauthorizedError
from src.core.pagination import CursorCodec, Position, sort_column
from src.models import TaskCreate, TaskListQuery, TaskRow
from src.repositories import TaskFilter, TaskRepository, UserRepository


async def provision(claims: Claims, users: UserRepository) -> dict[str, Any]:
    """The caller's users row, created or brought up to date from the token (just in time)."""
    if claims.email is None:
        existing = await users.get(claims.user_id)
        if existing is None:
            raise UnauthorizedError("the token has no email claim, needed to create the user")
        return existing
    return await users.ensure(claims.user_id, claims.email)


async def create_task(
    caller: Claims, tasks: TaskRepository, users: UserRepository, body: TaskCreate
) -> TaskRow:
    """The caller's new task; their users row is created at their first write."""
    task = await tasks.create(caller.user_id, body)
    if task is None:  # the caller's first write: create their users row, then the task
        await provision(caller, users)
        task = await tasks.create(caller.user_id, body)
        if task is None:  # a DELETE /api/users/me of the same user won the race
            raise ConflictError("the user was deleted while the task was being created")
    return task


@dataclass(frozen=True)
class TaskPage:
    tasks: list[TaskRow]
    next_cursor: str | None  # None on the last page
    total: int | None  # see Page.total


async def list_page(
    tasks: TaskRepository, codec: CursorCodec, user_id: uuid.UUID, query: TaskListQuery
) -> TaskPage:
    """One page of the caller's list, in `query`'s filters and order; a cursor issued for
    other filters, another sort or another user is refused."""
    scope = query.filter_scope()
    after = None
    if query.cursor is not None:
        after = codec.decode(query.cursor, user_id, query.sort, scope)
    filters = TaskFilter(
        completed=query.completed,
        q=query.q,
        priorities=query.priorities(),
        tags=query.tags(),
        due_before=query.due_before,
        due_after=query.due_after,
        overdue=query.overdue,
    )
    page = await tasks.list_page(user_id, filters, query.sort, query.limit + 1, after)
    rows, cursor = page.tasks, None
    if len(rows) > query.limit:
        rows = rows[: query.limit]
        last = rows[-1]
        key = cast(dict[str, Any], last)[sort_column(query.sort)[0]]
        if isinstance(key, datetime):  # cursors carry a timestamp as stored: UTC, no zone
            key = key.replace(tzinfo=None)
        cursor = codec.encode(user_id, query.sort, Position(key=key, task_id=last["id"]), scope)
    return TaskPage(rows, cursor, page.total)
