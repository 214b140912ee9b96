"""Per-user tag counts kept by triggers

`GET /api/{user_id}/tags` unnested the tags of all the caller's tasks on every call: 216 ms of
database time for a user with 100,000 tasks among 10^6 (8 requests a second). tag_counts holds
each user's count per tag, kept exact by statement-level triggers on tasks (as task_counts is,
revision 004), so the route reads one range of a primary key.

Generated with `alembic revision --autogenerate --rev-id 007` from `UserTagCount`
(src/models/tag_count.py); the trigger function, the triggers, the timeouts and the backfill
were added by hand.

Safe while the API writes (tests/migrations/test_online_revisions.py): the table and the
triggers are created in a short transaction; the triggers count every change from then on.
Safe to run again after a failure in the backfill (IF NOT EXISTS, OR REPLACE; the backfill
recounts from scratch).
The backfill then recounts each user's tags in transactions of a few users each, holding those
users' task_counts rows (FOR UPDATE), which every writer of their tags also takes first: a
user's writers wait for their own recount (at most ~0.1 s for 100,000 tasks), nobody else's.

Revision ID: 007
Revises: 006
Create Date: 2026-12-02 02:51:11.261933

"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # autogenerate may render sqlmodel.sql.sqltypes.AutoString
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "007"
down_revision: str | None = "006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# What shows that this revision ran: objects it creates, by name ("relations": tables,
# indexes, views, sequences; "functions": "name(argument types)"; "types"). Checked before
# `alembic upgrade` and `stamp`, and behind /readyz (src/db/schema_objects.py); required by
# tests/migrations/test_schema_objects.py.
SCHEMA_OBJECTS: dict[str, list[str]] = {
    "relations": ["tag_counts"],
    "functions": ["tag_counts_apply()"],
}

# squawk's findings on this revision's SQL (tests/migrations/test_squawk.py), and why each is
# accepted.
SQUAWK_IGNORE: dict[str, str] = {}

LOCK_TIMEOUT = "2s"
STATEMENT_TIMEOUT = "10min"
BACKFILL_USERS_PER_TRANSACTION = 20

# The (user_id, tag, +1 | -1) rows a statement's transition tables stand for. An UPDATE counts
# only the rows whose tags or owner changed: a toggle or a rename touches no counter.
_DELTAS = {
    "INSERT": "SELECT user_id, unnest(tags) AS tag, 1 AS n FROM new_rows",
    "DELETE": "SELECT user_id, unnest(tags) AS tag, -1 AS n FROM old_rows",
    "UPDATE": """
        SELECT n.user_id, unnest(n.tags) AS tag, 1 AS n
        FROM new_rows AS n JOIN old_rows AS o USING (id)
        WHERE n.tags IS DISTINCT FROM o.tags OR n.user_id <> o.user_id
        UNION ALL
        SELECT o.user_id, unnest(o.tags), -1
        FROM new_rows AS n JOIN old_rows AS o USING (id)
        WHERE n.tags IS DISTINCT FROM o.tags OR n.user_id <> o.user_id""",
}


# The rows of the statement that carry tags: none (a task without tags, a toggle, a rename:
# most writes) and the trigger returns after this one query.
_ANY = {
    "INSERT": "SELECT FROM new_rows WHERE tags <> '{}'",
    "DELETE": "SELECT FROM old_rows WHERE tags <> '{}'",
    "UPDATE": _DELTAS["UPDATE"],
}


def _apply(event: str) -> str:
    """For one event: lock the users' task_counts rows (in user order, as task_counts'
    trigger does), add the sums to tag_counts (in key order), drop the counters that reached 0.
    A user the same statement deleted is skipped (their counters went with them, ON DELETE
    CASCADE, before this trigger runs)."""
    delta = _DELTAS[event]
    return f"""
        IF NOT EXISTS ({_ANY[event]}) THEN
            RETURN NULL;
        END IF;
        PERFORM 1 FROM task_counts
        WHERE user_id IN (SELECT d.user_id FROM ({delta}) AS d)
        ORDER BY user_id FOR UPDATE;
        INSERT INTO tag_counts AS c (user_id, tag, count)
        SELECT d.user_id, d.tag, sum(d.n) FROM ({delta}) AS d
        WHERE EXISTS (SELECT FROM users AS u WHERE u.id = d.user_id)
        GROUP BY d.user_id, d.tag
        HAVING sum(d.n) <> 0
        ORDER BY d.user_id, d.tag
        ON CONFLICT (user_id, tag) DO UPDATE SET count = c.count + excluded.count;
        DELETE FROM tag_counts AS c
        USING (SELECT DISTINCT d.user_id, d.tag FROM ({delta}) AS d) AS d
        WHERE c.user_id = d.user_id AND c.tag = d.tag AND c.count = 0;"""  # noqa: S608


APPLY_FUNCTION = f"""
CREATE OR REPLACE FUNCTION tag_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Each branch names only the transition tables its event has.
    IF TG_OP = 'INSERT' THEN {_apply("INSERT")}
    ELSIF TG_OP = 'DELETE' THEN {_apply("DELETE")}
    ELSIF TG_OP = 'UPDATE' THEN {_apply("UPDATE")}
    ELSE  -- TRUNCATE
        DELETE FROM tag_counts;
    END IF;
    RETURN NULL;
END
$$
"""  # noqa: S608 (fixed text, no input)
# Named to fire after task_counts' triggers (triggers of an event fire in name order): a
# writer then holds its users' task_counts rows before it touches tag_counts, as the backfill
# does, so the two never wait for each other in opposite orders.
TRIGGERS = {
    "tasks_tag_counts_on_insert": "AFTER INSERT ON tasks REFERENCING NEW TABLE AS new_rows",
    "tasks_tag_counts_on_update": (
        "AFTER UPDATE ON tasks REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"
    ),
    "tasks_tag_counts_on_delete": "AFTER DELETE ON tasks REFERENCING OLD TABLE AS old_rows",
}

# One batch of the backfill: its users' counters are locked first, then recounted from a
# snapshot taken after the lock (READ COMMITTED: each statement sees what committed before it
# started), so no change is counted twice or missed.
_LOCK_BATCH = (
    "SELECT user_id FROM task_counts WHERE user_id = ANY(%(users)s::uuid[])"
    " ORDER BY user_id FOR UPDATE"
)
_CLEAR_BATCH = "DELETE FROM tag_counts WHERE user_id = ANY(%(users)s::uuid[])"
_COUNT_BATCH = (
    "INSERT INTO tag_counts (user_id, tag, count)"
    " SELECT user_id, tag, count(*) FROM tasks, unnest(tags) AS tag"
    " WHERE user_id = ANY(%(users)s::uuid[]) GROUP BY user_id, tag"
)


def upgrade() -> None:
    op.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
    op.execute(f"SET LOCAL statement_timeout = '{STATEMENT_TIMEOUT}'")
    op.create_table(
        "tag_counts",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("tag", sa.Text(), nullable=False),
        sa.Column("count", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_tag_counts_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "tag", name=op.f("pk_tag_counts")),
        if_not_exists=True,
    )
    op.execute(APPLY_FUNCTION)
    for name, event in TRIGGERS.items():
        op.execute(
            f"CREATE OR REPLACE TRIGGER {name} {event} "
            "FOR EACH STATEMENT EXECUTE FUNCTION tag_counts_apply()"
        )
    op.execute(
        "CREATE OR REPLACE TRIGGER tasks_tag_counts_on_truncate AFTER TRUNCATE ON tasks "
        "FOR EACH STATEMENT EXECUTE FUNCTION tag_counts_apply()"
    )
    if op.get_context().as_sql:  # `alembic upgrade --sql`: the backfill reads data
        return
    # Commits the table and the triggers (their lock on tasks is released), then recounts
    # in transactions of a few users each.
    with op.get_context().autocommit_block():
        connection = op.get_bind().connection.dbapi_connection
        assert connection is not None
        cursor = connection.cursor()
        try:
            cursor.execute("SELECT user_id FROM task_counts ORDER BY user_id")
            users = [row[0] for row in cursor.fetchall()]
            for start in range(0, len(users), BACKFILL_USERS_PER_TRANSACTION):
                batch = {
                    "users": [str(u) for u in users[start : start + BACKFILL_USERS_PER_TRANSACTION]]
                }
                cursor.execute("BEGIN")
                cursor.execute(f"SET LOCAL statement_timeout = '{STATEMENT_TIMEOUT}'")
                cursor.execute(_LOCK_BATCH, batch)
                cursor.execute(_CLEAR_BATCH, batch)
                cursor.execute(_COUNT_BATCH, batch)
                cursor.execute("COMMIT")
        finally:
            cursor.close()


def downgrade() -> None:
    op.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
    op.execute(f"SET LOCAL statement_timeout = '{STATEMENT_TIMEOUT}'")
    for name in [*TRIGGERS, "tasks_tag_counts_on_truncate"]:
        op.execute(f"DROP TRIGGER {name} ON tasks")
    op.execute("DROP FUNCTION tag_counts_apply()")
    op.drop_table("tag_counts")
