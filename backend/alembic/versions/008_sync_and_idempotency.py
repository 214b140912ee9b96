"""Incremental sync and idempotency keys: change numbers, tombstones, stored responses

- tasks.change_seq: the number of the row's last change, from the sequence
  task_change_seq, taken by a row trigger (BEFORE INSERT OR UPDATE) while it holds the
  user's task_counts row lock (FOR UPDATE, held until the write commits): a user's changes
  commit in the order of their numbers, so a sync token (a number) is exact (docs/sync.md).
  A lock, not a counter written per row: one statement writing many rows of one user (an
  import, the benchmark's seed) locks the row once; a per-row counter update made each row
  walk the versions the previous rows left (100,000 rows of one user did not finish in
  15 minutes).
- task_tombstones: a statement trigger (AFTER DELETE) records every deleted task of a user
  who still exists, each numbered under the same lock; deleting the user removes them
  (CASCADE).
- task_counts.sync_pruned_seq: the highest tombstone number pruned (src/cli/prune.py).
- sync_epoch: one random id for the database's sync timeline (a restore changes it).
- idempotency_keys: the first response of a write sent with an `Idempotency-Key`.

Generated with `alembic revision --autogenerate --rev-id 008` from the models
(src/models/task.py, task_count.py, sync.py, idempotency.py); the trigger functions, the
triggers and the timeouts were added by hand, and the index on (user_id, change_seq) moved to
revision 009, which builds it CONCURRENTLY.

Safe while the API writes (tests/migrations/test_online_revisions.py): new tables, columns
without a rewrite (nullable, or a constant default, which PostgreSQL 11+ stores in the
catalog) and triggers, in one short transaction; nothing is backfilled. Rows no write
touched since carry no sequence: a full sync reads them, an incremental one needs none.

Revision ID: 008
Revises: 007
Create Date: 2026-12-05 21:46:05.552863

"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # autogenerate may render sqlmodel.sql.sqltypes.AutoString
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = "008"
down_revision: str | None = "007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# What shows that this revision ran: objects it creates, by name. Checked before `alembic
# upgrade` and `stamp`, and behind /readyz (src/db/schema_objects.py); required by
# tests/migrations/test_schema_objects.py.
SCHEMA_OBJECTS: dict[str, list[str]] = {
    "relations": ["idempotency_keys", "task_tombstones", "sync_epoch", "task_change_seq"],
    "functions": [
        "task_change_seq_stamp()",
        "task_tombstones_record()",
        "task_change_lock(uuid[])",
    ],
}

# squawk's findings on this revision's SQL (tests/migrations/test_squawk.py), and why each is
# accepted.
SQUAWK_IGNORE: dict[str, str] = {
    "prefer-timestamp-tz": (
        "idempotency_keys.created_at and task_tombstones.deleted_at follow the schema's "
        "convention since revision 001: TIMESTAMP WITHOUT TIME ZONE holding UTC (written as "
        "UTC by the API and by the trigger's `now() AT TIME ZONE 'UTC'`)."
    ),
    "prefer-bigint-over-smallint": (
        "idempotency_keys.status holds an HTTP status code (200-399 are stored)."
    ),
    "prefer-bigint-over-int": (
        "task_tombstones.task_id holds a tasks.id, which is INTEGER (the seed's SERIAL)."
    ),
}

LOCK_TIMEOUT = "2s"
STATEMENT_TIMEOUT = "1min"

SEQUENCE = "task_change_seq"
# The user's lock, then the next number. An UPDATE that changes nothing is no change: it keeps
# its number (and, since this trigger runs before tasks_set_updated_at, its updated_at and
# ETag). Repeated in one transaction, the lock costs nothing: the row is already locked.
STAMP_FUNCTION = f"""
CREATE OR REPLACE FUNCTION task_change_seq_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NEW IS NOT DISTINCT FROM OLD THEN
            RETURN NEW;
        END IF;
        IF NEW.user_id <> OLD.user_id THEN
            -- A move between users (never done by the API): both users locked, in user_id
            -- order, the order revision 004's trigger locks them in.
            PERFORM task_change_lock(ARRAY[OLD.user_id, NEW.user_id]);
            NEW.change_seq := nextval('{SEQUENCE}');
            RETURN NEW;
        END IF;
    END IF;
    PERFORM FROM task_counts WHERE user_id = NEW.user_id FOR UPDATE;
    IF NOT FOUND THEN  -- the user's first task
        PERFORM task_change_lock(ARRAY[NEW.user_id]);
    END IF;
    NEW.change_seq := nextval('{SEQUENCE}');
    RETURN NEW;
END
$$
"""
# The users' task_counts rows, created if missing, locked FOR UPDATE in user_id order.
LOCK_FUNCTION = """
CREATE OR REPLACE FUNCTION task_change_lock(users uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO task_counts (user_id)
    SELECT DISTINCT u FROM unnest(users) AS u ORDER BY u
    ON CONFLICT (user_id) DO NOTHING;
    PERFORM FROM task_counts WHERE user_id = ANY(users) ORDER BY user_id FOR UPDATE;
END
$$
"""
# One tombstone per deleted task, numbered under the users' locks, users in id order (as
# revision 004 locks them). A user the same statement deleted (`WITH gone AS (DELETE FROM
# tasks ...) DELETE FROM users ...`, src/repositories/users.py) gets none: they would go with
# the user. TRUNCATE (tests only) takes the tombstones with it.
RECORD_FUNCTION = f"""
CREATE OR REPLACE FUNCTION task_tombstones_record() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM task_tombstones;
        RETURN NULL;
    END IF;
    PERFORM task_change_lock(array_agg(DISTINCT o.user_id))
    FROM old_rows AS o
    WHERE EXISTS (SELECT FROM users AS u WHERE u.id = o.user_id)
    HAVING count(*) > 0;
    INSERT INTO task_tombstones (user_id, change_seq, task_id, deleted_at)
    SELECT o.user_id, nextval('{SEQUENCE}'), o.id, now() AT TIME ZONE 'UTC'
    FROM (SELECT user_id, id FROM old_rows ORDER BY id) AS o
    WHERE EXISTS (SELECT FROM users AS u WHERE u.id = o.user_id);
    RETURN NULL;
END
$$
"""  # noqa: S608 (fixed text, no input)
TRIGGERS = {
    "tasks_change_seq": (
        "BEFORE INSERT OR UPDATE ON tasks FOR EACH ROW EXECUTE FUNCTION task_change_seq_stamp()"
    ),
    "tasks_tombstones_on_delete": (
        "AFTER DELETE ON tasks REFERENCING OLD TABLE AS old_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION task_tombstones_record()"
    ),
    "tasks_tombstones_on_truncate": (
        "AFTER TRUNCATE ON tasks FOR EACH STATEMENT EXECUTE FUNCTION task_tombstones_record()"
    ),
}


def upgrade() -> None:
    op.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
    op.execute(f"SET LOCAL statement_timeout = '{STATEMENT_TIMEOUT}'")
    # Locks in the order writers take them: tasks (a write), then task_counts (its trigger).
    # The other order deadlocked a writer's trigger against this revision, which held
    # task_counts while it waited for tasks (tests/migrations/test_online_revisions.py).
    op.add_column(
        "tasks", sa.Column("change_seq", sa.BigInteger(), nullable=True), if_not_exists=True
    )
    op.add_column(
        "task_counts",
        sa.Column("sync_pruned_seq", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        if_not_exists=True,
    )
    op.execute(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE} AS bigint")
    op.create_table(
        "sync_epoch",
        sa.Column("epoch", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("epoch", name=op.f("pk_sync_epoch")),
        if_not_exists=True,
    )
    op.execute(
        "INSERT INTO sync_epoch (epoch) SELECT gen_random_uuid()"
        " WHERE NOT EXISTS (SELECT FROM sync_epoch)"
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.SmallInteger(), nullable=True),
        sa.Column("headers", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("body", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("user_id", "key", name=op.f("pk_idempotency_keys")),
        if_not_exists=True,
    )
    op.create_index(
        "ix_idempotency_keys_created_at",
        "idempotency_keys",
        ["created_at"],
        unique=False,
        if_not_exists=True,
    )
    op.create_table(
        "task_tombstones",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("change_seq", sa.BigInteger(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_task_tombstones_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "change_seq", name=op.f("pk_task_tombstones")),
        if_not_exists=True,
    )
    op.create_index(
        "ix_task_tombstones_deleted_at",
        "task_tombstones",
        ["deleted_at"],
        unique=False,
        if_not_exists=True,
    )
    op.execute(LOCK_FUNCTION)
    op.execute(STAMP_FUNCTION)
    op.execute(RECORD_FUNCTION)
    for name, definition in TRIGGERS.items():
        op.execute(f"CREATE OR REPLACE TRIGGER {name} {definition}")


def downgrade() -> None:
    op.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
    op.execute(f"SET LOCAL statement_timeout = '{STATEMENT_TIMEOUT}'")
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON tasks")
    op.execute("DROP FUNCTION IF EXISTS task_tombstones_record()")
    op.execute("DROP FUNCTION IF EXISTS task_change_seq_stamp()")
    op.execute("DROP FUNCTION IF EXISTS task_change_lock(uuid[])")
    op.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")
    op.drop_column("tasks", "change_seq", if_exists=True)
    op.drop_column("task_counts", "sync_pruned_seq", if_exists=True)
    op.drop_index("ix_task_tombstones_deleted_at", table_name="task_tombstones", if_exists=True)
    op.drop_table("task_tombstones", if_exists=True)
    op.drop_index("ix_idempotency_keys_created_at", table_name="idempotency_keys", if_exists=True)
    op.drop_table("idempotency_keys", if_exists=True)
    op.drop_table("sync_epoch", if_exists=True)
