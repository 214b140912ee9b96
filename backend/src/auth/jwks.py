"""A thread-safe cache of an issuer's public signing keys (its JWKS).

PyJWT's `PyJWKClient` does the HTTP fetch and the JWK parsing; this class decides *when* to
fetch, because the policy matters for availability and for the issuer's load:

- keys are served from memory for `cache_seconds` after a successful fetch;
- a `kid` we do not know (key rotation, or a forged token) triggers a refetch, but fetches
  are at most one per `min_refresh_seconds`, so a flood of made-up key ids costs the issuer
  at most one request per interval;
- fetches happen under a lock and callers re-check after taking it, so N concurrent requests
  carrying a freshly rotated kid cause exactly one fetch and then all find the key;
- a failed fetch keeps the previous keys (a brief outage of the issuer does not log everybody
  out) and is reported as `JwksUnavailableError` only when no usable key is known.
"""

import http.client
import threading
import time
from collections.abc import Callable

from jwt import PyJWK, PyJWKClient, PyJWTError

FETCH_TIMEOUT_SECONDS = 5.0
# urllib's default "Python-urllib/x.y" agent is refused by some CDNs in front of issuers.
USER_AGENT = "task-api-jwks-client"


class JwksUnavailableError(Exception):
    """The key set could not be fetched (network error, HTTP error, not a JWKS)."""


class JwksCache:
    def __init__(
        self,
        url: str,
        *,
        cache_seconds: float,
        min_refresh_seconds: float,
        timeout_seconds: float = FETCH_TIMEOUT_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        try:
            # PyJWKClient's own caches are off: their policy is the one defined above.
            self._client = PyJWKClient(
                url,
                cache_jwk_set=False,
                timeout=timeout_seconds,
                headers={"User-Agent": USER_AGENT},
            )
        except PyJWTError as error:
            raise ValueError(f"JWT_JWKS_URL is not usable: {error}") from None
        self._cache_seconds = cache_seconds
        self._min_refresh_seconds = min_refresh_seconds
        self._clock = clock
        self._lock = threading.Lock()
        # Replaced as a whole (never mutated), so the lock-free read in `get` sees a
        # consistent pair.
        self._snapshot: tuple[dict[str, PyJWK], float | None] = ({}, None)
        self._last_attempt: float | None = None
        self._last_attempt_failed = False

    def get(self, kid: str) -> PyJWK | None:
        """The published key with this `kid`, or None if the issuer does not publish it.

        Raises JwksUnavailableError when the keys cannot be fetched and none is known.
        """
        key = self._fresh_key(kid)
        if key is not None:
            return key
        with self._lock:
            # Another thread may have fetched while we waited for the lock.
            key = self._fresh_key(kid)
            if key is not None:
                return key
            if self._may_fetch():
                self._fetch()
            keys, _ = self._snapshot
            key = keys.get(kid)
            if key is None and self._last_attempt_failed:
                raise JwksUnavailableError
            return key

    def _fresh_key(self, kid: str) -> PyJWK | None:
        keys, fetched_at = self._snapshot
        if fetched_at is None or self._clock() - fetched_at >= self._cache_seconds:
            return None
        return keys.get(kid)

    def _may_fetch(self) -> bool:
        last = self._last_attempt
        return last is None or self._clock() - last >= self._min_refresh_seconds

    def _fetch(self) -> None:
        self._last_attempt = self._clock()
        try:
            # PyJWKClient wraps URL errors, but a body that is not JSON (ValueError) or a
            # connection reset while reading (OSError) escape it unwrapped.
            signing_keys = self._client.get_signing_keys()
        except (PyJWTError, OSError, ValueError, http.client.HTTPException):
            self._last_attempt_failed = True
            return
        self._last_attempt_failed = False
        keys = {key.key_id: key for key in signing_keys if key.key_id is not None}
        self._snapshot = (keys, self._clock())
