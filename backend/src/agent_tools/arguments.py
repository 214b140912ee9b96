"""What each MCP tool takes and returns, derived from the REST models (src/models/task.py):
a tool's input schema is its REST body or query model plus the task id and the optional
`user_id` of the assignment's signatures, so the limits, validators and descriptions of the
two sides cannot drift."""

from typing import Any, Literal, NoReturn

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

from src.models import (
    TASK_ID_MAX,
    TagCount,
    TaskCreate,
    TaskListQuery,
    TaskPublic,
    TaskUpdate,
)

PAGE_MAX = 50  # tasks per list call: a page must fit in a model's context
PAGE_DEFAULT = 20

_USER_ID = Field(
    default=None,
    max_length=255,
    description=(
        "Optional, for compatibility: the user the bearer token belongs to. Tools always act "
        "for that user; naming anyone else is refused."
    ),
)
_TASK_ID = Field(ge=1, le=TASK_ID_MAX, description="The task's id (from add_task or list_tasks)")


class _Arguments(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    user_id: str | None = _USER_ID


class TaskRef(_Arguments):
    task_id: int = _TASK_ID


class AddTaskArguments(TaskCreate):
    """TaskCreate (POST /api/{user_id}/tasks), plus user_id."""

    user_id: str | None = _USER_ID


class UpdateTaskArguments(TaskUpdate):
    """TaskUpdate (PATCH /api/{user_id}/tasks/{id}), plus the task's id and user_id."""

    task_id: int = _TASK_ID
    user_id: str | None = _USER_ID

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True, exclude={"task_id", "user_id"})


class CompleteTaskArguments(TaskRef):
    completed: StrictBool = Field(
        default=True,
        description="true (default): mark done; false: mark not done. Setting, not toggling: "
        "calling it twice leaves the task done.",
    )


Status = Literal["all", "pending", "completed"]


class ListTasksArguments(TaskListQuery):
    """TaskListQuery (GET /api/{user_id}/tasks), plus user_id and the assignment's `status`,
    with a smaller page."""

    model_config = ConfigDict(extra="forbid")

    user_id: str | None = _USER_ID
    status: Status = Field(
        default="all", description="all (default), pending (not done) or completed (done)"
    )
    # `status` says it: hidden from the schema, and refused when sent, even as null.
    completed: SkipJsonSchema[None] = None
    limit: int = Field(
        default=PAGE_DEFAULT, ge=1, le=PAGE_MAX, description=f"Page size (default {PAGE_DEFAULT})"
    )
    cursor: str | None = Field(
        default=None,
        max_length=1024,
        description="next_cursor of the previous call, with the same filters and sort",
    )

    @field_validator("completed", mode="before")
    @classmethod
    def _refuse_completed(cls, _: object) -> NoReturn:
        raise PydanticCustomError("extra_forbidden", "Extra inputs are not permitted")

    def query(self) -> TaskListQuery:
        """The REST query these arguments are (its cursors are this tool's cursors)."""
        fields = self.model_dump(include=set(TaskListQuery.model_fields), exclude_unset=True)
        completed = {"all": None, "pending": False, "completed": True}[self.status]
        return TaskListQuery.model_validate({**fields, "completed": completed})


ListTagsArguments = _Arguments


# -- results ------------------------------------------------------------------------------

Outcome = Literal["created", "found", "updated", "completed", "uncompleted", "deleted"]


class TaskResult(BaseModel):
    """The assignment's result (task_id, status, title), and the task as REST returns it."""

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    task_id: int
    status: Outcome
    title: str
    task: TaskPublic = Field(
        description="The task as stored (before deletion, for delete_task); after completing a "
        "recurring task, next_occurrence_id names the occurrence that was created"
    )


class TaskListResult(BaseModel):
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    tasks: list[TaskPublic]
    next_cursor: str | None = Field(
        description="Pass as `cursor` (same filters and sort) for the next page; null: no more"
    )
    total: int | None = Field(
        description="How many tasks match, on all pages, when known cheaply; else null"
    )


class TagListResult(BaseModel):
    tags: list[TagCount]
