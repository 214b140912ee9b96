"""Per-user task counts kept by triggers

`X-Total-Count` on a user's list was a COUNT(*) over the user's tasks: an index-only scan
whose cost grows with the list (20 ms at 100,000 tasks), on every page. task_counts holds
each user's total and completed counts, kept exact by statement-level triggers on tasks
(insert, update, delete, truncate), so the count of an unfiltered or completed-filtered list
is one primary-key read. The triggers use transition tables: a bulk INSERT of a million rows
updates each user's counter once, not once per row.

Generated with `alembic revision --autogenerate --rev-id 004` from `TaskCount`
(src/models/task_count.py); the trigger function, the triggers, the backfill and the
timeouts were added by hand.

Revision ID: 004
Revises: 003
Create Date: 2026-11-30 18:31:32.797254

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "004"
down_revision: str | None = "003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# What shows that this revision ran: objects it creates, by name (src/db/schema_objects.py
# checks them before `alembic upgrade` and `stamp`, and behind /readyz).
SCHEMA_OBJECTS: dict[str, list[str]] = {
    "relations": ["task_counts"],
    "functions": ["task_counts_apply()"],
}

# squawk's findings on this revision's SQL (tests/migrations/test_squawk.py), and why each is
# accepted.
SQUAWK_IGNORE: dict[str, str] = {}

LOCK_TIMEOUT = "5s"
STATEMENT_TIMEOUT = "10min"

# One function for every change of tasks: the difference the statement made to each user's
# (total, completed), applied as an upsert in user_id order (so two statements touching the
# same users lock their counters in the same order). Rows an UPDATE left in place with the
# same completion cancel out and write nothing. A user the same statement deleted is skipped:
# tasks' foreign key allows one statement to empty a user's tasks and delete the user
# (`WITH gone AS (DELETE FROM tasks ...) DELETE FROM users ...`), and the counter went with
# the user (ON DELETE CASCADE) before this trigger runs; writing it again would violate
# task_counts' foreign key (tests/migrations/test_task_counts.py).
_UPSERT = """
    INSERT INTO task_counts AS c (user_id, total, completed)
    SELECT d.user_id, d.total, d.completed
    FROM (SELECT user_id, sum(total) AS total, sum(completed) AS completed
          FROM delta GROUP BY user_id) AS d
    WHERE (d.total <> 0 OR d.completed <> 0)
      AND EXISTS (SELECT FROM users AS u WHERE u.id = d.user_id)
    ORDER BY d.user_id
    ON CONFLICT (user_id) DO UPDATE
        SET total = c.total + excluded.total, completed = c.completed + excluded.completed;
"""
APPLY_FUNCTION = f"""
CREATE FUNCTION task_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Each branch names only the transition tables its event has.
    IF TG_OP = 'INSERT' THEN
        WITH delta (user_id, total, completed) AS (
            SELECT user_id, 1, is_completed::int FROM new_rows
        ) {_UPSERT}
    ELSIF TG_OP = 'DELETE' THEN
        WITH delta (user_id, total, completed) AS (
            SELECT user_id, -1, -is_completed::int FROM old_rows
        ) {_UPSERT}
    ELSIF TG_OP = 'UPDATE' THEN
        WITH delta (user_id, total, completed) AS (
            SELECT user_id, 1, is_completed::int FROM new_rows
            UNION ALL
            SELECT user_id, -1, -is_completed::int FROM old_rows
        ) {_UPSERT}
    ELSE  -- TRUNCATE
        DELETE FROM task_counts;
    END IF;
    RETURN NULL;
END
$$
"""  # noqa: S608 (fixed text, no input)
# A trigger can only name the transition tables its event has.
TRIGGERS = {
    "task_counts_on_insert": "AFTER INSERT ON tasks REFERENCING NEW TABLE AS new_rows",
    "task_counts_on_update": (
        "AFTER UPDATE ON tasks REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"
    ),
    "task_counts_on_delete": "AFTER DELETE ON tasks REFERENCING OLD TABLE AS old_rows",
}


def upgrade() -> None:
    op.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
    op.execute(f"SET LOCAL statement_timeout = '{STATEMENT_TIMEOUT}'")
    op.create_table(
        "task_counts",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("total", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("completed", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_task_counts_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_task_counts")),
    )
    # Trigger function first (the function body refers to a new_rows/old_rows only at run
    # time), then the triggers, whose SHARE ROW EXCLUSIVE lock on tasks keeps writers out
    # until this transaction commits: the backfill counts exactly the rows the triggers did
    # not see.
    op.execute(APPLY_FUNCTION)
    for name, event in TRIGGERS.items():
        op.execute(
            f"CREATE TRIGGER {name} {event} FOR EACH STATEMENT EXECUTE FUNCTION task_counts_apply()"
        )
    op.execute(
        "CREATE TRIGGER task_counts_on_truncate AFTER TRUNCATE ON tasks "
        "FOR EACH STATEMENT EXECUTE FUNCTION task_counts_apply()"
    )
    op.execute(
        "INSERT INTO task_counts (user_id, total, completed) "
        "SELECT user_id, count(*), count(*) FILTER (WHERE is_completed) "
        "FROM tasks GROUP BY user_id"
    )


def downgrade() -> None:
    op.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
    op.execute(f"SET LOCAL statement_timeout = '{STATEMENT_TIMEOUT}'")
    for name in [*TRIGGERS, "task_counts_on_truncate"]:
        op.execute(f"DROP TRIGGER {name} ON tasks")
    op.execute("DROP FUNCTION task_counts_apply()")
    op.drop_table("task_counts")
