"""The transactional outbox: every change of a task or user, written by revision 011's
triggers in the transaction that made it, published by the relay (src/events/relay.py) and
deleted once the broker acknowledged it (docs/events.md).

No foreign key to users: a user's last events (their deletion) outlive the user until they
are published.
"""

import uuid
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import BigInteger, Column, DateTime, Identity, Integer, Text, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

# What changed: the `event_type` of the assignment's task events (users have the same three
# without "completed"; a reminder's is "due"). The CloudEvents type is
# "com.taskapi.<kind>.<event_type>", kind "task", "user" or "reminder".
EventType = Literal["created", "updated", "completed", "deleted"]


class OutboxEvent(SQLModel, table=True):
    __tablename__ = "outbox_events"

    # The order events are published in. Taken by the trigger while the write holds its
    # user's task_counts row lock (revision 008), so one user's events commit in this order.
    id: int | None = Field(
        default=None,
        sa_column=Column(BigInteger, Identity(always=True), primary_key=True),
    )
    # The CloudEvents `id`, also JetStream's Nats-Msg-Id: a consumer's de-duplication key.
    event_id: uuid.UUID = Field(
        nullable=False, sa_column_kwargs={"server_default": text("gen_random_uuid()")}
    )
    user_id: uuid.UUID = Field(nullable=False)
    kind: str = Field(sa_type=Text, nullable=False)
    event_type: str = Field(sa_type=Text, nullable=False)
    # The task's id (kind "task"); an INTEGER like tasks.id.
    task_id: int | None = Field(default=None, sa_type=Integer)
    # The task row as the change committed it (to_jsonb; the deleted row for "deleted").
    data: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONB))
    # When the change was made (its transaction's start, UTC).
    occurred_at: datetime = Field(
        nullable=False,
        sa_type=DateTime(timezone=False),
        sa_column_kwargs={"server_default": text("(now() AT TIME ZONE 'UTC')")},
    )
