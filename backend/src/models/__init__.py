"""Every table model, imported here so that SQLModel.metadata (Alembic's target) has them all."""

from sqlmodel import SQLModel

# Names for constraints and indexes that new revisions create. Revision 001 names its own
# objects as the seed's hand-written DDL named them (users_pkey, tasks_user_id_fkey, ...).
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

from src.models.idempotency import IdempotencyKey  # noqa: E402
from src.models.outbox import OutboxEvent  # noqa: E402
from src.models.reminder import SentReminder  # noqa: E402
from src.models.sync import (  # noqa: E402
    SYNC_PAGE,
    SyncEpoch,
    SyncPage,
    SyncPageRow,
    SyncQuery,
    TaskDeletion,
    TaskTombstone,
)
from src.models.tag_count import UserTagCount  # noqa: E402
from src.models.task import (  # noqa: E402
    TASK_ID_MAX,
    TASK_ROW,
    TASK_ROWS,
    TagCount,
    Task,
    TaskCompletion,
    TaskCreate,
    TaskListQuery,
    TaskPublic,
    TaskReplace,
    TaskRow,
    TaskUpdate,
)
from src.models.task_count import TaskCount  # noqa: E402
from src.models.user import User, UserPublic  # noqa: E402

__all__ = [
    "SYNC_PAGE",
    "TASK_ID_MAX",
    "TASK_ROW",
    "TASK_ROWS",
    "IdempotencyKey",
    "OutboxEvent",
    "SQLModel",
    "SentReminder",
    "SyncEpoch",
    "SyncPage",
    "SyncPageRow",
    "SyncQuery",
    "TagCount",
    "Task",
    "TaskCompletion",
    "TaskCount",
    "TaskCreate",
    "TaskDeletion",
    "TaskListQuery",
    "TaskPublic",
    "TaskReplace",
    "TaskRow",
    "TaskTombstone",
    "TaskUpdate",
    "User",
    "UserPublic",
    "UserTagCount",
]
