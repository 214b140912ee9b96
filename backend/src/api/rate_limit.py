"""Per-user rate limits counted in Redis (the `limits` library, fixed one-minute windows),
so that they hold across worker processes and machines.

If Redis fails the API keeps serving (fail open): the failure is logged, and Redis is left
alone for a few seconds so that a dead Redis does not add its timeout to every request.
"""

import logging
import threading
import time
from dataclasses import dataclass

from limits import RateLimitItemPerMinute
from limits.storage import RedisStorage
from limits.strategies import FixedWindowRateLimiter

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
        storage = RedisStorage(
            redis_url,
            socket_timeout=timeout_seconds,
            socket_connect_timeout=timeout_seconds,
            wrap_exceptions=True,
        )
        self._limiter = FixedWindowRateLimiter(storage)
        self._lock = threading.Lock()
        self._skip_until = 0.0

    def check(self, key: str) -> Decision | None:
        """Count one request for `key`; None when Redis could not be asked (fail open)."""
        if time.monotonic() < self._skip_until:
            return None
        try:
            allowed = self._limiter.hit(self._item, key)
            stats = self._limiter.get_window_stats(self._item, key)
        except Exception:  # limits wraps storage errors; any failure means: serve anyway
            with self._lock:
                self._skip_until = time.monotonic() + BACKOFF_SECONDS
            log.warning("rate limiter unavailable, serving without limits", exc_info=True)
            return None
        reset = max(0, int(stats.reset_time - time.time()) + 1)
        return Decision(allowed, self._item.amount, stats.remaining, reset)
