"""Tasks: Base (field limits) -> Create / Replace / Update -> table model -> Public."""

import uuid
from datetime import datetime
from typing import Annotated, Any, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    StrictBool,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic import Field as PydanticField
from pydantic.json_schema import SkipJsonSchema
from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel
from typing_extensions import TypedDict

from src.core.pagination import DEFAULT_SORT, SortOrder
from src.models._common import UTCDateTime, check_text, created_at_field, updated_at_field

TITLE_MAX_LENGTH = 500
DESCRIPTION_MAX_LENGTH = 5000


class TaskBase(SQLModel):
    title: str = Field(min_length=1, max_length=TITLE_MAX_LENGTH)
    description: str | None = Field(default=None, max_length=DESCRIPTION_MAX_LENGTH)
    is_completed: bool = False


class _ClientInput(SQLModel):
    """Bodies sent by clients: no unknown or server-owned fields, no type coercion."""

    model_config = ConfigDict(extra="forbid", strict=True)  # type: ignore[assignment]

    @field_validator("title", "description", check_fields=False)
    @classmethod
    def _storable_text(cls, value: str | None) -> str | None:
        return check_text(value)

    @field_validator("title", check_fields=False)
    @classmethod
    def _title_not_blank(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("must not be blank")
        return value


class TaskCreate(_ClientInput, TaskBase):
    is_completed: StrictBool = False


class TaskReplace(TaskCreate):
    """PUT body: every field is replaced; omitted optional fields return to their defaults."""


class TaskUpdate(_ClientInput):
    """PATCH body (JSON merge patch): only the fields sent change; null clears description."""

    # Optional but never null: SkipJsonSchema keeps `null` out of the OpenAPI document; the
    # length limits sit on the str member (on the union they would not accept an explicit null).
    title: (
        Annotated[str, StringConstraints(min_length=1, max_length=TITLE_MAX_LENGTH)]
        | SkipJsonSchema[None]
    ) = None
    description: str | None = Field(default=None, max_length=DESCRIPTION_MAX_LENGTH)
    is_completed: StrictBool | SkipJsonSchema[None] = None

    @model_validator(mode="after")
    def _required_columns_not_null(self) -> Self:
        for name in ("title", "is_completed"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} may be changed but not set to null")
        return self

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True)


class TaskCompletion(_ClientInput):
    is_completed: StrictBool


class Task(TaskBase, table=True):
    __tablename__ = "tasks"
    # Serves a user's list in keyset order: WHERE user_id = ? ORDER BY created_at, id (either
    # direction) LIMIT n reads n index entries, however many tasks the user or the table has.
    __table_args__ = (Index("ix_tasks_user_id_created_at_id", "user_id", "created_at", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="users.id", index=True)
    is_completed: bool = Field(default=False, sa_column_kwargs={"server_default": text("false")})
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


class TaskPublic(TaskBase):
    id: int
    user_id: uuid.UUID
    created_at: UTCDateTime
    updated_at: UTCDateTime


class TaskRow(TypedDict):
    """A task as the repositories read it, and as the routes serialize it: the fields of
    TaskPublic (tests/models/test_task_models.py keeps the two equal), timestamps in UTC with their
    zone. pydantic serializes a TypedDict from the row in Rust, without building a model per
    task (SQLModel's __init__ validated each one twice: 60% of a list's CPU)."""

    id: int
    user_id: uuid.UUID
    title: str
    description: str | None
    is_completed: bool
    created_at: datetime
    updated_at: datetime


class TaskListQuery(BaseModel):
    """Query of GET /api/{user_id}/tasks. Unknown parameters are refused.

    A plain pydantic model, not an SQLModel: it maps no table, and SQLModel's __init__ would
    validate it twice on every list request."""

    model_config = ConfigDict(extra="forbid")

    completed: bool | None = PydanticField(
        default=None, description="Only done (true) or open (false)"
    )
    q: str | None = PydanticField(
        default=None,
        max_length=TITLE_MAX_LENGTH,
        description="Case-insensitive substring of the title or the description",
    )
    sort: SortOrder = PydanticField(default=DEFAULT_SORT, description="Order; `-` means descending")
    limit: int = PydanticField(default=50, ge=1, le=200, description="Page size")
    cursor: str | None = PydanticField(
        default=None, max_length=1024, description="Opaque; from the previous page's Link header"
    )

    @field_validator("q")
    @classmethod
    def _storable_query(cls, value: str | None) -> str | None:
        return check_text(value)
