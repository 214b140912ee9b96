"""Housekeeping that a schedule runs, not a request (src/cli/prune.py): expired idempotency
keys and tombstones past the sync window, deleted a batch at a time so that no statement
holds locks for long."""

from datetime import datetime

from sqlalchemy import Integer, bindparam, delete, func, select
from sqlalchemy import tuple_ as row_of
from sqlmodel import col, update

from src.db.session import DbSession
from src.db.statements import Statement, compile_statement
from src.models import IdempotencyKey, TaskCount, TaskTombstone

_LIMIT = bindparam("batch", type_=Integer())
_EXPIRED_KEYS = (
    select(col(IdempotencyKey.user_id), col(IdempotencyKey.key))
    .where(col(IdempotencyKey.created_at) < bindparam("before"))
    .limit(_LIMIT)
)
_PRUNE_KEYS = compile_statement(
    delete(IdempotencyKey).where(
        row_of(col(IdempotencyKey.user_id), col(IdempotencyKey.key)).in_(_EXPIRED_KEYS)
    )
)
# Old tombstones go, and each user's sync_pruned_seq rises to the highest number pruned, in
# one statement (one snapshot for a sync page that reads both): a token below it may have
# missed a deletion, and gets 410.
_OLD_TOMBSTONES = (
    select(col(TaskTombstone.user_id), col(TaskTombstone.change_seq))
    .where(col(TaskTombstone.deleted_at) < bindparam("before"))
    .limit(_LIMIT)
)
_PRUNED = (
    delete(TaskTombstone)
    .where(row_of(col(TaskTombstone.user_id), col(TaskTombstone.change_seq)).in_(_OLD_TOMBSTONES))
    .returning(col(TaskTombstone.user_id), col(TaskTombstone.change_seq))
    .cte("pruned")
)
_HIGHEST = (
    select(_PRUNED.c.user_id, func.max(_PRUNED.c.change_seq).label("seq"))
    .group_by(_PRUNED.c.user_id)
    .subquery("highest")
)
_PRUNE_TOMBSTONES = compile_statement(
    update(TaskCount)
    .values(sync_pruned_seq=func.greatest(col(TaskCount.sync_pruned_seq), _HIGHEST.c.seq))
    .where(col(TaskCount.user_id) == _HIGHEST.c.user_id)
    .returning(_HIGHEST.c.user_id)
    .add_cte(_PRUNED)
)


def all_statements() -> dict[str, Statement]:
    """Every statement of this repository (tests/db/test_statements.py)."""
    return {"prune keys": _PRUNE_KEYS, "prune tombstones": _PRUNE_TOMBSTONES}


class MaintenanceRepository:
    def __init__(self, session: DbSession) -> None:
        self.session = session

    async def prune_keys(self, before: datetime, batch: int) -> int:
        """Delete up to `batch` keys created before `before`; how many went."""
        return await self.session.execute(_PRUNE_KEYS, {"before": before, "batch": batch})

    async def prune_tombstones(self, before: datetime, batch: int) -> int:
        """Delete up to `batch` tombstones of deletions before `before`; how many users'
        sync_pruned_seq moved (0: nothing left to prune)."""
        return await self.session.execute(_PRUNE_TOMBSTONES, {"before": before, "batch": batch})
