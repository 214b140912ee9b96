"""Reminders coming due, put in the outbox by the relay (src/events/relay.py), each once.

One statement, in autocommit: the tasks whose reminder time has come (by the database's
clock: every relay agrees on it), that are not completed, and whose reminder for that time
was not sent; each recorded in sent_reminders and its event added to the outbox, together.
Two relays running it at once both try to record the same reminder: the second waits on
the primary key for the first's commit, then records nothing and adds no event.

A reminder time more than REMINDER_GRACE_HOURS past is never sent: a reminder from before
this feature existed, or one a restore brought back, is stale, not due.
"""

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Integer,
    Interval,
    and_,
    bindparam,
    delete,
    exists,
    func,
    literal_column,
    select,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col

from src.db.session import DbSession
from src.db.statements import Statement, compile_statement
from src.models import OutboxEvent, SentReminder, Task

_NOW = func.timezone(literal_column("'UTC'"), func.now())
_DUE = (
    select(
        col(Task.id),
        col(Task.user_id),
        col(Task.title),
        col(Task.due_date),
        col(Task.remind_at),
    )
    .where(
        col(Task.remind_at).is_not(None),
        ~col(Task.is_completed),
        col(Task.remind_at) <= _NOW,
        col(Task.remind_at) > _NOW - sql_cast(bindparam("grace"), Interval()),
        ~exists().where(
            col(SentReminder.task_id) == col(Task.id),
            col(SentReminder.remind_at) == col(Task.remind_at),
        ),
    )
    .order_by(col(Task.remind_at))
    .limit(bindparam("batch", type_=Integer()))
    .cte("due")
)
_SENT = (
    insert(SentReminder)
    .from_select(["task_id", "remind_at"], select(_DUE.c.id, _DUE.c.remind_at))
    .on_conflict_do_nothing()
    .returning(col(SentReminder.task_id), col(SentReminder.remind_at))
    .cte("sent")
)
# The event's data: the task's reminder fields, under the tasks table's column names (the
# relay types them back with the task's row type, as every event's task).
_QUEUE = compile_statement(
    insert(OutboxEvent).from_select(
        ["user_id", "kind", "event_type", "task_id", "data"],
        select(
            _DUE.c.user_id,
            literal_column("'reminder'"),
            literal_column("'due'"),
            _DUE.c.id,
            func.jsonb_build_object(
                literal_column("'id'"),
                _DUE.c.id,
                literal_column("'user_id'"),
                _DUE.c.user_id,
                literal_column("'title'"),
                _DUE.c.title,
                literal_column("'due_date'"),
                _DUE.c.due_date,
                literal_column("'remind_at'"),
                _DUE.c.remind_at,
            ),
        )
        .select_from(_DUE)
        .join(_SENT, and_(_SENT.c.task_id == _DUE.c.id, _SENT.c.remind_at == _DUE.c.remind_at))
        .order_by(_DUE.c.remind_at),
    )
)
# Sent reminders whose time is past the grace: they can no longer be sent again (make prune).
_PRUNE = compile_statement(
    delete(SentReminder).where(col(SentReminder.remind_at) < bindparam("before"))
)


def all_statements() -> dict[str, Statement]:
    """Every statement of this repository (tests/db/test_statements.py)."""
    return {"reminders queue due": _QUEUE, "reminders prune sent": _PRUNE}


class ReminderRepository:
    def __init__(self, session: DbSession) -> None:
        self.session = session

    async def queue_due(self, grace: timedelta, batch: int) -> int:
        """Put up to `batch` reminders that came due in the outbox; how many."""
        params: dict[str, Any] = {"grace": grace, "batch": batch}
        return await self.session.execute(_QUEUE, params)

    async def prune_sent(self, before: datetime) -> int:
        return await self.session.execute(_PRUNE, {"before": before})
