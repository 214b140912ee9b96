"""Row helpers shared by the repositories."""

from datetime import UTC
from typing import Any

from sqlalchemy import ColumnElement, func, null
from sqlalchemy import cast as sql_cast
from sqlalchemy.sql.selectable import TableValuedAlias
from sqlalchemy.types import UserDefinedType

from src.models import Task


def mark_utc(row: dict[str, Any]) -> dict[str, Any]:
    """The row with its timestamps (stored as UTC without a zone) marked as UTC, in place.

    Here rather than in SQL (`AT TIME ZONE 'UTC'`) because psycopg once parsed a timestamp
    with a zone three times slower. No longer so: with psycopg 3.3, bench/timestamps.py
    measures the SQL way about 120 µs cheaper per page of 50 (2026-12-08), the next change to
    make here (docs/performance.md, "The Basic routes against the API before the
    organization")."""
    row["created_at"] = row["created_at"].replace(tzinfo=UTC)
    row["updated_at"] = row["updated_at"].replace(tzinfo=UTC)
    return row


class _TaskRowType(UserDefinedType[Any]):
    """The tasks table's row type, for `jsonb_populate_record(NULL::tasks, ...)`."""

    cache_ok = True

    def get_col_spec(self, **kw: Any) -> str:
        return str(Task.__tablename__)


def task_record(snapshot: ColumnElement[Any] | Any) -> TableValuedAlias:
    """A task row kept as JSONB (`to_jsonb(tasks row)`), typed again by PostgreSQL: a table
    of one row with the tasks table's columns, as a RETURNING of the write gave them."""
    return func.jsonb_populate_record(sql_cast(null(), _TaskRowType()), snapshot).table_valued(
        *(column.name for column in Task.__table__.columns)  # type: ignore[attr-defined]
    )
