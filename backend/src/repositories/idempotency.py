"""Idempotency keys: claimed in the request's transaction before the work, completed with the
response before it commits (src/api/idempotency.py)."""

import uuid
from datetime import datetime
from typing import Any

from psycopg.types.json import Jsonb
from sqlalchemy import bindparam, func, literal_column, null, select, true
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, update

from src.db.session import DbSession
from src.db.statements import Statement, compile_statement, param
from src.models import IdempotencyKey

Row = dict[str, Any]
_THIS_KEY = (
    col(IdempotencyKey.user_id) == bindparam("user_id"),
    col(IdempotencyKey.key) == bindparam("key"),
)
_NEW = {
    "user_id": IdempotencyKey.user_id,
    "key": IdempotencyKey.key,
    "fingerprint": IdempotencyKey.fingerprint,
    "created_at": IdempotencyKey.created_at,
}
# The claim: a row for the key, or nothing when one exists. Against a claim another
# transaction holds and has not committed, PostgreSQL waits for that transaction to end;
# lock_timeout (set in the same statement, for this transaction) bounds the wait.
_WAIT = select(
    func.set_config(literal_column("'lock_timeout'"), bindparam("wait"), true()).label("set")
).cte("wait")
_CLAIM = compile_statement(
    insert(IdempotencyKey)
    .from_select(
        list(_NEW),
        select(*(param(name, column) for name, column in _NEW.items())).select_from(_WAIT),
    )
    .on_conflict_do_nothing(index_elements=["user_id", "key"])
    .returning(col(IdempotencyKey.created_at))
)
_GET = compile_statement(select(IdempotencyKey).where(*_THIS_KEY))
# An expired key is claimed again (its old response is forgotten).
_RECLAIM = compile_statement(
    update(IdempotencyKey)
    .values(
        fingerprint=param("fingerprint", IdempotencyKey.fingerprint),
        created_at=param("created_at", IdempotencyKey.created_at),
        status=null(),
        headers=null(),
        body=null(),
    )
    .where(*_THIS_KEY, col(IdempotencyKey.created_at) < bindparam("expired_before"))
    .returning(col(IdempotencyKey.created_at))
)
_RESPONSE = {
    "status": IdempotencyKey.status,
    "headers": IdempotencyKey.headers,
    "body": IdempotencyKey.body,
}
# The response, written over the claim; an upsert, because DELETE /api/users/me deletes the
# user's keys, its own claim included, in the same transaction.
_insert_record = insert(IdempotencyKey).values(
    {name: param(name, column) for name, column in {**_NEW, **_RESPONSE}.items()}
)
_RECORD = compile_statement(
    _insert_record.on_conflict_do_update(
        index_elements=["user_id", "key"],
        set_={name: _insert_record.excluded[name] for name in _RESPONSE},
    )
)


def all_statements() -> dict[str, Statement]:
    """Every statement of this repository (tests/db/test_statements.py)."""
    return {
        "idempotency claim": _CLAIM,
        "idempotency get": _GET,
        "idempotency reclaim": _RECLAIM,
        "idempotency record": _RECORD,
    }


class IdempotencyRepository:
    def __init__(self, session: DbSession) -> None:
        self.session = session

    async def claim(
        self,
        user_id: uuid.UUID,
        key: str,
        fingerprint: bytes,
        now: datetime,
        wait_ms: int,
    ) -> bool:
        """Open the request's transaction and claim the key in it (one round trip); False
        when a committed record holds it. Raises psycopg's LockNotAvailable when another
        transaction's claim outlasts the wait."""
        params = {
            "user_id": user_id,
            "key": key,
            "fingerprint": fingerprint,
            "created_at": now,
            "wait": f"{wait_ms}ms",
        }
        return await self.session.begin_with(_CLAIM, params) is not None

    async def get(self, user_id: uuid.UUID, key: str) -> Row | None:
        return await self.session.fetch_one(_GET, {"user_id": user_id, "key": key})

    async def reclaim_expired(
        self,
        user_id: uuid.UUID,
        key: str,
        fingerprint: bytes,
        now: datetime,
        expired_before: datetime,
    ) -> bool:
        params = {
            "user_id": user_id,
            "key": key,
            "fingerprint": fingerprint,
            "created_at": now,
            "expired_before": expired_before,
        }
        return await self.session.fetch_one(_RECLAIM, params) is not None

    def record(
        self,
        user_id: uuid.UUID,
        key: str,
        fingerprint: bytes,
        now: datetime,
        response: tuple[int, dict[str, str], bytes],
    ) -> tuple[Statement, dict[str, Any]]:
        """The statement that stores the response over the claim: the session runs it with
        its COMMIT (DbSession.finish)."""
        status, headers, body = response
        params = {
            "user_id": user_id,
            "key": key,
            "fingerprint": fingerprint,
            "created_at": now,
            "status": status,
            "headers": Jsonb(headers),
            "body": body,
        }
        return _RECORD, params
