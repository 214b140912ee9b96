"""Column and field helpers shared by the model families."""

from datetime import UTC, datetime
from typing import Any

from pydantic import AwareDatetime
from sqlalchemy import DateTime, FetchedValue, text
from sqlmodel import Field


def utcnow() -> datetime:
    """Now, in UTC, without tzinfo: the columns are TIMESTAMP WITHOUT TIME ZONE holding UTC."""
    return datetime.now(UTC).replace(tzinfo=None)


# A timestamp in a response: read from the database as UTC with its zone (the repositories
# select `AT TIME ZONE 'UTC'`), which pydantic's own serializer writes as ISO 8601 with a `Z`
# (in Rust: a Python serializer per field cost 10% of a list). A naive value is refused.
UTCDateTime = AwareDatetime


def created_at_field() -> Any:
    return Field(
        default_factory=utcnow,
        nullable=False,
        # TIMESTAMP WITHOUT TIME ZONE, as in the seed (SQLModel would pick TIMESTAMPTZ).
        sa_type=DateTime(timezone=False),
        sa_column_kwargs={"server_default": text("CURRENT_TIMESTAMP")},
    )


def updated_at_field() -> Any:
    # The database moves updated_at on every UPDATE (trigger of revision 002);
    # FetchedValue makes the ORM read the new value back instead of guessing it.
    return Field(
        default_factory=utcnow,
        nullable=False,
        sa_type=DateTime(timezone=False),
        sa_column_kwargs={
            "server_default": text("CURRENT_TIMESTAMP"),
            "server_onupdate": FetchedValue(),
        },
    )


def check_text(value: str | None) -> str | None:
    """Refuse text PostgreSQL cannot store: NUL characters and lone UTF-16 surrogates."""
    if value is None:
        return None
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode (no lone surrogates)") from None
    return value
