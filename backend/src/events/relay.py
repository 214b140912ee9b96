"""The relay: publishes the outbox (revision 011) to the broker, oldest first, and deletes
what the broker acknowledged (docs/events.md).

Before each batch, the reminders that came due join the outbox, each once
(src/repositories/reminders.py). Then one batch is one transaction on the relay's own
connection:
1. `pg_try_advisory_xact_lock`: of several relays, one publishes at a time (the others wait
   for the next poll), so no event is published twice concurrently and a user's events go
   out in the order they committed in;
2. the oldest events, by id;
3. each published in turn, its acknowledgement awaited; the first failure ends the batch;
4. the acknowledged ones deleted, and COMMIT.

A relay that dies anywhere in this leaves its events in the outbox (its transaction never
committed); the next batch publishes them again with the same ids, which JetStream drops
within its duplicate window: delivery is at least once, and de-duplicated by id.
"""

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import timedelta

import psycopg
from nats.errors import Error as NatsError
from psycopg.rows import dict_row

from src.core.settings import Settings
from src.db.session import DbSession, session_scope
from src.events.cloudevents import cloud_event, encode, subject_of
from src.events.publisher import JetStreamPublisher, Publisher
from src.repositories.outbox import OutboxRepository
from src.repositories.reminders import ReminderRepository

logger = logging.getLogger("task_api.relay")

# A publication that failed: the broker unreachable, or no acknowledgement in time.
BROKER_ERRORS = (NatsError, OSError, TimeoutError)
# Waits after a failure (the broker or the database unreachable), doubling up to the last.
_BACKOFF = (0.1, 0.2, 0.5, 1.0, 2.0)


@dataclass
class RelayStats:
    published: int = 0
    duplicates: int = 0  # republished events the broker already had (dropped by id)
    batches: int = 0
    failures: int = 0


class Relay:
    def __init__(self, settings: Settings, conninfo: str) -> None:
        self.settings = settings
        self.conninfo = conninfo
        self.stats = RelayStats()
        self._publisher: Publisher | None = None
        self._connection: psycopg.AsyncConnection[dict[str, object]] | None = None

    async def run(self, stop: asyncio.Event) -> RelayStats:
        """Publish until `stop` is set, through broker and database outages."""
        failures = 0
        try:
            while not stop.is_set():
                try:
                    published = await self.relay_batch()
                    failures = 0
                except (psycopg.Error, *BROKER_ERRORS) as error:
                    await self._on_failure(error)
                    wait = _BACKOFF[min(failures, len(_BACKOFF) - 1)]
                    failures += 1
                    await _wait(stop, wait)
                    continue
                if published < self.settings.relay_batch_size:
                    await _wait(stop, self.settings.relay_poll_seconds)
        finally:
            await self.close()
        return self.stats

    async def relay_batch(self) -> int:
        """One batch: how many events were published (0: none waiting, or another relay
        holds the lock)."""
        publisher = await self._publisher_connected()
        connection = await self._database()
        # Reminders that came due join the outbox first (each once: see ReminderRepository).
        await ReminderRepository(DbSession(connection=connection)).queue_due(
            timedelta(hours=self.settings.reminder_grace_hours), self.settings.relay_batch_size
        )
        published: list[int] = []
        failure: Exception | None = None
        async with session_scope(DbSession(connection=connection)) as session:
            outbox = OutboxRepository(session)
            await session.begin()
            if not await outbox.lead():
                return 0
            for row in await outbox.oldest(self.settings.relay_batch_size):
                event = cloud_event(row, self.settings.events_source)
                try:
                    duplicate = await publisher.publish(
                        subject_of(row), str(row["event_id"]), encode(event)
                    )
                except BROKER_ERRORS as error:
                    failure = error  # the rest waits for the next batch, in order
                    break
                published.append(row["outbox_id"])
                self.stats.duplicates += duplicate
            # What the broker acknowledged leaves the outbox, even when a later event of the
            # batch failed: the next batch starts after it.
            if published:
                await outbox.delete(published)
        self.stats.published += len(published)
        self.stats.batches += 1
        if failure is not None:
            raise failure
        return len(published)

    async def _publisher_connected(self) -> Publisher:
        if self._publisher is None:
            self._publisher = await JetStreamPublisher.connect(
                self.settings.nats_url,
                self.settings.events_stream,
                self.settings.events_duplicate_window_seconds,
                self.settings.relay_publish_timeout_seconds,
            )
        return self._publisher

    async def _database(self) -> psycopg.AsyncConnection[dict[str, object]]:
        if self._connection is None or self._connection.closed:
            self._connection = await psycopg.AsyncConnection.connect(
                self.conninfo,
                autocommit=True,
                row_factory=dict_row,
                # As the API's pool connects (src/db/pool.py): its name in pg_stat_activity,
                # text as str, and prepared statements only where the pooler allows them.
                application_name=f"{self.settings.db_application_name}-relay",
                client_encoding="utf8",
                connect_timeout=self.settings.db_connect_timeout_seconds,
                prepare_threshold=5 if self.settings.db_prepared_statements else None,
            )
        return self._connection

    async def _on_failure(self, error: BaseException) -> None:
        self.stats.failures += 1
        logger.warning("relay batch failed, retrying: %s: %s", type(error).__name__, error)
        if isinstance(error, psycopg.Error) and self._connection is not None:
            await self._connection.close()
            self._connection = None

    async def close(self) -> None:
        if self._publisher is not None:
            await self._publisher.close()
            self._publisher = None
        if self._connection is not None:
            await self._connection.close()
            self._connection = None


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
