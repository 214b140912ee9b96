"""Idempotency keys (src/api/idempotency.py), recorded one of two ways:

- **In the write's own statement** ("keyed writes"): a task write that can carry the key has
  a keyed variant (`keyable`), the write as a data-modifying CTE and the key inserted from its
  RETURNING row, `to_jsonb`. One statement, in autocommit: the change and its record commit
  together, with no round trip of their own. A retry's statement meets the key in the primary
  key's unique index (a unique violation: nothing of it is kept) and gets the recorded row
  back (`replay_task`), which the route renders as it did the first time.
- **Claimed first, the response stored with the COMMIT**, for a request that runs several
  statements in one transaction (completing a task, which may schedule the next occurrence;
  deleting the user): the claim opens the transaction, `record` stores the rendered response.
"""

import uuid
from dataclasses import replace
from datetime import datetime
from typing import Any

from psycopg.errors import UniqueViolation
from psycopg.types.json import Jsonb
from sqlalchemy import (
    Delete,
    Insert,
    Update,
    bindparam,
    func,
    literal_column,
    select,
    true,
)
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, delete

from src.db.session import DbSession, Params
from src.db.statements import Statement, compile_statement, param
from src.models import IdempotencyKey
from src.repositories._rows import task_record

Row = dict[str, Any]
_PRIMARY_KEY = "pk_idempotency_keys"
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
# A key held by a transaction that has not committed makes PostgreSQL wait for that
# transaction to end (the unique index); lock_timeout, set in the same statement for this
# transaction alone, bounds the wait.
_WAIT = select(
    func.set_config(literal_column("'lock_timeout'"), bindparam("wait"), true()).label("set")
).cte("wait")


class KeyTakenError(Exception):
    """A keyed write met its key already recorded (or being recorded): nothing was written."""


# -- keyed writes ------------------------------------------------------------------------------
# The key's values in a keyed write, named apart from the write's own (`created_at`...).
_KEYED_VALUES = {
    "user_id": param("idempotency_user_id", IdempotencyKey.user_id),
    "key": param("idempotency_key", IdempotencyKey.key),
    "fingerprint": param("idempotency_fingerprint", IdempotencyKey.fingerprint),
    "created_at": param("idempotency_created_at", IdempotencyKey.created_at),
}


def keyable(write: Insert | Update | Delete) -> Statement:
    """`write` (a task write returning the row) compiled, with its keyed variant:

        WITH keyed_write AS (<write> RETURNING tasks.*),
             recorded_key AS (INSERT INTO idempotency_keys (..., snapshot)
                              SELECT ..., to_jsonb(keyed_write) FROM keyed_write, wait)
        SELECT keyed_write.* FROM keyed_write

    A write that returns no row (a missing task, a user with no row yet) records nothing."""
    plain = compile_statement(write)
    work = write.cte("keyed_write")
    recorded = (
        insert(IdempotencyKey)
        .from_select(
            [*_KEYED_VALUES, "snapshot"],
            select(*_KEYED_VALUES.values(), func.to_jsonb(work.table_valued()))
            .select_from(work)
            .join(_WAIT, true()),
        )
        .cte("recorded_key")
    )
    keyed = compile_statement(select(work).add_cte(recorded), prepare=plain.prepare)
    return replace(plain, keyed=keyed)


# The recorded row, typed again by PostgreSQL: the same values the write's RETURNING gave.
_RECORDED_TASK = task_record(col(IdempotencyKey.snapshot))
_REPLAY_TASK = compile_statement(
    select(*_RECORDED_TASK.c)
    .select_from(IdempotencyKey)
    .join(_RECORDED_TASK, true())
    .where(*_THIS_KEY)
)

# -- claimed first ------------------------------------------------------------------------------
# The claim: a row for the key, or nothing when one exists.
_CLAIM = compile_statement(
    insert(IdempotencyKey)
    .from_select(
        list(_NEW),
        select(*(param(name, column) for name, column in _NEW.items())).select_from(_WAIT),
    )
    .on_conflict_do_nothing(index_elements=["user_id", "key"])
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

# -- either ------------------------------------------------------------------------------------
_GET = compile_statement(
    select(
        col(IdempotencyKey.fingerprint),
        col(IdempotencyKey.created_at),
        col(IdempotencyKey.status),
        col(IdempotencyKey.headers),
        col(IdempotencyKey.body),
        col(IdempotencyKey.snapshot).is_not(None).label("has_snapshot"),
    ).where(*_THIS_KEY)
)
# An expired key is forgotten, and claimed again.
_FORGET_EXPIRED = compile_statement(
    delete(IdempotencyKey).where(
        *_THIS_KEY, col(IdempotencyKey.created_at) < bindparam("expired_before")
    )
)


def all_statements() -> dict[str, Statement]:
    """Every statement of this repository (tests/db/test_statements.py)."""
    return {
        "idempotency claim": _CLAIM,
        "idempotency get": _GET,
        "idempotency forget expired": _FORGET_EXPIRED,
        "idempotency record": _RECORD,
        "idempotency replay task": _REPLAY_TASK,
    }


class IdempotencyRepository:
    def __init__(self, session: DbSession) -> None:
        self.session = session

    async def write_keyed(
        self,
        write: Statement,
        params: Params,
        key: tuple[uuid.UUID, str, bytes],
        now: datetime,
        wait_ms: int,
    ) -> Row | None:
        """`write`'s keyed variant: its row, recorded with the key; None when it wrote
        nothing. Raises KeyTakenError when the key is recorded already (nothing written), and
        psycopg's LockNotAvailable when another transaction holds it past the wait."""
        assert write.keyed is not None, "not a keyable write"
        user_id, value, fingerprint = key
        keyed_params = {
            **params,
            "idempotency_user_id": user_id,
            "idempotency_key": value,
            "idempotency_fingerprint": fingerprint,
            "idempotency_created_at": now,
            "wait": f"{wait_ms}ms",
        }
        try:
            return await self.session.fetch_one_alone(write.keyed, keyed_params)
        except UniqueViolation as error:
            if error.diag.constraint_name != _PRIMARY_KEY:
                raise
            raise KeyTakenError(value) from None

    async def replay_task(self, user_id: uuid.UUID, key: str) -> Row | None:
        """The task row a keyed write recorded with `key`."""
        return await self.session.fetch_one(_REPLAY_TASK, {"user_id": user_id, "key": key})

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

    async def forget_expired(self, user_id: uuid.UUID, key: str, expired_before: datetime) -> None:
        params = {"user_id": user_id, "key": key, "expired_before": expired_before}
        await self.session.execute(_FORGET_EXPIRED, params)

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
