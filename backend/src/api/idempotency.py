"""The `Idempotency-Key` request header (draft-ietf-httpapi-idempotency-key-header) on the
write routes: a retry with the same key and the same request gets the first response again,
without the work being done twice.

How (docs/api.md, "Retries"):
- The key is claimed in the request's transaction, before the work: a row in
  idempotency_keys, keyed by the caller and the key. A concurrent request with the same key
  waits for that transaction (PostgreSQL's unique index), at most IDEMPOTENCY_WAIT_SECONDS
  (then 409, still in progress).
- A successful response (status below 400) is written over the claim before the transaction
  commits (DbSessionMiddleware calls `record`), so the change and its stored response commit
  together or not at all. An error response rolls both back: the key stays free, and a retry
  runs again.
- The waiting request then finds the committed record and replays it (same status, body,
  Location and ETag, plus `Idempotency-Replayed: true`), or refuses a record of another
  request (method, path, body) with 422.
"""

import contextlib
import hashlib
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import http_sf
from fastapi import Request, Response
from psycopg.errors import LockNotAvailable

from src.core.errors import InvalidFieldError, KeyInUseError
from src.core.settings import Settings
from src.db.session import DbSession
from src.db.statements import Statement
from src.models._common import utcnow
from src.models.idempotency import IDEMPOTENCY_KEY_MAX_LENGTH
from src.repositories.idempotency import IdempotencyRepository

HEADER = "Idempotency-Key"
_FIELD = "header.Idempotency-Key"
REPLAYED = "Idempotency-Replayed"
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


def parse_key(value: str) -> str:
    """The key of an `Idempotency-Key` header: an sf-string (RFC 8941), 1-255 characters."""
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


@dataclass(frozen=True)
class Claim:
    """A key this request holds: `record` stores its response (DbSessionMiddleware)."""

    repository: IdempotencyRepository
    user_id: uuid.UUID
    key: str
    fingerprint: bytes

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


async def claim_key(
    request: Request, session: DbSession, settings: Settings, user_id: uuid.UUID
) -> None:
    """For a write that carries an Idempotency-Key: claim it (the request's transaction
    begins), or raise ReplayedResponse with the first response, or refuse (409, 422).
    Without the header, or for a read, nothing."""
    value = request.headers.get(HEADER)
    if value is None or request.method not in _WRITE_METHODS:
        return
    key = parse_key(value)
    fingerprint = await _fingerprint(request)
    repository = IdempotencyRepository(session)
    now = utcnow()
    wait_ms = int(settings.idempotency_wait_seconds * 1000)
    try:
        claimed = await repository.claim(user_id, key, fingerprint, now, wait_ms)
    except LockNotAvailable:
        raise KeyInUseError(
            "a request with this Idempotency-Key is still in progress; retry in a moment"
        ) from None
    if not claimed:
        record = await repository.get(user_id, key)
        expired_before = now - timedelta(hours=settings.idempotency_key_ttl_hours)
        if record is None or record["created_at"] < expired_before:
            claimed = await repository.reclaim_expired(
                user_id, key, fingerprint, now, expired_before
            ) or await repository.claim(user_id, key, fingerprint, now, wait_ms)
            if not claimed:  # taken again meanwhile: the client's retry will meet it
                raise KeyInUseError("this Idempotency-Key was just used; retry in a moment")
        elif bytes(record["fingerprint"]) != fingerprint:
            raise InvalidFieldError(
                _FIELD,
                "this key was used with another request (method, path or body); "
                "use a new key for a new request",
            )
        elif record["status"] is None:  # (never committed so: see the module's docstring)
            raise KeyInUseError("this Idempotency-Key's request has no response yet")
        else:
            raise ReplayedResponse(_replay(record))
    request.scope["state"]["idempotency"] = Claim(repository, user_id, key, fingerprint)


async def _fingerprint(request: Request) -> bytes:
    digest = hashlib.sha256(f"{request.method} {request.url.path}\n".encode())
    digest.update(await request.body())
    return digest.digest()


def _replay(record: dict[str, Any]) -> Response:
    headers: dict[str, str] = dict(record["headers"] or {})
    media_type = headers.pop("content-type", None)
    headers[REPLAYED] = "true"
    return Response(bytes(record["body"] or b""), record["status"], headers, media_type=media_type)
