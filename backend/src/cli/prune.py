"""Delete what the offline-client features keep for a while (docs/sync.md), on a schedule:

    python -m src.cli.prune        (make prune; run it from cron or a scheduled job, hourly)

- idempotency keys older than IDEMPOTENCY_KEY_TTL_HOURS (a retry after that runs again;
  expired keys are ignored by the API even before they are pruned);
- tombstones older than SYNC_TOMBSTONE_DAYS, raising each user's sync_pruned_seq, so that a
  sync token from before them gets 410 and syncs in full;
- task events no relay published within OUTBOX_RETENTION_DAYS (docs/events.md): a deployment
  without a relay keeps a week of events, not all of them; and the records of reminders sent
  whose time is past REMINDER_GRACE_HOURS.

Batches of --batch rows, each its own statement; safe to run on several machines at once
and while the API serves.
"""

import argparse
import asyncio
import sys
from datetime import timedelta

import psycopg
from psycopg.rows import dict_row

from src.core.settings import get_settings
from src.db.pool import resolve_database_url
from src.db.session import DbSession
from src.db.urls import libpq_conninfo
from src.models._common import utcnow
from src.repositories.maintenance import MaintenanceRepository
from src.repositories.outbox import OutboxRepository
from src.repositories.reminders import ReminderRepository


async def prune(batch: int) -> tuple[int, int, int]:
    """(keys deleted, batches of tombstones deleted, events deleted)."""
    settings = get_settings()
    url = resolve_database_url(settings)
    async with await psycopg.AsyncConnection.connect(
        libpq_conninfo(url), autocommit=True, row_factory=dict_row
    ) as connection:
        repository = MaintenanceRepository(DbSession(connection=connection))
        now = utcnow()
        keys_before = now - timedelta(hours=settings.idempotency_key_ttl_hours)
        tombstones_before = now - timedelta(days=settings.sync_tombstone_days)
        keys = 0
        while (deleted := await repository.prune_keys(keys_before, batch)) > 0:
            keys += deleted
        batches = 0
        while await repository.prune_tombstones(tombstones_before, batch) > 0:
            batches += 1
        outbox = OutboxRepository(repository.session)
        events_before = now - timedelta(days=settings.outbox_retention_days)
        events = 0
        while (deleted := await outbox.prune(events_before, batch)) > 0:
            events += deleted
        # A sent reminder's record outlives its reminder time by the grace (and an hour of
        # clock difference between this machine and the database): it can no longer fire.
        stale = now - timedelta(hours=settings.reminder_grace_hours + 1)
        await ReminderRepository(repository.session).prune_sent(stale)
    return keys, batches, events


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batch", type=int, default=1000, help="rows per statement")
    args = parser.parse_args(argv)
    keys, batches, events = asyncio.run(prune(args.batch))
    print(
        f"pruned {keys} expired idempotency keys, {batches} batches of old tombstones"
        f" and {events} unpublished events past the outbox's retention"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
