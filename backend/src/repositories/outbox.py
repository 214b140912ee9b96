"""The outbox as the relay reads it (src/events/relay.py): one batch per transaction, under a
transaction-level advisory lock, so that of several relays one publishes at a time and a
relay that dies leaves nothing locked (its transaction ends with its connection).

The events themselves are written by revision 011's triggers, never by this code.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Integer, any_, bindparam, delete, func, select, true
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import col

from src.db.session import DbSession
from src.db.statements import Statement, compile_statement
from src.models import OutboxEvent
from src.repositories._rows import task_record

Row = dict[str, Any]

# pg_try_advisory_xact_lock's key: "task-api relay", any constant no other code uses.
RELAY_LOCK_KEY = 0x7461736B5F72656C

_LEAD = compile_statement(
    select(func.pg_try_advisory_xact_lock(bindparam("lock_key", type_=BigInteger)).label("lead"))
)
_TASK = task_record(col(OutboxEvent.data))
# The oldest events, each with its task row typed again (NULL columns for a user's event).
_BATCH = compile_statement(
    select(
        col(OutboxEvent.id).label("outbox_id"),
        col(OutboxEvent.event_id),
        col(OutboxEvent.user_id).label("event_user_id"),
        col(OutboxEvent.kind),
        col(OutboxEvent.event_type),
        col(OutboxEvent.task_id),
        col(OutboxEvent.occurred_at),
        *_TASK.c,
    )
    .select_from(OutboxEvent)
    .outerjoin(_TASK, true())
    .order_by(col(OutboxEvent.id))
    .limit(bindparam("limit", type_=Integer()))
)
_DELETE = compile_statement(
    delete(OutboxEvent).where(
        col(OutboxEvent.id) == any_(bindparam("ids", type_=ARRAY(BigInteger())))
    )
)
# Events no relay published in the retention window (make prune), a batch at a time.
_PRUNE = compile_statement(
    delete(OutboxEvent).where(
        col(OutboxEvent.id).in_(
            select(col(OutboxEvent.id))
            .where(col(OutboxEvent.occurred_at) < bindparam("before"))
            .order_by(col(OutboxEvent.id))
            .limit(bindparam("batch", type_=Integer()))
        )
    )
)


def all_statements() -> dict[str, Statement]:
    """Every statement of this repository (tests/db/test_statements.py)."""
    return {
        "outbox lead": _LEAD,
        "outbox batch": _BATCH,
        "outbox delete published": _DELETE,
        "outbox prune": _PRUNE,
    }


class OutboxRepository:
    def __init__(self, session: DbSession) -> None:
        self.session = session

    async def lead(self) -> bool:
        """In the session's transaction: True when this relay holds the relay lock until the
        transaction ends; False when another relay holds it."""
        row = await self.session.fetch_one(_LEAD, {"lock_key": RELAY_LOCK_KEY})
        return bool(row and row["lead"])

    async def oldest(self, limit: int) -> list[Row]:
        return await self.session.fetch_all(_BATCH, {"limit": limit})

    async def delete(self, ids: list[int]) -> int:
        return await self.session.execute(_DELETE, {"ids": ids})

    async def prune(self, before: datetime, batch: int) -> int:
        """Delete up to `batch` events older than `before`; how many went."""
        return await self.session.execute(_PRUNE, {"before": before, "batch": batch})
