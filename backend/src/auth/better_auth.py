"""Better Auth's opaque session tokens: who is calling, according to Better Auth itself.

Frontends that use Better Auth's bearer plugin (or read `session.token`) send the session
token instead of a JWT. It carries nothing we can verify locally, so it is resolved through
Better Auth's own endpoint, `GET {BETTER_AUTH_URL}/api/auth/get-session` with the token as
bearer, and its user is mapped exactly as a JWT's `sub` and `email` are (`claims_for`): the
same person is the same user whichever kind of token their frontend sends.

- A resolved session is remembered per process for at most `cache_seconds` (60 s at most)
  and never past the session's `expiresAt`: a frontend sends the same token on every call,
  and Better Auth is not asked each time. A sign-out therefore takes up to that long to
  reach this API; nothing else depends on the memory (a token missing here is resolved
  again). Entries are keyed by the token's SHA-256, so the token itself is never kept.
- Unknown or expired session: InvalidTokenError (401). That answer is remembered too, for
  UNKNOWN_CACHE_SECONDS, so a client repeating a dead token does not ask Better Auth each time.
- Better Auth unreachable, timing out, answering 5xx, or refusing with 429 (its own rate
  limiter, which counts every lookup of this API against one IP: docs/frontend.md says how to
  exempt /get-session): SessionsUnavailableError (503, with Better Auth's Retry-After when it
  gives one): the token may be fine, we cannot tell.
"""

import asyncio
import hashlib
import re
import time
from datetime import UTC, datetime
from typing import Any

import httpx

from src.auth.tokens import MAX_TOKEN_CHARS, Claims, InvalidTokenError, claims_for

SESSION_PATH = "/api/auth/get-session"
FETCH_TIMEOUT_SECONDS = 5.0
MAX_CACHE_SECONDS = 60.0
UNKNOWN_CACHE_SECONDS = 30.0
CACHE_SIZE = 4096
DEFAULT_RETRY_SECONDS = 5
# Better Auth's tokens are alphanumeric; the bearer plugin's signed form adds '.', a
# base64url signature, and may arrive URL-encoded. Anything else is not one of them.
_SESSION_TOKEN = re.compile(r"[A-Za-z0-9._~+/%=-]+")


class SessionsUnavailableError(InvalidTokenError):
    """Better Auth could not be asked (network error, timeout, 5xx or 429, not its answer)."""

    def __init__(self, retry_after_seconds: int = DEFAULT_RETRY_SECONDS) -> None:
        super().__init__("the session service (Better Auth) is unavailable")
        self.retry_after_seconds = retry_after_seconds


_UNKNOWN = "session unknown or expired"


class UnknownSessionError(InvalidTokenError):
    """Better Auth knows no live session for the token."""


def looks_like_jwt(token: str) -> bool:
    """A JWS in compact form has exactly three dot-separated parts; a session token fewer."""
    return token.count(".") == 2


class SessionResolver:
    def __init__(
        self,
        better_auth_url: str,
        *,
        issuer: str,
        cache_seconds: float = MAX_CACHE_SECONDS,
        timeout_seconds: float = FETCH_TIMEOUT_SECONDS,
    ) -> None:
        self._url = better_auth_url.rstrip("/") + SESSION_PATH
        self._issuer = issuer
        self._cache_seconds = min(cache_seconds, MAX_CACHE_SECONDS)
        self._timeout = httpx.Timeout(timeout_seconds)
        # sha256(token) -> (claims, or None for an unknown session; monotonic deadline)
        self._resolved: dict[bytes, tuple[Claims | None, float]] = {}
        # Made on the event loop that first needs it (an httpx client belongs to one loop).
        self._client: httpx.AsyncClient | None = None
        self._client_loop: asyncio.AbstractEventLoop | None = None

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def resolve(self, token: str) -> Claims:
        """The session's user as Claims; InvalidTokenError or SessionsUnavailableError."""
        if len(token) > MAX_TOKEN_CHARS:
            raise InvalidTokenError("token too large")
        if not _SESSION_TOKEN.fullmatch(token):
            raise InvalidTokenError("malformed token")
        key = hashlib.sha256(token.encode()).digest()
        entry = self._resolved.get(key)
        if entry is not None:
            if time.monotonic() < entry[1]:
                if entry[0] is None:
                    raise InvalidTokenError(_UNKNOWN)
                return entry[0]
            self._resolved.pop(key, None)
        try:
            claims, expires_at = await self._ask(token)
        except UnknownSessionError:
            self._remember(key, None, UNKNOWN_CACHE_SECONDS)
            raise
        self._remember(key, claims, min(expires_at - time.time(), self._cache_seconds))
        return claims

    def _remember(self, key: bytes, claims: Claims | None, seconds: float) -> None:
        if seconds <= 0:
            return
        if len(self._resolved) >= CACHE_SIZE:
            self._resolved.clear()  # simpler than LRU; refilled by the next requests
        self._resolved[key] = (claims, time.monotonic() + seconds)

    async def _ask(self, token: str) -> tuple[Claims, float]:
        loop = asyncio.get_running_loop()
        if self._client is None or self._client_loop is not loop:
            self._client = httpx.AsyncClient(timeout=self._timeout, follow_redirects=False)
            self._client_loop = loop
        try:
            response = await self._client.get(
                self._url,
                headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            )
        except httpx.HTTPError:
            raise SessionsUnavailableError from None
        if response.status_code in (401, 403, 404):
            raise UnknownSessionError(_UNKNOWN)
        if response.status_code == 429:
            raise SessionsUnavailableError(_retry_after(response))
        if response.status_code != 200:
            raise SessionsUnavailableError
        try:
            body = response.json()
        except ValueError:
            raise SessionsUnavailableError from None
        if body is None:  # Better Auth's answer for a token that names no live session
            raise UnknownSessionError(_UNKNOWN)
        return self._claims_from(body)

    def _claims_from(self, body: Any) -> tuple[Claims, float]:
        try:
            session, user = body["session"], body["user"]
            expires_at = _timestamp(session["expiresAt"])
            subject, email = user["id"], user.get("email")
        except (KeyError, TypeError, ValueError):
            raise SessionsUnavailableError from None  # not Better Auth's answer
        if expires_at <= time.time():
            raise UnknownSessionError(_UNKNOWN)
        if not isinstance(subject, str):
            raise InvalidTokenError("session user invalid")
        return claims_for(subject, email, self._issuer), expires_at


def _retry_after(response: httpx.Response) -> int:
    """Better Auth's X-Retry-After (seconds), or Retry-After, or a default; at most an hour."""
    for name in ("x-retry-after", "retry-after"):
        value = response.headers.get(name, "")
        if value.isdigit():
            return max(1, min(int(value), 3600))
    return DEFAULT_RETRY_SECONDS


def _timestamp(value: Any) -> float:
    """Better Auth serialises dates as ISO 8601 strings with `Z`."""
    if not isinstance(value, str):
        raise ValueError(value)
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()
