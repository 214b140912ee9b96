"""Reminders that were sent: one row per (task, reminder time), written in the statement that
puts the reminder's event in the outbox (src/repositories/reminders.py), so each reminder
time of a task is published once, whichever relay finds it first and however often.

A task's reminder moved to another time is another reminder. No foreign key to tasks: a
deleted task never reminds, task ids are never reused, and a foreign key would cost every
task deletion a lookup here. `make prune` deletes the rows whose reminder time is past
REMINDER_GRACE_HOURS, which can no longer be sent.
"""

from datetime import datetime

from sqlalchemy import DateTime, Integer, text
from sqlmodel import Field, SQLModel


class SentReminder(SQLModel, table=True):
    __tablename__ = "sent_reminders"

    # An INTEGER like tasks.id.
    task_id: int = Field(primary_key=True, sa_type=Integer)
    remind_at: datetime = Field(primary_key=True, sa_type=DateTime(timezone=False))
    sent_at: datetime = Field(
        nullable=False,
        sa_type=DateTime(timezone=False),
        sa_column_kwargs={"server_default": text("(now() AT TIME ZONE 'UTC')")},
    )
