"""Per-user counters, kept by triggers on tasks (revisions 004 and 008); never written by the
app.

- total, completed: make `X-Total-Count` of an unfiltered or completed-filtered list one
  primary-key read instead of a COUNT over the user's tasks, which grew with the list
  (20 ms at 100,000 tasks).
- the row's lock: every change of one of the user's tasks takes it (FOR UPDATE, revision
  008's triggers) before it takes its number from the sequence task_change_seq, and holds it
  until it commits, so the user's changes commit in number order (docs/sync.md).
- sync_pruned_seq: the highest sequence of a tombstone pruned (src/cli/prune.py); a sync
  token below it may have missed a deletion and gets 410.
"""

import uuid

from sqlalchemy import BigInteger, Column, ForeignKey, text
from sqlmodel import Field, SQLModel


def _counter() -> int:
    return Field(  # type: ignore[no-any-return]
        default=0,
        sa_type=BigInteger,
        nullable=False,
        sa_column_kwargs={"server_default": text("0")},
    )


class TaskCount(SQLModel, table=True):
    __tablename__ = "task_counts"

    user_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    )
    total: int = _counter()
    completed: int = _counter()
    sync_pruned_seq: int = _counter()
