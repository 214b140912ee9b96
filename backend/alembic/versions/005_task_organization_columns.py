"""Task organization: priority, tags, due date, reminder, recurrence (columns)

Seven nullable or constant-default columns on tasks, two enum types, and the rule that a
recurring task has a due date. Every statement is a catalog change: since PostgreSQL 11 a
column added with a constant default is not written into existing rows, so on 10^6 tasks
each ALTER holds its lock for milliseconds. The indexes that serve the new filters and sorts
are revision 006, built CONCURRENTLY outside a transaction.

Generated with `alembic revision --autogenerate --rev-id 005` from `Task`
(src/models/task.py), then edited: the indexes moved to 006; the enum types are created and
dropped explicitly (add_column does not create them); the CHECK constraint (autogenerate does
not see CHECK constraints) is added NOT VALID (006 validates it); timeouts added.

Revision ID: 005
Revises: 004
Create Date: 2026-12-01 23:14:52.961263

"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # autogenerate may render sqlmodel.sql.sqltypes.AutoString
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = "005"
down_revision: str | None = "004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# What shows that this revision ran: objects it creates, by name (src/db/schema_objects.py
# checks them before `alembic upgrade` and `stamp`, and behind /readyz).
SCHEMA_OBJECTS: dict[str, list[str]] = {"types": ["task_priority", "task_recurrence"]}

# squawk's findings on this revision's SQL (tests/migrations/test_squawk.py), and why each is
# accepted.
SQUAWK_IGNORE: dict[str, str] = {
    "prefer-timestamp-tz": (
        "due_date and remind_at follow the schema's convention since revision 001 (created_at, "
        "updated_at): TIMESTAMP WITHOUT TIME ZONE holding UTC. The API converts every date-time "
        "to UTC before it writes, each connection runs with TimeZone UTC, and responses mark "
        "the values UTC again (docs/api.md)."
    ),
    "prefer-bigint-over-smallint": (
        "recurring_interval is validated to 1-999 by the API (TaskBase.recurring_interval); "
        "SMALLINT holds up to 32,767."
    ),
    "prefer-bigint-over-int": (
        "next_occurrence_id holds a tasks.id, which is INTEGER (the seed's SERIAL, revision "
        "001): the same type as the ids it stores."
    ),
}

# A writer waits at most this long behind an ALTER (the ALTER gives up instead, and the
# deploy is retried), so the API never stalls behind a long transaction and our lock queue.
LOCK_TIMEOUT = "2s"
STATEMENT_TIMEOUT = "10min"

PRIORITY = postgresql.ENUM("low", "medium", "high", name="task_priority", create_type=False)
RECURRENCE = postgresql.ENUM(
    "daily", "weekly", "monthly", "yearly", name="task_recurrence", create_type=False
)
CHECK = "ck_tasks_recurrence_needs_due_date"


def upgrade() -> None:
    op.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
    op.execute(f"SET LOCAL statement_timeout = '{STATEMENT_TIMEOUT}'")
    PRIORITY.create(op.get_bind(), checkfirst=False)
    RECURRENCE.create(op.get_bind(), checkfirst=False)
    op.add_column("tasks", sa.Column("priority", PRIORITY, server_default="medium", nullable=False))
    op.add_column(
        "tasks",
        sa.Column("tags", sa.ARRAY(sa.Text()), server_default=sa.text("'{}'"), nullable=False),
    )
    op.add_column("tasks", sa.Column("due_date", sa.DateTime(), nullable=True))
    op.add_column("tasks", sa.Column("remind_at", sa.DateTime(), nullable=True))
    op.add_column("tasks", sa.Column("recurring_rule", RECURRENCE, nullable=True))
    op.add_column(
        "tasks",
        sa.Column(
            "recurring_interval", sa.SmallInteger(), server_default=sa.text("1"), nullable=False
        ),
    )
    op.add_column("tasks", sa.Column("next_occurrence_id", sa.Integer(), nullable=True))
    # NOT VALID: no scan under the ACCESS EXCLUSIVE lock; new rows are checked from now on.
    # Revision 006 validates the existing rows in a transaction of its own (here the scan
    # would run while this transaction still holds ACCESS EXCLUSIVE).
    op.create_check_constraint(
        op.f(CHECK),
        "tasks",
        "recurring_rule IS NULL OR due_date IS NOT NULL",
        postgresql_not_valid=True,
    )


def downgrade() -> None:
    # Catalog changes only; the Basic columns and their data stay as they are.
    op.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
    op.execute(f"SET LOCAL statement_timeout = '{STATEMENT_TIMEOUT}'")
    op.drop_constraint(op.f(CHECK), "tasks", type_="check")
    for column in (
        "next_occurrence_id",
        "recurring_interval",
        "recurring_rule",
        "remind_at",
        "due_date",
        "tags",
        "priority",
    ):
        op.drop_column("tasks", column)
    RECURRENCE.drop(op.get_bind(), checkfirst=False)
    PRIORITY.drop(op.get_bind(), checkfirst=False)
