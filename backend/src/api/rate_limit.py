"""Per-user rate limits counted in Redis (the `limits` library, fixed one-minute windows),
so that they hold across worker processes and machines.

Asynchronous (limits' asyncio storage on redis-py's asyncio client): the check used to run
the synchronous client on a worker thread, and the thread hand-off plus three blocking round
trips cost 730 µs of CPU per request, more than the request itself (docs/performance.md,
"Price list"). Now it is two round trips on the event loop: the window's count (limits'
INCR-and-EXPIRE script), then its time to live.

If Redis fails the API keeps serving (fail open): the failure is logged, and Redis is left
alone for a few seconds so that a dead Redis does not add its timeout to every request.
"""

import asyncio
import logging
import time
import weakref
from dataclasses import dataclass

import redis.asyncio as redis
from limits import RateLimitItemPerMinute
from limits.aio.storage import RedisStorage

log = logging.getLogger(__name__)

BACKOFF_SECONDS = 5.0


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    reset_seconds: int

    def headers(self) -> dict[str, str]:
        return {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset_seconds),
            "RateLimit-Policy": f"{self.limit};w=60",
        }


class RateLimiter:
    def __init__(self, redis_url: str, per_minute: int, timeout_seconds: float = 0.25) -> None:
        self._item = RateLimitItemPerMinute(per_minute)
        self._url = "async+" + redis_url
        self._timeout = timeout_seconds
        # An asyncio client belongs to the loop it first ran on. A worker has one loop; tests
        # may run each request on a loop of its own (Starlette's TestClient outside `with`).
        self._storages: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, tuple[RedisStorage, redis.ConnectionPool]
        ] = weakref.WeakKeyDictionary()
        self._skip_until = 0.0

    def _storage(self) -> RedisStorage:
        loop = asyncio.get_running_loop()
        if loop not in self._storages:
            # Our own pool, so that shutdown can close it (limits' storage has no close).
            pool = redis.ConnectionPool.from_url(
                self._url.removeprefix("async+"),
                socket_timeout=self._timeout,
                socket_connect_timeout=self._timeout,
            )
            storage = RedisStorage(
                self._url,
                implementation="redispy",
                wrap_exceptions=True,
                connection_pool=pool,  # type: ignore[arg-type]  # documented, typed too narrowly
            )
            self._storages[loop] = (storage, pool)
        return self._storages[loop][0]

    async def check(self, key: str) -> Decision | None:
        """Count one request for `key`; None when Redis could not be asked (fail open)."""
        if time.monotonic() < self._skip_until:
            return None
        storage, window = self._storage(), self._item.key_for(key)
        try:
            count = await storage.incr(window, self._item.get_expiry())
            reset_at = await storage.get_expiry(window)
        except Exception:  # limits wraps storage errors; any failure means: serve anyway
            self._skip_until = time.monotonic() + BACKOFF_SECONDS
            log.warning("rate limiter unavailable, serving without limits", exc_info=True)
            return None
        limit = self._item.amount
        reset = max(0, int(reset_at - time.time()) + 1)
        return Decision(count <= limit, limit, max(0, limit - count), reset)

    async def aclose(self) -> None:
        """Close the client of the running loop (at the worker's shutdown)."""
        entry = self._storages.pop(asyncio.get_running_loop(), None)
        if entry is not None:
            await entry[1].aclose()
