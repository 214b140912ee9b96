"""Trigram indexes: a small GIN pending list

Revision 006's trigram indexes (q=, where the server has pg_trgm) keep GIN's `fastupdate`: an
insert appends its trigrams to the index's unsorted pending list, and the list is merged into
the index only when it outgrows `gin_pending_list_limit` (4 MB by default). Every search reads
the whole list, so on a table that is written to a search paid for up to 4 MB of it: on the
benchmark's 10^6 tasks, `q=audit` for the heavy user took 6.3 ms with 873 pending pages and
0.33 ms with none (docs/performance.md). This revision caps each list at 256 kB (32 pages
per index) and merges what is pending now, so that no writer pays for it. `fastupdate` stays
on: without a list, every insert updates the GIN tree in place, which cost inserts over a
third of their rate (bench/closing-note.md).

Generated with `alembic revision --autogenerate --rev-id 013`, which found nothing (the
trigram indexes are not in the models: alembic/env.py, TRIGRAM_INDEXES); written by hand.

Safe while the API serves: `ALTER INDEX ... SET` changes the catalog only, under an ACCESS
EXCLUSIVE lock on the index (not the table) held for milliseconds. A write waits for that
lock while the ALTER waits for the searches in flight, so the ALTER gives up after
LOCK_TIMEOUT and tries again (tests/migrations/test_online_revisions.py measures the longest
write meanwhile). `gin_clean_pending_list()` takes no lock that blocks a writer.

Revision ID: 013
Revises: 012
Create Date: 2026-12-08 00:07:26.077663

"""

import time
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op

# revision identifiers, used by Alembic.
revision: str = "013"
down_revision: str | None = "012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = ("ix_tasks_title_trgm", "ix_tasks_description_trgm")
LIMIT_KB = 256
OPTION = f"gin_pending_list_limit={LIMIT_KB}"

# What shows that this revision ran: the option on each index (src/db/schema_objects.py). A
# server without pg_trgm has no trigram index (revision 006), and this revision changes
# nothing there.
SCHEMA_OBJECTS: dict[str, list[str]] = {
    "index_options": [f"tasks.{index}:{OPTION}" for index in INDEXES]
}

SQUAWK_IGNORE: dict[str, str] = {}

# Far under the 200 ms a write may wait (issue 12); a search holds the index for less.
LOCK_TIMEOUT = "50ms"
STATEMENT_TIMEOUT = "1min"  # the ALTERs are catalog changes; the merge reads 4 MB at most
ATTEMPTS = 40
PAUSE_SECONDS = 0.25


def _retrying(statement: str) -> None:
    """Run `statement` (autocommit), again after a pause when it could not get its lock."""
    for attempt in range(ATTEMPTS):
        try:
            op.execute(statement)
            return
        except sa.exc.OperationalError as error:
            lock_not_available = getattr(error.orig, "pgcode", None) == "55P03"
            if not lock_not_available or attempt == ATTEMPTS - 1:
                raise
            time.sleep(PAUSE_SECONDS)


def _set_options(change: str, *, then: Sequence[str] = ()) -> None:
    """`ALTER INDEX ... <change>` on each index, each in a transaction of its own, then the
    statements `then`."""
    with op.get_context().autocommit_block():
        op.execute(f"SET statement_timeout = '{STATEMENT_TIMEOUT}'")
        op.execute(f"SET lock_timeout = '{LOCK_TIMEOUT}'")
        for index in INDEXES:
            statement = f"ALTER INDEX IF EXISTS {index} {change}"
            if context.is_offline_mode():
                op.execute(statement)
            else:
                _retrying(statement)
        op.execute("RESET lock_timeout")
        for statement in then:
            op.execute(statement)
        op.execute("RESET statement_timeout")


def upgrade() -> None:
    # Then merge what is pending now, rather than leave it to the next insert.
    merge = [
        f"SELECT gin_clean_pending_list(c.oid::regclass) FROM pg_class AS c"  # noqa: S608
        f" WHERE c.oid = to_regclass('{index}')"  # (fixed names, no input)
        for index in INDEXES
    ]
    _set_options(f"SET ({OPTION})", then=merge)


def downgrade() -> None:
    _set_options("RESET (gin_pending_list_limit)")
