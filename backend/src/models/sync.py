"""Incremental sync: the tombstones deletions leave, and the page GET /api/{user_id}/sync
answers with (docs/sync.md).

A tombstone is written by revision 008's trigger for every task deleted while its user
exists, with the user's next change sequence; deleting the user removes them (ON DELETE
CASCADE). They are kept SYNC_TOMBSTONE_DAYS, then pruned (src/cli/prune.py).
"""

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, TypeAdapter
from pydantic import Field as PydanticField
from sqlalchemy import BigInteger, Column, DateTime, ForeignKey, Index
from sqlmodel import Field, SQLModel
from typing_extensions import TypedDict

from src.models._common import UTCDateTime
from src.models.task import TaskPublic, TaskRow

SYNC_LIMIT_DEFAULT = 100
SYNC_LIMIT_MAX = 500
SYNC_TOKEN_MAX_LENGTH = 512


class TaskTombstone(SQLModel, table=True):
    __tablename__ = "task_tombstones"
    # Pruning reads them by age.
    __table_args__ = (Index("ix_task_tombstones_deleted_at", "deleted_at"),)

    user_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    )
    change_seq: int = Field(sa_type=BigInteger, primary_key=True)
    task_id: int = Field(nullable=False)
    deleted_at: datetime = Field(nullable=False, sa_type=DateTime(timezone=False))


class SyncEpoch(SQLModel, table=True):
    """One row: the database's sync timeline. Created by revision 008, changed by every
    `make restore` (src/cli/restore.py): a sync token carries it, and one from another
    timeline (before a restore or a downgrade) gets 410, even once the change numbers, which
    went back with the data, have caught up with it."""

    __tablename__ = "sync_epoch"

    epoch: uuid.UUID = Field(primary_key=True)


class TaskDeletion(BaseModel):
    id: int = PydanticField(description="The deleted task's id")
    deleted_at: UTCDateTime


class SyncPage(BaseModel):
    """One page of changes. Apply `tasks` (upsert by id) and `deleted` (remove by id), store
    `next_token`, and call again at once while `has_more` is true."""

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    tasks: list[TaskPublic] = PydanticField(
        description="Tasks created or changed since the token, in full (every task, without one)"
    )
    deleted: list[TaskDeletion] = PydanticField(
        description="Tasks deleted since the token (always empty without one)"
    )
    next_token: str = PydanticField(description="Where the next call resumes: send as `token`")
    has_more: bool = PydanticField(
        description="More changes wait: call again with next_token now; false: up to date"
    )
    full: bool = PydanticField(
        description=(
            "This page belongs to a full sync (no token, or a full sync's token): once "
            "has_more is false, tasks the client holds that it did not receive are gone"
        )
    )


class SyncQuery(BaseModel):
    """Query of GET /api/{user_id}/sync. Unknown parameters are refused."""

    model_config = ConfigDict(extra="forbid")

    token: str | None = PydanticField(
        default=None,
        min_length=1,
        max_length=SYNC_TOKEN_MAX_LENGTH,
        description="next_token of the previous call; omitted: a full sync from the start",
    )
    limit: int = PydanticField(
        default=SYNC_LIMIT_DEFAULT,
        ge=1,
        le=SYNC_LIMIT_MAX,
        description="The most tasks and deletions on one page",
    )


class TaskDeletionRow(TypedDict):
    id: int
    deleted_at: datetime


class SyncPageRow(TypedDict):
    """A SyncPage as the route serializes it (the TypedDict way of TaskRow)."""

    tasks: list[TaskRow]
    deleted: list[TaskDeletionRow]
    next_token: str
    has_more: bool
    full: bool


SYNC_PAGE = TypeAdapter(SyncPageRow)
