"""Reads on a standby (DATABASE_READ_URL), without a caller ever missing their own write.

A standby replays the primary's WAL a little late. Lists and reads of tasks and tags go to
it, except when it might not have replayed the caller's own latest write yet. Where each
caller's latest write stands lives in Redis, so that every worker and machine knows it
(GitLab's database load balancing does the same: a WAL position per user, kept in Redis):

1. Before a write, the caller's count of writes in flight goes up. If Redis cannot take it,
   the write is refused with 503 before anything is written.
2. After the write (committed or not: a failed request may have committed part of its work),
   the caller's position becomes the primary's WAL position if that is further (concurrent
   writes of one caller may finish in any order), and the count goes down, in one script,
   both kept for DATABASE_READ_STICKY_SECONDS. If Redis cannot take it, the count stays up
   until then, and reads stay on the primary.
3. A read goes to the standby when the standby has replayed up to that position; with no key
   (no write for the sticky time), when the standby replayed a commit within the sticky time,
   which therefore came after the caller's last write. Otherwise, or when Redis or the
   standby cannot be asked, the read goes to the primary.

Redis keeping nothing on disk is allowed for: the first read finds no `epoch` key (written
once when missing) and sends every read to the primary for the sticky time after it, long
enough for any write recorded only in the lost keys to be older than what rule 3 asks of the
standby. Redis must not evict keys (maxmemory-policy noeviction, docs/ha.md).
"""

import logging
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

import redis.asyncio as redis
from psycopg import Error as DatabaseError
from psycopg_pool import PoolTimeout
from sqlalchemy import BigInteger, DateTime, bindparam, false, func, literal_column, not_, or_
from sqlalchemy.sql.elements import ColumnClause
from sqlmodel import select

from src.core.errors import ServiceUnavailableError
from src.core.metrics import DB_READS
from src.db.pool import Connection, Pool, checkin, checkout
from src.db.statements import compile_statement

if TYPE_CHECKING:  # src/db/session.py imports this module
    from src.db.session import DbSession

log = logging.getLogger(__name__)

EPOCH_KEY = "taskapi:rw:epoch"
REDIS_TIMEOUT_SECONDS = 0.25
# A read waits at most this long for a standby connection, then goes to the primary: a
# standby that is down or saturated costs a read this much, not the pool's timeout.
STANDBY_WAIT_SECONDS = 0.1

_START_OF_WAL: ColumnClause[Any] = literal_column("'0/0'::pg_lsn")

# The primary's WAL position after a commit, in bytes: every commit before it is in the WAL.
WAL_POSITION = compile_statement(
    select(func.pg_wal_lsn_diff(func.pg_current_wal_lsn(), _START_OF_WAL).label("position"))
)

# Whether this server may serve the caller's read: it is not a standby (a primary has every
# commit), or it has replayed the caller's last write position, or, with no position, it
# replayed a commit made after `stale_before`.
CAUGHT_UP = compile_statement(
    select(
        or_(
            not_(func.pg_is_in_recovery()),
            func.coalesce(
                func.pg_wal_lsn_diff(func.pg_last_wal_replay_lsn(), _START_OF_WAL)
                >= bindparam("position", type_=BigInteger),
                func.pg_last_xact_replay_timestamp()
                > bindparam("stale_before", type_=DateTime(timezone=True)),
                false(),
            ),
        ).label("caught_up")
    )
)


# KEYS: the caller's position, their writes in flight; ARGV: the position, the seconds to keep.
_FINISH_WRITE = """
local position = tonumber(ARGV[1])
if position > tonumber(redis.call('GET', KEYS[1]) or '0') then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
elseif position > 0 then
  redis.call('EXPIRE', KEYS[1], ARGV[2])
end
if redis.call('DECR', KEYS[2]) <= 0 then redis.call('DEL', KEYS[2]) end
return 1
"""


@dataclass(frozen=True)
class StandbyRead:
    """A read the standby may serve, if it has replayed `position` (None: a commit made
    after `stale_before`)."""

    pool: Pool
    position: int | None
    stale_before: datetime


class ReadRouter:
    def __init__(self, redis_url: str, standby: Pool, sticky_seconds: float) -> None:
        self.standby = standby
        self.sticky_seconds = sticky_seconds
        self._redis = redis.Redis.from_url(
            redis_url,
            socket_timeout=REDIS_TIMEOUT_SECONDS,
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        )
        self._finish_write = self._redis.register_script(_FINISH_WRITE)

    async def aclose(self) -> None:
        await self._redis.aclose()

    @staticmethod
    def _keys(user_id: uuid.UUID) -> tuple[str, str]:
        """The caller's WAL position, and their count of writes in flight."""
        return f"taskapi:rw:{user_id}", f"taskapi:rw:{user_id}:writing"

    async def before_write(self, user_id: uuid.UUID) -> None:
        _, writing = self._keys(user_id)
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.incr(writing)
                pipe.expire(writing, self._sticky())
                await pipe.execute()
        except redis.RedisError as exc:
            log.warning("read-your-writes store unreachable before a write: %s", type(exc).__name__)
            raise ServiceUnavailableError(
                "the read-your-writes store (Redis) is unreachable; retry shortly"
            ) from None

    async def after_write(self, user_id: uuid.UUID, connection: Connection | None) -> None:
        """Record the primary's WAL position after the caller's write (none when it never
        reached the database), and count the write as finished. A failure leaves the count
        up (reads stay on the primary until it expires): the write may have committed, so it
        must not turn into an error."""
        try:
            position = 0
            if connection is not None:
                cursor = await connection.execute(WAL_POSITION.sql, prepare=WAL_POSITION.prepare)
                row = await cursor.fetchone()
                assert row is not None
                position = int(row["position"])
            await self.finish_write(user_id, position)
        except (DatabaseError, redis.RedisError) as exc:
            log.warning("write position not recorded: %s", type(exc).__name__)

    async def finish_write(self, user_id: uuid.UUID, position: int) -> None:
        """The caller's position moves forward to `position` (0: the write wrote nothing),
        and their count of writes in flight down, at once."""
        await self._finish_write(keys=self._keys(user_id), args=[position, self._sticky()])

    async def plan_read(self, user_id: uuid.UUID) -> StandbyRead | None:
        """Where the caller's read may go: the standby (if it has caught up), or None for
        the primary."""
        now = time.time()
        try:
            position, writing, epoch = await self._redis.mget(*self._keys(user_id), EPOCH_KEY)
            if epoch is None:
                await self._redis.set(EPOCH_KEY, now, nx=True)
                return None
        except redis.RedisError as exc:
            log.warning("read-your-writes store unreachable before a read: %s", type(exc).__name__)
            return None
        if now - float(epoch) < self.sticky_seconds or int(writing or 0) > 0:
            return None
        stale_before = datetime.now(UTC) - timedelta(seconds=self.sticky_seconds)
        return StandbyRead(self.standby, None if position is None else int(position), stale_before)

    def _sticky(self) -> int:
        return max(1, round(self.sticky_seconds))


async def standby_connection(read: StandbyRead) -> Connection | None:
    """A standby connection that may serve the read, or None (use the primary): the standby
    has not replayed far enough, or cannot be reached."""
    try:
        connection = await checkout(read.pool, STANDBY_WAIT_SECONDS)
    except (DatabaseError, PoolTimeout, ConnectionError) as exc:
        log.warning("standby unreachable, reading from the primary: %s", type(exc).__name__)
        DB_READS.labels("primary").inc()
        return None
    try:
        params = {"position": read.position, "stale_before": read.stale_before}
        cursor = await connection.execute(CAUGHT_UP.sql, params, prepare=CAUGHT_UP.prepare)
        row = await cursor.fetchone()
    except DatabaseError as exc:
        log.warning("standby failed, reading from the primary: %s", type(exc).__name__)
        row = None
    if row is None or not row["caught_up"]:
        await checkin(read.pool, connection)
        DB_READS.labels("primary").inc()
        return None
    DB_READS.labels("standby").inc()
    return connection


async def route_session(
    session: "DbSession", router: ReadRouter, user_id: uuid.UUID, *, writes: bool
) -> None:
    """Before a request's (or tool call's) first statement: a write marks the caller and
    records its position after the commit; a read goes to the standby when it may."""
    if writes:
        await router.before_write(user_id)
        session.on_finish(partial(router.after_write, user_id))
        return
    read = await router.plan_read(user_id)
    if read is None:
        DB_READS.labels("primary").inc()
    else:
        session.read_from(read)
