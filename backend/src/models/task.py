"""Tasks: Base (field limits) -> Create / Replace / Update -> table model -> Public."""

import hashlib
import json
import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any, Literal, Self, get_args

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StrictBool,
    StringConstraints,
    TypeAdapter,
    field_validator,
    model_validator,
)
from pydantic import Field as PydanticField
from pydantic.json_schema import SkipJsonSchema
from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    Index,
    SmallInteger,
    Text,
    func,
    text,
)
from sqlalchemy import Enum as SAEnum
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Field, SQLModel
from typing_extensions import TypedDict

from src.core.pagination import DEFAULT_SORT, SortOrder
from src.models._common import UTCDateTime, check_text, created_at_field, updated_at_field

TITLE_MAX_LENGTH = 500
DESCRIPTION_MAX_LENGTH = 5000
TAG_MAX_LENGTH = 50
TAGS_MAX = 20
INTERVAL_MAX = 999

# Ordered: PostgreSQL sorts an enum in the order of its labels, so `sort=-priority` is high
# first.
Priority = Literal["low", "medium", "high"]
PRIORITIES: tuple[Priority, ...] = get_args(Priority)
DEFAULT_PRIORITY: Priority = "medium"
Recurrence = Literal["daily", "weekly", "monthly", "yearly"]
RECURRENCES: tuple[Recurrence, ...] = get_args(Recurrence)
PRIORITY_TYPE = SAEnum(*PRIORITIES, name="task_priority")


# Unicode's White_Space, as `\s` in the patterns below means to pydantic's (Rust) regex engine;
# str.strip() would also strip the control characters 0x1c-0x1f, which the pattern allows.
_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000" + "".join(
    chr(code) for code in range(0x2000, 0x200B)
)
# A tag: 1-TAG_MAX_LENGTH characters once trimmed, at least one of them not a space, no comma.
_TAG = rf"\s*[^,\s\x00][^,\x00]{{0,{TAG_MAX_LENGTH - 1}}}"
TAG_PATTERN = rf"^{_TAG}$"
TAG_LIST_PATTERN = rf"^{_TAG}(,{_TAG}){{0,{TAGS_MAX - 1}}}$"
PRIORITY_LIST_PATTERN = r"^(low|medium|high)(,(low|medium|high))*$"


def normalize_tag(value: str) -> str:
    """A tag as stored and compared: trimmed and lower-cased (tags compare case-insensitively).
    TAG_PATTERN has checked the rest."""
    tag = (check_text(value) or "").strip(_SPACE).lower()
    if not tag or len(tag) > TAG_MAX_LENGTH or "," in tag:  # lower() may lengthen a few
        raise ValueError(f"a tag has 1-{TAG_MAX_LENGTH} characters, no comma")
    return tag


def _distinct_tags(tags: list[str]) -> list[str]:
    """Each tag once, in the order first given."""
    return list(dict.fromkeys(tags))


def in_utc(value: datetime | None) -> datetime | None:
    """An aware date-time converted to UTC; 422 (not a 500) when that leaves the calendar."""
    if value is None:
        return None
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("out of range once converted to UTC") from None


Tag = Annotated[str, StringConstraints(pattern=TAG_PATTERN), AfterValidator(normalize_tag)]
Tags = Annotated[list[Tag], PydanticField(max_length=TAGS_MAX), AfterValidator(_distinct_tags)]


_RFC3339 = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([Zz]|[+-]\d{2}:\d{2})", re.ASCII
)


def _rfc3339_text(value: object) -> object:
    """A date-time arrives as an RFC 3339 string with its offset; pydantic alone would also
    take a number of seconds ("0.5") or a date without a time."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _RFC3339.fullmatch(value):
        raise ValueError("must be an RFC 3339 date-time with an offset: 2026-12-31T17:00:00Z")
    return value


def _whole_number(value: object) -> object:
    """An integer, also as JSON writes it sometimes (91.0); never a bool or a string."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("must be a whole number")
    return value


# RFC 3339 with an offset (a date-time without one is refused); stored and returned in UTC.
# Not strict, so that the string is parsed; numbers are refused before that.
DateTimeIn = Annotated[
    AwareDatetime,
    BeforeValidator(_rfc3339_text),
    PydanticField(strict=False),
    AfterValidator(in_utc),
]
Interval = Annotated[
    int, PydanticField(ge=1, le=INTERVAL_MAX, strict=False), BeforeValidator(_whole_number)
]


# For the OpenAPI document only (the validators in _ClientInput enforce them): a title has a
# character that is not a space, and no text holds NUL, which PostgreSQL cannot store.
_TITLE_SCHEMA = {"pattern": r"^[^\x00]*[^\s\x00][^\x00]*$"}
_TEXT_SCHEMA = {"pattern": r"^[^\x00]*$"}


class TaskBase(SQLModel):
    title: str = Field(min_length=1, max_length=TITLE_MAX_LENGTH, schema_extra=_TITLE_SCHEMA)
    description: str | None = Field(
        default=None, max_length=DESCRIPTION_MAX_LENGTH, schema_extra=_TEXT_SCHEMA
    )
    is_completed: bool = Field(default=False, description="Done or not (default false)")
    priority: Priority = Field(default=DEFAULT_PRIORITY, description="low, medium (default), high")
    tags: Tags = Field(
        default_factory=list,
        description=(
            f"Labels, compared case-insensitively (stored trimmed and lower-cased, each once); "
            f"at most {TAGS_MAX}, each 1-{TAG_MAX_LENGTH} characters without commas "
            "(default none)"
        ),
    )
    due_date: datetime | None = Field(default=None, description="Deadline (RFC 3339), in UTC")
    remind_at: datetime | None = Field(default=None, description="When to remind, in UTC")
    recurring_rule: Recurrence | None = Field(
        default=None,
        description=(
            "Every `recurring_interval` days, weeks, months or years; needs due_date "
            "(default null: not recurring)"
        ),
    )
    recurring_interval: Interval = Field(
        default=1, description="1 = every day/week/month/year (default 1)"
    )


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


class _Schedule(SQLModel):
    """The date-time fields as clients send them (validated, converted to UTC)."""

    due_date: DateTimeIn | None = Field(default=None, description="Deadline (RFC 3339)")
    remind_at: DateTimeIn | None = Field(default=None, description="When to remind (RFC 3339)")


# A recurring task needs a due date, as JSON Schema says it (if/then), for client generators
# and schemathesis; the model validators below enforce it.
_RULE_SET: dict[str, Any] = {
    "properties": {"recurring_rule": {"type": "string"}},
    "required": ["recurring_rule"],
}
_DUE_GIVEN: dict[str, Any] = {"properties": {"due_date": {"type": "string"}}}
_DUE_REQUIRED: dict[str, Any] = {**_DUE_GIVEN, "required": ["due_date"]}


def _request_schema(**extra: Any) -> Callable[[dict[str, Any]], None]:
    """A request body's JSON Schema without `default`s: openapi-typescript (at its defaults)
    types a component property that has one as required, so `{"title": "Buy milk"}` would not
    compile against TaskCreate. The defaults are in the descriptions instead."""

    def adjust(schema: dict[str, Any]) -> None:
        for prop in schema.get("properties", {}).values():
            prop.pop("default", None)
        schema.update(extra)

    return adjust


class TaskCreate(_ClientInput, _Schedule, TaskBase):
    model_config = ConfigDict(  # type: ignore[assignment]
        json_schema_extra=_request_schema(**{"if": _RULE_SET, "then": _DUE_REQUIRED})
    )
    is_completed: StrictBool = Field(default=False, description="Done or not (default false)")

    @model_validator(mode="after")
    def _recurrence_needs_due_date(self) -> Self:
        if self.recurring_rule is not None and self.due_date is None:
            raise ValueError("recurring_rule needs a due_date")
        return self


class TaskUpdate(_ClientInput):
    """PATCH body (JSON merge patch): only the fields sent change; null clears description,
    due_date, remind_at and recurring_rule."""

    model_config = ConfigDict(
        json_schema_extra=_request_schema(**{"if": _RULE_SET, "then": _DUE_GIVEN})
    )

    # Optional but never null: SkipJsonSchema keeps `null` out of the OpenAPI document; the
    # length limits sit on the str member (on the union they would not accept an explicit null).
    title: (
        Annotated[
            str,
            StringConstraints(min_length=1, max_length=TITLE_MAX_LENGTH),
            PydanticField(json_schema_extra=_TITLE_SCHEMA),
        ]
        | SkipJsonSchema[None]
    ) = None
    description: str | None = Field(
        default=None, max_length=DESCRIPTION_MAX_LENGTH, schema_extra=_TEXT_SCHEMA
    )
    is_completed: StrictBool | SkipJsonSchema[None] = None
    priority: Priority | SkipJsonSchema[None] = None
    tags: Tags | SkipJsonSchema[None] = None
    due_date: DateTimeIn | None = None
    remind_at: DateTimeIn | None = None
    recurring_rule: Recurrence | None = None
    recurring_interval: Interval | SkipJsonSchema[None] = None

    @model_validator(mode="after")
    def _required_columns_not_null(self) -> Self:
        for name in NOT_NULL:
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} may be changed but not set to null")
        sets_due = "due_date" in self.model_fields_set
        if self.recurring_rule is not None and sets_due and self.due_date is None:
            raise ValueError("recurring_rule needs a due_date")
        return self

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True)


class TaskReplace(TaskUpdate):
    """PUT body: the title, and any other field to change. Omitted fields keep their values
    (frontends rename with `{"title"}` alone: a reset of what they did not send would undo
    a completed task); null clears description, due_date, remind_at and recurring_rule."""

    title: Annotated[
        str,
        StringConstraints(min_length=1, max_length=TITLE_MAX_LENGTH),
        PydanticField(json_schema_extra=_TITLE_SCHEMA),
    ]


# Fields a PATCH may change but not clear.
NOT_NULL = ("title", "is_completed", "priority", "tags", "recurring_interval")


class TaskCompletion(_ClientInput):
    is_completed: StrictBool


class Task(TaskBase, table=True):
    __tablename__ = "tasks"
    __table_args__ = (
        # Serves a user's list in keyset order: WHERE user_id = ? ORDER BY created_at, id
        # (either direction) LIMIT n reads n index entries, however many tasks there are.
        Index("ix_tasks_user_id_created_at_id", "user_id", "created_at", "id"),
        # The same for sort=priority / -priority (the enum sorts low < medium < high).
        Index("ix_tasks_user_id_priority_id", "user_id", "priority", "id"),
        # sort=due_date / -due_date, tasks without a due date last in both directions: the
        # sort key is the due date with a missing one read as +infinity (ascending) or
        # -infinity (descending), one index each (src/repositories/tasks.py).
        Index(
            "ix_tasks_user_id_due_last_id",
            "user_id",
            func.coalesce(text("due_date"), text("'infinity'::timestamp")),
            "id",
        ),
        Index(
            "ix_tasks_user_id_due_first_id",
            "user_id",
            func.coalesce(text("due_date"), text("'-infinity'::timestamp")),
            "id",
        ),
        # tag=a,b (tags @> ...). The trigram indexes that serve q= are not declared here:
        # they need the pg_trgm extension, which the embedded server lacks, so revision 006
        # builds them where the extension exists and alembic/env.py leaves them out of
        # autogenerate's comparison.
        Index("ix_tasks_tags", "tags", postgresql_using="gin"),
        # An incremental sync: the user's tasks written after a token's sequence, in order.
        # Partial: rows no write has touched since revision 008 carry no sequence.
        Index(
            "ix_tasks_user_id_change_seq",
            "user_id",
            "change_seq",
            postgresql_where=text("change_seq IS NOT NULL"),
        ),
        # Reminders coming due (src/repositories/reminders.py): only tasks that may still
        # send one, so the index stays as small as the set of pending reminders.
        Index(
            "ix_tasks_remind_at_pending",
            "remind_at",
            postgresql_where=text("remind_at IS NOT NULL AND NOT is_completed"),
        ),
        CheckConstraint(
            "recurring_rule IS NULL OR due_date IS NOT NULL", name="recurrence_needs_due_date"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="users.id", index=True)
    is_completed: bool = Field(default=False, sa_column_kwargs={"server_default": text("false")})
    priority: Priority = Field(
        default=DEFAULT_PRIORITY,
        sa_type=PRIORITY_TYPE,
        nullable=False,
        sa_column_kwargs={"server_default": DEFAULT_PRIORITY},
    )
    tags: list[str] = Field(
        default_factory=list,
        sa_type=ARRAY(Text),
        nullable=False,
        sa_column_kwargs={"server_default": text("'{}'")},
    )
    due_date: datetime | None = Field(default=None, sa_type=DateTime(timezone=False))
    remind_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=False))
    recurring_rule: Recurrence | None = Field(
        default=None, sa_type=SAEnum(*RECURRENCES, name="task_recurrence")
    )
    recurring_interval: int = Field(
        default=1,
        sa_type=SmallInteger,
        nullable=False,
        sa_column_kwargs={"server_default": text("1")},
    )
    # The occurrence that completing this one created (it may since have been deleted);
    # set once, so completing again, or un-completing and completing, creates no other.
    next_occurrence_id: int | None = Field(default=None)
    # The user's change sequence when this row was last written (revision 008's trigger
    # stamps it; NULL on rows untouched since): what an incremental sync reads after a token.
    change_seq: int | None = Field(default=None, sa_type=BigInteger)
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


class TaskPublic(TaskBase):
    # Every field is in every response: required in the response schema, defaults or not, so
    # generated clients type `is_completed` as `boolean`, not `boolean | undefined`.
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)  # type: ignore[assignment]

    id: int
    user_id: uuid.UUID
    tags: list[str]
    due_date: UTCDateTime | None
    remind_at: UTCDateTime | None
    next_occurrence_id: int | None = PydanticField(
        description="The occurrence completing this recurring task created"
    )
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
    priority: Priority
    tags: list[str]
    due_date: datetime | None
    remind_at: datetime | None
    recurring_rule: Recurrence | None
    recurring_interval: int
    next_occurrence_id: int | None
    created_at: datetime
    updated_at: datetime


# Serializers of one task and of a page, for the routes and the MCP tools alike.
TASK_ROW = TypeAdapter(TaskRow)
TASK_ROWS = TypeAdapter(list[TaskRow])
TASK_ID_MAX = 2_147_483_647  # tasks.id is an integer: a larger id names no task


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
    priority: str | None = PydanticField(
        default=None,
        max_length=64,
        pattern=PRIORITY_LIST_PATTERN,
        description="Only these priorities, comma-separated (any of): `high` or `high,medium`",
    )
    tag: str | None = PydanticField(
        default=None,
        max_length=4096,
        pattern=TAG_LIST_PATTERN,
        description="Only tasks carrying all of these tags, comma-separated: `work,urgent`",
    )
    due_before: DateTimeIn | None = PydanticField(
        default=None, description="Only tasks due before this date-time (RFC 3339)"
    )
    due_after: DateTimeIn | None = PydanticField(
        default=None, description="Only tasks due at or after this date-time (RFC 3339)"
    )
    overdue: bool | None = PydanticField(
        default=None,
        description="true: open tasks past their due date; false: all others",
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

    @field_validator("priority")
    @classmethod
    def _known_priorities(cls, value: str | None) -> str | None:
        if value is not None:
            for part in value.split(","):
                if part not in PRIORITIES:
                    raise ValueError(f"each priority is one of {', '.join(PRIORITIES)}")
        return value

    @field_validator("tag")
    @classmethod
    def _valid_tags(cls, value: str | None) -> str | None:
        if value is not None:
            tags = [normalize_tag(part) for part in value.split(",")]
            if len(tags) > TAGS_MAX:
                raise ValueError(f"at most {TAGS_MAX} tags")
            return ",".join(tags)
        return value

    def filter_scope(self) -> str:
        """The filters, as a short fingerprint: a cursor is good for these filters alone.
        Empty for an unfiltered list, so that the cursors issued before filters existed
        (they carry no scope) keep working across the deploy that added them."""
        filters = self.model_dump(mode="json", exclude={"sort", "limit", "cursor"})
        filters["priority"], filters["tag"] = self.priorities(), self.tags()
        if all(value is None for value in filters.values()):
            return ""
        text = json.dumps(filters, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def priorities(self) -> tuple[str, ...] | None:
        return None if self.priority is None else tuple(sorted(set(self.priority.split(","))))

    def tags(self) -> tuple[str, ...] | None:
        return None if self.tag is None else tuple(sorted(set(self.tag.split(","))))


class TagCount(BaseModel):
    """One of the caller's tags, and how many of their tasks carry it."""

    tag: str
    count: int
