"""Per-user task counts, kept by triggers on tasks (revision 004); never written by the app.

They make `X-Total-Count` of an unfiltered or completed-filtered list one primary-key read
instead of a COUNT over the user's tasks, which grew with the list (20 ms at 100,000 tasks).
"""

import uuid

from sqlalchemy import BigInteger, Column, ForeignKey, text
from sqlmodel import Field, SQLModel


class TaskCount(SQLModel, table=True):
    __tablename__ = "task_counts"

    user_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    )
    total: int = Field(
        sa_type=BigInteger, nullable=False, sa_column_kwargs={"server_default": text("0")}
    )
    completed: int = Field(
        sa_type=BigInteger, nullable=False, sa_column_kwargs={"server_default": text("0")}
    )
