"""The tools an AI agent gets: what each does, for whom, with which repositories.

Each tool runs for the caller of the bearer token (never a user the model names); one that
writes runs in one transaction, committed when it succeeds and rolled back when it fails
(src/agent_tools/server.py). Tools call the same repositories and shared actions
(src/api/task_actions.py) as the REST routes.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from mcp_types import ToolAnnotations
from pydantic import BaseModel

from src.agent_tools.arguments import (
    AddTaskArguments,
    CompleteTaskArguments,
    ListTagsArguments,
    ListTasksArguments,
    TagListResult,
    TaskListResult,
    TaskRef,
    TaskResult,
    UpdateTaskArguments,
)
from src.api import task_actions
from src.auth import Claims
from src.core.pagination import CursorCodec
from src.models import TASK_ROW, TASK_ROWS, TaskRow
from src.repositories import TaskRepository, UserRepository


@dataclass(frozen=True)
class Call:
    """What a tool works with: the verified caller and the repositories on the call's
    session."""

    caller: Claims
    tasks: TaskRepository
    users: UserRepository
    cursors: CursorCodec


def _result(task: TaskRow, status: str) -> dict[str, Any]:
    return {
        "task_id": task["id"],
        "status": status,
        "title": task["title"],
        "task": TASK_ROW.dump_python(task, mode="json"),
    }


async def add_task(call: Call, args: AddTaskArguments) -> dict[str, Any]:
    task = await task_actions.create_task(call.caller, call.tasks, call.users, args)
    return _result(task, "created")


async def list_tasks(call: Call, args: ListTasksArguments) -> dict[str, Any]:
    page = await task_actions.list_page(call.tasks, call.cursors, call.caller.user_id, args.query())
    return {
        "tasks": TASK_ROWS.dump_python(page.tasks, mode="json"),
        "next_cursor": page.next_cursor,
        "total": page.total,
    }


async def get_task(call: Call, args: TaskRef) -> dict[str, Any]:
    return _result(await call.tasks.get(call.caller.user_id, args.task_id), "found")


async def update_task(call: Call, args: UpdateTaskArguments) -> dict[str, Any]:
    task = await call.tasks.update(call.caller.user_id, args.task_id, args.changes())
    return _result(task, "updated")


async def complete_task(call: Call, args: CompleteTaskArguments) -> dict[str, Any]:
    changes = {"is_completed": args.completed}
    task = await call.tasks.update(call.caller.user_id, args.task_id, changes)
    return _result(task, "completed" if args.completed else "uncompleted")


async def delete_task(call: Call, args: TaskRef) -> dict[str, Any]:
    return _result(await call.tasks.delete(call.caller.user_id, args.task_id), "deleted")


async def list_tags(call: Call, _: ListTagsArguments) -> dict[str, Any]:
    return {"tags": await call.tasks.tags(call.caller.user_id)}


@dataclass(frozen=True)
class ToolSpec:
    name: str
    title: str
    description: str
    arguments: type[BaseModel]
    result: type[BaseModel]
    run: Callable[[Call, Any], Awaitable[dict[str, Any]]]
    annotations: ToolAnnotations


_READS = ToolAnnotations(read_only_hint=True, open_world_hint=False)

_DATES = "Date-times are RFC 3339 with an offset (2026-12-31T17:00:00Z); results are in UTC. "

TOOLS: dict[str, ToolSpec] = {
    spec.name: spec
    for spec in (
        ToolSpec(
            "add_task",
            "Add a task",
            "Create a task for the user. Only `title` is required; priority defaults to "
            "medium. A recurring task (recurring_rule daily/weekly/monthly/yearly, every "
            "recurring_interval) needs a due_date. " + _DATES + "Returns the new task's id.",
            AddTaskArguments,
            TaskResult,
            add_task,
            ToolAnnotations(
                read_only_hint=False,
                destructive_hint=False,
                idempotent_hint=False,
                open_world_hint=False,
            ),
        ),
        ToolSpec(
            "list_tasks",
            "List tasks",
            "List the user's tasks, newest first unless `sort` says otherwise. Filter by "
            "status (all/pending/completed), text `q` (in title or description), priority "
            "(comma-separated: high,medium), tag (comma-separated; tasks carrying all of "
            "them), due_before / due_after, overdue. Use it to find a task's id before "
            "updating, completing or deleting it. At most 50 tasks a call: when next_cursor "
            "is not null, call again with cursor=next_cursor and the same filters. " + _DATES,
            ListTasksArguments,
            TaskListResult,
            list_tasks,
            _READS,
        ),
        ToolSpec(
            "get_task",
            "Read a task",
            "Read one of the user's tasks by its id.",
            TaskRef,
            TaskResult,
            get_task,
            _READS,
        ),
        ToolSpec(
            "update_task",
            "Change a task",
            "Change some fields of one task: only the fields given change; null clears "
            "description, due_date, remind_at or recurring_rule. " + _DATES,
            UpdateTaskArguments,
            TaskResult,
            update_task,
            ToolAnnotations(
                read_only_hint=False,
                destructive_hint=True,  # overwrites what it changes
                idempotent_hint=True,
                open_world_hint=False,
            ),
        ),
        ToolSpec(
            "complete_task",
            "Mark a task done (or not done)",
            "Mark a task done (completed=true, the default) or not done (completed=false). "
            "Completing a recurring task keeps it as history and creates its next occurrence "
            "(task.next_occurrence_id gives its id).",
            CompleteTaskArguments,
            TaskResult,
            complete_task,
            ToolAnnotations(
                read_only_hint=False,
                destructive_hint=False,
                idempotent_hint=True,
                open_world_hint=False,
            ),
        ),
        ToolSpec(
            "delete_task",
            "Delete a task",
            "Delete one task for good (there is no undo). Confirm with the user first "
            "when they did not name the task exactly.",
            TaskRef,
            TaskResult,
            delete_task,
            ToolAnnotations(
                read_only_hint=False,
                destructive_hint=True,
                idempotent_hint=True,
                open_world_hint=False,
            ),
        ),
        ToolSpec(
            "list_tags",
            "List tags",
            "The user's tags, each with how many tasks carry it, for choosing a tag filter.",
            ListTagsArguments,
            TagListResult,
            list_tags,
            _READS,
        ),
    )
}
