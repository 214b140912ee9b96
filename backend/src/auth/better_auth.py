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
- Unknown or expired session: InvalidTokenError (401). Better Auth unreachable, timing out
  or answering 5xx: SessionsUnavailableError (503): the token may be fine, we cannot tell.
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
CACHE_SIZE = 4096
# Better Auth's tokens are alphanumeric; the bearer plugin's signed form adds '.', a
# base64url signature, and may arrive URL-encoded. Anything else is not one of them.
_SESSION_TOKEN = re.compile(r"[A-Za-z0-9._~+/%=-]+")


class SessionsUnavailableError(InvalidTokenError):
    """Better Auth could not be asked (network error, timeout, 5xx, not its answer)."""

    def __init__(self) -> None:
        super().__init__("the session service (Better Auth) is unavailable")


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
        # sha256(token) -> (claims, monotonic deadline)
        self._resolved: dict[bytes, tuple[Claims, float]] = {}
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
                return entry[0]
            self._resolved.pop(key, None)
        claims, expires_at = await self._ask(token)
        seconds_left = expires_at - time.time()
        if seconds_left > 0:
            if len(self._resolved) >= CACHE_SIZE:
                self._resolved.clear()  # simpler than LRU; refilled by the next requests
            deadline = time.monotonic() + min(seconds_left, self._cache_seconds)
            self._resolved[key] = (claims, deadline)
        return claims

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
            raise InvalidTokenError("session unknown or expired")
        if response.status_code != 200:
            raise SessionsUnavailableError
        try:
            body = response.json()
        except ValueError:
            raise SessionsUnavailableError from None
        if body is None:  # Better Auth's answer for a token that names no live session
            raise InvalidTokenError("session unknown or expired")
        return self._claims_from(body)

    def _claims_from(self, body: Any) -> tuple[Claims, float]:
        try:
            session, user = body["session"], body["user"]
            expires_at = _timestamp(session["expiresAt"])
            subject, email = user["id"], user.get("email")
        except (KeyError, TypeError, ValueError):
            raise SessionsUnavailableError from None  # not Better Auth's answer
        if expires_at <= time.time():
            raise InvalidTokenError("session unknown or expired")
        if not isinstance(subject, str):
            raise InvalidTokenError("session user invalid")
        return claims_for(subject, email, self._issuer), expires_at


def _timestamp(value: Any) -> float:
    """Better Auth serialises dates as ISO 8601 strings with `Z`."""
    if not isinstance(value, str):
        raise ValueError(value)
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()
