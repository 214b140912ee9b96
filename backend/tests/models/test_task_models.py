"""TaskRow (what the routes serialize) stays TaskPublic (what OpenAPI documents), and
TaskListQuery refuses what it should.

The routes write rows through TypeAdapter(TaskRow) instead of building a TaskPublic per task,
so the two must not drift: same field names, compatible types, the same JSON for a row.
"""

import json
import typing
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import AwareDatetime, TypeAdapter, ValidationError

from src.core.pagination import SORT_ORDERS
from src.models.task import (
    DESCRIPTION_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    TaskListQuery,
    TaskPublic,
    TaskRow,
)

ROW = TypeAdapter(TaskRow)
ROWS = TypeAdapter(list[TaskRow])


def row(**changes: Any) -> TaskRow:
    task: TaskRow = {
        "id": 41,
        "user_id": uuid.UUID("6f1c2a3e-1d4b-4f5a-9e8d-7c6b5a493827"),
        "title": 'Write "the guide" — ünïcode',
        "description": None,
        "is_completed": False,
        "priority": "medium",
        "tags": ["work"],
        "due_date": None,
        "remind_at": datetime(2026, 1, 3, 0, 0, tzinfo=UTC),
        "recurring_rule": None,
        "recurring_interval": 1,
        "next_occurrence_id": None,
        "created_at": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        "updated_at": datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=UTC),
    }
    return typing.cast(TaskRow, {**task, **changes})


def test_taskrow_has_exactly_taskpublics_fields() -> None:
    assert set(TaskRow.__annotations__) == set(TaskPublic.model_fields)
    assert TaskRow.__required_keys__ == frozenset(TaskPublic.model_fields)


def test_taskrow_types_match_taskpublics() -> None:
    """The same Python types; TaskPublic's timestamps are AwareDatetime, a datetime with a
    zone (TaskRow says so in its docstring: the repositories mark them UTC)."""
    aware: dict[Any, Any] = {AwareDatetime: datetime, AwareDatetime | None: datetime | None}
    public = {
        name: aware.get(field.annotation, field.annotation)
        for name, field in TaskPublic.model_fields.items()
    }
    assert typing.get_type_hints(TaskRow) == public


def _shape(schema: dict[str, Any]) -> Any:
    """A property's JSON Schema without titles, defaults and length limits."""
    if "anyOf" in schema:
        return [_shape(option) for option in schema["anyOf"]]
    return {key: value for key, value in schema.items() if key in ("type", "format")}


def test_taskrow_json_schema_has_taskpublics_types() -> None:
    row_schema = ROW.json_schema(mode="serialization")["properties"]
    public_schema = TaskPublic.model_json_schema(mode="serialization")["properties"]
    assert {name: _shape(p) for name, p in row_schema.items()} == {
        name: _shape(p) for name, p in public_schema.items()
    }


@pytest.mark.parametrize(
    "task",
    [
        row(),
        row(
            description="to production\nwith care",
            is_completed=True,
            created_at=datetime(2026, 2, 3, 4, 5, 6, 1, tzinfo=UTC),
            updated_at=datetime(2026, 2, 3, 4, 5, 6, tzinfo=UTC),
        ),
        row(id=2**31 - 1, title="x" * TITLE_MAX_LENGTH, description="y" * DESCRIPTION_MAX_LENGTH),
    ],
    ids=["zero-and-non-zero-microseconds", "done-with-description", "largest"],
)
def test_a_row_serializes_as_taskpublic_does(task: TaskRow) -> None:
    expected = json.loads(TaskPublic.model_validate(task).model_dump_json())
    assert json.loads(ROW.dump_json(task)) == expected
    assert json.loads(ROWS.dump_json([task, task])) == [expected, expected]


def test_timestamps_are_utc_with_z_and_microseconds_only_when_not_zero() -> None:
    written = json.loads(ROW.dump_json(row()))
    assert written["created_at"] == "2026-01-02T03:04:05Z"
    assert written["updated_at"] == "2026-01-02T03:04:05.123456Z"
    assert written["user_id"] == "6f1c2a3e-1d4b-4f5a-9e8d-7c6b5a493827"
    later = json.loads(ROW.dump_json(row(created_at=datetime(2026, 1, 2, 3, 4, 5, 7, tzinfo=UTC))))
    assert later["created_at"] == "2026-01-02T03:04:05.000007Z"


# -- TaskListQuery ------------------------------------------------------------------------


def refused(params: dict[str, Any]) -> list[tuple[Any, ...]]:
    """(location, error type) of each problem in `params`."""
    with pytest.raises(ValidationError) as caught:
        TaskListQuery.model_validate(params)
    return [(error["loc"], error["type"]) for error in caught.value.errors()]


def test_defaults() -> None:
    query = TaskListQuery.model_validate({})
    assert query.model_dump() == {
        "completed": None,
        "q": None,
        "priority": None,
        "tag": None,
        "due_before": None,
        "due_after": None,
        "overdue": None,
        "sort": "-created_at",
        "limit": 50,
        "cursor": None,
    }


@pytest.mark.parametrize("unknown", ["page", "offset", "Limit", "user_id", "completed[]"])
def test_unknown_parameters_are_refused(unknown: str) -> None:
    assert refused({unknown: "1"}) == [((unknown,), "extra_forbidden")]


def test_query_string_values_are_parsed() -> None:
    """Query parameters arrive as strings."""
    query = TaskListQuery.model_validate({"limit": "200", "completed": "true", "sort": "title"})
    assert (query.limit, query.completed, query.sort) == (200, True, "title")


@pytest.mark.parametrize("limit", [1, 50, 200, "1", "200"])
def test_limits_within_1_to_200(limit: int | str) -> None:
    assert TaskListQuery.model_validate({"limit": limit}).limit == int(limit)


@pytest.mark.parametrize(
    ("limit", "error"),
    [
        (0, "greater_than_equal"),
        (-1, "greater_than_equal"),
        (201, "less_than_equal"),
        ("10000", "less_than_equal"),
        ("abc", "int_parsing"),
        ("1.5", "int_parsing"),
        ("", "int_parsing"),
    ],
)
def test_limits_outside_1_to_200_are_refused(limit: int | str, error: str) -> None:
    assert refused({"limit": limit}) == [(("limit",), error)]


@pytest.mark.parametrize("sort", SORT_ORDERS)
def test_every_sort_order(sort: str) -> None:
    assert TaskListQuery.model_validate({"sort": sort}).sort == sort


@pytest.mark.parametrize(
    ("params", "field", "error"),
    [
        ({"sort": "importance"}, "sort", "literal_error"),
        ({"sort": "created_at;drop"}, "sort", "literal_error"),
        ({"completed": "maybe"}, "completed", "bool_parsing"),
        ({"q": "x" * (TITLE_MAX_LENGTH + 1)}, "q", "string_too_long"),
        ({"q": "nul\x00byte"}, "q", "value_error"),
        ({"q": "\ud800"}, "q", "string_unicode"),  # pydantic-core refuses it first
        ({"cursor": "c" * 1025}, "cursor", "string_too_long"),
    ],
)
def test_other_bad_values_are_refused(params: dict[str, Any], field: str, error: str) -> None:
    assert refused(params) == [((field,), error)]


def test_longest_accepted_values() -> None:
    query = TaskListQuery.model_validate({"q": "x" * TITLE_MAX_LENGTH, "cursor": "c" * 1024})
    assert (len(query.q or ""), len(query.cursor or "")) == (TITLE_MAX_LENGTH, 1024)
