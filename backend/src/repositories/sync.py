"""Incremental sync: the user's changes after a point of their change sequence.

Revision 008's triggers number every change of a user's tasks (tasks.change_seq, and
task_tombstones for deletions) under the user's task_counts row lock, held until the change
commits: a user's changes commit in number order. Each page is one statement, so one
snapshot: the counter it computes (the user's latest visible number) is at least the number
of every change it sees, and every change of the user numbered up to it is visible
(docs/sync.md). A page that ends the changes can hand out that counter as the next token; a
transaction that took a number and has not committed holds a higher one.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from sqlalchemy import BigInteger, bindparam, func, literal_column, null, select, true, union_all
from sqlalchemy import cast as sql_cast
from sqlmodel import col

from src.db.session import DbSession
from src.db.statements import Statement, compile_statement
from src.models import SyncEpoch, Task, TaskCount, TaskRow, TaskTombstone
from src.repositories.tasks import in_utc


@dataclass(frozen=True)
class Changes:
    """One page of changes: tasks (as they are now) and deletions, and where it ended."""

    tasks: list[TaskRow]
    deleted: list[dict[str, Any]]  # {"id", "deleted_at"}
    more: bool  # more changes follow the page
    last_seq: int | None  # incremental: the number of the page's last change
    last_id: int | None  # full: the id of the page's last task
    counter: int  # the user's change sequence in the page's snapshot
    pruned: int  # the highest number of a pruned tombstone
    epoch: str  # the database's sync timeline


class SyncRepository:
    def __init__(self, session: DbSession) -> None:
        self.session = session

    async def full_page(self, user_id: uuid.UUID, after_id: int, limit: int) -> Changes:
        """Up to `limit` of the user's tasks past `after_id`, by id."""
        params = {"user_id": user_id, "after_id": after_id, "limit": limit + 1}
        rows = await self.session.fetch_all(_FULL, params)
        counter, pruned, epoch = _counters(rows[0])
        found = [row for row in rows if row["id"] is not None]
        kept = found[:limit]
        last_id = kept[-1]["id"] if kept else None
        tasks = [in_utc(_task(row)) for row in kept]
        return Changes(tasks, [], len(found) > limit, None, last_id, counter, pruned, epoch)

    async def changes_after(self, user_id: uuid.UUID, seq: int, limit: int) -> Changes:
        """Up to `limit` changes numbered after `seq`, in sequence order: tasks as they are
        now, deleted tasks as tombstones."""
        params = {"user_id": user_id, "after_seq": seq, "limit": limit + 1}
        rows = await self.session.fetch_all(_INCREMENTAL, params)
        counter, pruned, epoch = _counters(rows[0])
        found = [row for row in rows if row["id"] is not None]
        kept = found[:limit]
        last_seq = int(kept[-1]["change_seq"]) if kept else None
        tasks: list[TaskRow] = []
        deleted: list[dict[str, Any]] = []
        for row in kept:
            gone_at = row[_DELETED_AT]
            if gone_at is None:
                tasks.append(in_utc(_task(row)))
            else:
                deleted.append({"id": row["id"], "deleted_at": gone_at.replace(tzinfo=UTC)})
        more = len(found) > limit
        return Changes(tasks, deleted, more, last_seq, None, counter, pruned, epoch)


_COUNTER, _PRUNED, _DELETED_AT = "sync_counter", "sync_pruned", "sync_deleted_at"
_EPOCH = "sync_epoch"
_USER = col(Task.user_id) == bindparam("user_id")
_TASK_COLUMNS = [column.name for column in Task.__table__.columns]  # type: ignore[attr-defined]


def _counters(row: dict[str, Any]) -> tuple[int, int, str]:
    return int(row[_COUNTER]), int(row[_PRUNED]), str(row[_EPOCH])


def _task(row: dict[str, Any]) -> dict[str, Any]:
    for name in (_COUNTER, _PRUNED, _DELETED_AT, _EPOCH):
        row.pop(name, None)
    return row


def _with_counter(page: Any, order: Any) -> Statement:
    """`page` (a subquery) joined to the user's counters: one row with no task when the page
    is empty, so the counters always come back.

    The counter is the user's latest change number visible in the page's snapshot: the
    highest of their tasks' and tombstones' numbers (one index probe each), or of the
    tombstones pruned. Numbers are taken under the user's lock, held to commit, so every
    number of the user below it belongs to a committed change the snapshot sees."""
    user: Any = bindparam("user_id")
    pruned = (
        select(col(TaskCount.sync_pruned_seq))
        .where(col(TaskCount.user_id) == user)
        .scalar_subquery()
    )
    latest_task = (
        select(func.max(col(Task.change_seq))).where(col(Task.user_id) == user).scalar_subquery()
    )
    latest_tombstone = (
        select(func.max(col(TaskTombstone.change_seq)))
        .where(col(TaskTombstone.user_id) == user)
        .scalar_subquery()
    )
    zero: Any = literal_column("0")
    counters = select(
        func.greatest(latest_task, latest_tombstone, pruned, zero).label(_COUNTER),
        func.coalesce(pruned, zero).label(_PRUNED),
        select(col(SyncEpoch.epoch)).scalar_subquery().label(_EPOCH),
    ).subquery("counters")
    return compile_statement(
        select(counters, page).select_from(counters.outerjoin(page, true())).order_by(order)
    )


def _full() -> Statement:
    page = (
        select(Task)
        .where(_USER, col(Task.id) > bindparam("after_id"))
        .order_by(col(Task.id))
        .limit(bindparam("limit"))
        .subquery("page")
    )
    return _with_counter(page, page.c.id)


def _incremental() -> Statement:
    after = bindparam("after_seq", type_=BigInteger())
    changed = (
        select(Task, null().label(_DELETED_AT))
        .where(_USER, col(Task.change_seq) > after)
        .order_by(col(Task.change_seq))
        .limit(bindparam("limit"))
    )
    # A tombstone in the tasks' columns: its id and number, the rest NULL of each type.
    tombstone_columns = {
        "id": col(TaskTombstone.task_id),
        "user_id": col(TaskTombstone.user_id),
        "change_seq": col(TaskTombstone.change_seq),
    }
    columns = Task.__table__.columns  # type: ignore[attr-defined]
    gone = (
        select(
            *(
                tombstone_columns.get(name, sql_cast(null(), columns[name].type)).label(name)
                for name in _TASK_COLUMNS
            ),
            col(TaskTombstone.deleted_at).label(_DELETED_AT),
        )
        .where(
            col(TaskTombstone.user_id) == bindparam("user_id"),
            col(TaskTombstone.change_seq) > after,
        )
        .order_by(col(TaskTombstone.change_seq))
        .limit(bindparam("limit"))
    )
    both = union_all(changed, gone).subquery("both_kinds")
    page = select(both).order_by(both.c.change_seq).limit(bindparam("limit")).subquery("page")
    return _with_counter(page, page.c.change_seq)


_FULL = _full()
_INCREMENTAL = _incremental()


def all_statements() -> dict[str, Statement]:
    """Every statement of this repository (tests/db/test_statements.py)."""
    return {"sync full page": _FULL, "sync changes after": _INCREMENTAL}
