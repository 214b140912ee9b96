"""`make prune` (src/cli/prune.py) on a committed database: expired idempotency keys and old
tombstones go, in batches, and so do task events no relay published within the outbox's
retention; fresh ones stay; each user's sync_pruned_seq rises to the highest tombstone number
pruned, so that a token below it gets 410."""

import os
import subprocess
import sys
import uuid

import psycopg
from sqlalchemy.engine import URL

from src.db.urls import libpq_conninfo
from tests.support.databases import BACKEND_DIR


def prune(url: URL, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url.render_as_string(hide_password=False)}
    env.pop("IDEMPOTENCY_KEY_TTL_HOURS", None)
    env.pop("SYNC_TOMBSTONE_DAYS", None)
    env.pop("OUTBOX_RETENTION_DAYS", None)
    return subprocess.run(
        [sys.executable, "-m", "src.cli.prune", *args],
        cwd=BACKEND_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_prune_deletes_what_expired_and_raises_the_pruned_sequence(committed_url: URL) -> None:
    alice, bob = uuid.uuid4(), uuid.uuid4()
    with psycopg.connect(libpq_conninfo(committed_url), autocommit=True) as db:
        for user in (alice, bob):
            db.execute("INSERT INTO users (id, email) VALUES (%s, %s)", (user, f"{user}@x.org"))
            db.execute(
                "INSERT INTO tasks (user_id, title) SELECT %s, 't' || i"
                " FROM generate_series(1, 5) AS i",
                (user,),
            )
            db.execute("DELETE FROM tasks WHERE user_id = %s", (user,))  # 5 tombstones each
        # Alice's first three deletions are 31 days old; Bob's are all recent.
        db.execute(
            "UPDATE task_tombstones SET deleted_at = deleted_at - interval '31 days'"
            " WHERE user_id = %s AND change_seq IN (SELECT change_seq FROM task_tombstones"
            " WHERE user_id = %s ORDER BY change_seq LIMIT 3)",
            (alice, alice),
        )
        old_seqs = db.execute(
            "SELECT change_seq FROM task_tombstones WHERE user_id = %s"
            " AND deleted_at < now() - interval '30 days' ORDER BY 1",
            (alice,),
        ).fetchall()
        assert len(old_seqs) == 3
        # Alice's events (her creation, 5 tasks created, 5 deleted) are 8 days old, past the
        # outbox's 7; nothing published them.
        aged = db.execute(
            "UPDATE outbox_events SET occurred_at = occurred_at - interval '8 days'"
            " WHERE user_id = %s",
            (alice,),
        )
        assert aged.rowcount == 11
        for n, age in enumerate(("25 hours", "25 hours", "1 hour")):
            db.execute(
                "INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at, status)"
                " VALUES (%s, %s, '\\x00', (now() AT TIME ZONE 'UTC') - %s::interval, 201)",
                (alice, f"k{n}", age),
            )

    result = prune(committed_url, "--batch", "2")  # several batches of each

    assert result.returncode == 0, result.stderr
    assert "pruned 2 expired idempotency keys" in result.stdout
    assert "and 11 unpublished events" in result.stdout
    with psycopg.connect(libpq_conninfo(committed_url), autocommit=True) as db:
        keys = db.execute("SELECT key FROM idempotency_keys ORDER BY key").fetchall()
        assert keys == [("k2",)]
        left = db.execute(
            "SELECT user_id, count(*) FROM task_tombstones GROUP BY user_id"
        ).fetchall()
        assert dict(left) == {alice: 2, bob: 5}
        pruned = db.execute(
            "SELECT user_id, sync_pruned_seq FROM task_counts WHERE user_id IN (%s, %s)",
            (alice, bob),
        ).fetchall()
        assert dict(pruned) == {alice: old_seqs[-1][0], bob: 0}
        events = db.execute("SELECT user_id, count(*) FROM outbox_events GROUP BY 1").fetchall()
        assert dict(events) == {bob: 11}

    again = prune(committed_url)  # nothing left to prune
    assert again.returncode == 0, again.stderr
    assert "pruned 0 expired idempotency keys, 0 batches of old tombstones and 0 unpublished" in (
        again.stdout
    )
