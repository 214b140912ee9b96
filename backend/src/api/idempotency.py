"""The `Idempotency-Key` request header (draft-ietf-httpapi-idempotency-key-header) on the
write routes: a retry with the same key and the same request gets the first response again,
without the work being done twice.

How (docs/api.md, "Retries"; the statements: src/repositories/idempotency.py):
- The key rides on the request's session (`RequestKey`, pending) until a write carries it.
  A task write records it in its own statement, with the row it wrote, in autocommit: one
  round trip, as without a key. A request that opens a transaction (completing a recurring
  task, deleting the user) claims it first instead, and its response is written over the claim
  before the transaction commits (DbSessionMiddleware calls `record`). Either way the change
  and its record commit together or not at all, and an error leaves the key free.
- A retry's write meets the key in its unique index: when the key's request is still
  running, it waits for it (at most IDEMPOTENCY_WAIT_SECONDS, then 409). It then gets the
  first request's row back, and the route renders it as it did the first time; or the stored
  response; or, when the record is of another request (method, path, body), 422. Replays
  carry `Idempotency-Replayed: true`.
- A write that wrote nothing (404, 412) looks the key up before it answers: a retried DELETE
  gets the first 204, not a 404. A request that writes nothing at all (a PATCH without
  fields) records no key.
"""

import contextlib
import hashlib
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import http_sf
from fastapi import Request, Response
from psycopg.errors import LockNotAvailable

from src.core.errors import InvalidFieldError, KeyInUseError
from src.core.settings import Settings
from src.db.session import DbSession, Params, Row
from src.db.statements import Statement
from src.models._common import utcnow
from src.models.idempotency import IDEMPOTENCY_KEY_MAX_LENGTH
from src.repositories.idempotency import IdempotencyRepository, KeyTakenError

HEADER = "Idempotency-Key"
_FIELD = "header.Idempotency-Key"
_STORED_HEADERS = ("content-type", "location", "etag")
_WRITE_METHODS = frozenset(("POST", "PUT", "PATCH", "DELETE"))

# The header in the OpenAPI document of every write route (`openapi_extra`: no runtime cost).
OPENAPI_PARAMETER: dict[str, Any] = {
    "parameters": [
        {
            "name": HEADER,
            "in": "header",
            "required": False,
            "description": (
                'A structured-header string, e.g. `"3f2b..."`, 1-255 characters, unique per '
                "write: a retry with the same key and request gets the first response again "
                "(`Idempotency-Replayed: true`) without the write being repeated. Kept 24 h."
            ),
            # An sf-string: printable ASCII in quotes (backslash escapes \\ and \"), 1-255.
            "schema": {"type": "string", "pattern": r'^"(?:[ !#-\[\]-~]|\\["\\]){1,255}"$'},
        }
    ]
}


class ReplayedResponse(Exception):  # noqa: N818 (a way out of the dependency, not an error)
    """The stored response of the key's first request (src/main.py returns it as it is)."""

    def __init__(self, response: Response) -> None:
        super().__init__("replayed")
        self.response = response


# The common key: a quoted sf-string without escapes or parameters, whose value is what lies
# between the quotes. Matched without the full parser, which costs ten times as much.
_PLAIN_KEY = re.compile(rf'"([ !#-\[\]-~]{{1,{IDEMPOTENCY_KEY_MAX_LENGTH}}})"')


def parse_key(value: str) -> str:
    """The key of an `Idempotency-Key` header: an sf-string (RFC 8941), 1-255 characters."""
    if plain := _PLAIN_KEY.fullmatch(value):
        return plain[1]
    parsed: object = None
    with contextlib.suppress(http_sf.StructuredFieldError, UnicodeEncodeError, ValueError):
        parsed = http_sf.parse(value.encode("latin-1"), tltype="item")
    key = parsed[0] if isinstance(parsed, tuple) and not parsed[1] else None
    if not isinstance(key, str):
        raise InvalidFieldError(
            _FIELD, 'must be a quoted structured-header string, such as "8e03978e-40d5"'
        )
    if not 1 <= len(key) <= IDEMPOTENCY_KEY_MAX_LENGTH:
        raise InvalidFieldError(_FIELD, f"must hold 1 to {IDEMPOTENCY_KEY_MAX_LENGTH} characters")
    return key


@dataclass
class RequestKey:
    """The request's Idempotency-Key: pending on its session (DbSession.idempotency_key)
    until a write records it or a transaction claims it."""

    repository: IdempotencyRepository
    user_id: uuid.UUID
    key: str
    fingerprint: bytes
    settings: Settings
    claimed: bool = False  # in the request's transaction: `record` stores the response
    replayed: bool = False  # the response is the first request's again

    @property
    def _wait_ms(self) -> int:
        return int(self.settings.idempotency_wait_seconds * 1000)

    async def write(self, session: DbSession, statement: Statement, params: Params) -> Row | None:
        """`statement`'s keyed variant: its row, the key recorded with it. A write that met
        the key recorded gets that record's row; one that wrote nothing (a missing task, a
        stale If-Match, a user with no row yet), None, unless the key holds a record."""
        key = (self.user_id, self.key, self.fingerprint)
        for _ in range(2):
            taken = False
            try:
                with _in_progress_is_409():
                    row = await self.repository.write_keyed(
                        statement, params, key, utcnow(), self._wait_ms
                    )
            except KeyTakenError:
                taken = True
            else:
                if row is not None:
                    session.idempotency_key = None
                    return row
            record = await self._current_record()
            if record is not None:
                session.idempotency_key = None
                return await self._replay_row(record)
            if not taken:
                return None  # nothing written, nothing recorded: the key stays pending
            # Taken, then gone (it expired and was forgotten): once more.
        raise KeyInUseError("this Idempotency-Key was just used; retry in a moment")

    async def claim(self, session: DbSession) -> None:
        """Open the session's transaction with the key claimed in it; or raise
        ReplayedResponse with the stored response, or refuse (409, 422)."""
        session.idempotency_key = None
        for _ in range(2):
            with _in_progress_is_409():
                claimed = await self.repository.claim(
                    self.user_id, self.key, self.fingerprint, utcnow(), self._wait_ms
                )
            if claimed:
                self.claimed = True
                return
            record = await self._current_record()
            if record is not None:
                if record["status"] is None:  # a keyed write's row, not a response
                    raise KeyInUseError("this Idempotency-Key's request has no response yet")
                self.replayed = True
                raise ReplayedResponse(_replay(record))
        raise KeyInUseError("this Idempotency-Key was just used; retry in a moment")

    def record(
        self, status: int, headers: list[tuple[bytes, bytes]], body: bytes
    ) -> tuple[Statement, dict[str, Any]]:
        kept = {
            name.decode("latin-1").lower(): value.decode("latin-1")
            for name, value in headers
            if name.decode("latin-1").lower() in _STORED_HEADERS
        }
        return self.repository.record(
            self.user_id, self.key, self.fingerprint, utcnow(), (status, kept, body)
        )

    async def _current_record(self) -> Row | None:
        """The key's record, unless it expired (then forgotten: the key is free again);
        422 when it is another request's."""
        record = await self.repository.get(self.user_id, self.key)
        if record is None:
            return None
        expired_before = utcnow() - timedelta(hours=self.settings.idempotency_key_ttl_hours)
        if record["created_at"] < expired_before:
            await self.repository.forget_expired(self.user_id, self.key, expired_before)
            return None
        if bytes(record["fingerprint"]) != self.fingerprint:
            raise InvalidFieldError(
                _FIELD,
                "this key was used with another request (method, path or body); "
                "use a new key for a new request",
            )
        return record

    async def _replay_row(self, record: Row) -> Row:
        self.replayed = True
        if record["has_snapshot"]:
            row = await self.repository.replay_task(self.user_id, self.key)
            assert row is not None  # the record was read a moment ago, and is not expired
            return row
        if record["status"] is None:  # (a claim is never committed without its response)
            raise KeyInUseError("this Idempotency-Key's request has no response yet")
        raise ReplayedResponse(_replay(record))


@contextlib.contextmanager
def _in_progress_is_409() -> Iterator[None]:
    try:
        yield
    except LockNotAvailable:
        raise KeyInUseError(
            "a request with this Idempotency-Key is still in progress; retry in a moment"
        ) from None


async def claim_key(
    request: Request,
    session: DbSession,
    settings: Settings,
    user_id: uuid.UUID,
    *,
    at_once: bool = False,
) -> None:
    """For a write that carries an Idempotency-Key: the key, pending on the request's session
    for its first write; `at_once` claims it now, in the transaction it opens (a route whose
    statements do not carry keys: DELETE /api/users/me, which provisions the user first).
    Without the header, or for a read, nothing."""
    value = request.headers.get(HEADER)
    if value is None or request.method not in _WRITE_METHODS:
        return
    key = RequestKey(
        IdempotencyRepository(session),
        user_id,
        parse_key(value),
        await _fingerprint(request),
        settings,
    )
    request.scope["state"]["idempotency"] = key
    if at_once:
        await key.claim(session)
    else:
        session.idempotency_key = key


async def _fingerprint(request: Request) -> bytes:
    # The path the router matched (what `request.url.path` gives without building a URL).
    digest = hashlib.sha256(f"{request.method} {request.scope['path']}\n".encode())
    digest.update(await request.body())
    return digest.digest()


def _replay(record: dict[str, Any]) -> Response:
    headers: dict[str, str] = dict(record["headers"] or {})
    media_type = headers.pop("content-type", None)
    return Response(bytes(record["body"] or b""), record["status"], headers, media_type=media_type)
