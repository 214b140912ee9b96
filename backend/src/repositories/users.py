"""Users: looked up, provisioned just in time from verified tokens, and deleted."""

import uuid
from typing import Any

from psycopg.errors import UniqueViolation
from sqlalchemy import bindparam, delete
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select, update

from src.core.errors import ConflictError
from src.db.session import DbSession
from src.db.statements import Statement, compile_statement, param
from src.models import IdempotencyKey, Task, User
from src.models._common import utcnow
from src.repositories._rows import mark_utc

_EMAIL_TAKEN = "this email address already belongs to another user"
_THIS_USER = col(User.id) == bindparam("id")
_GET = compile_statement(select(User).where(_THIS_USER))
# No conflict target: a concurrent first request of the same user waits for the other's
# insert and then does nothing. (A target of (id) would not do: two inserts of the same user
# collide on the unique email index too, which only the arbiter index is spared.)
_INSERT = compile_statement(
    insert(User)
    .values(
        id=bindparam("id"),
        email=bindparam("email"),
        created_at=param("created_at", User.created_at),
        updated_at=param("updated_at", User.updated_at),
    )
    .on_conflict_do_nothing()
)
_SET_EMAIL = compile_statement(
    update(User).values(email=param("email", User.email)).where(_THIS_USER).returning(User)
)
# The user, their tasks and their idempotency keys in one statement. One statement, so that
# revision 008's tombstone trigger, which runs at its end, finds the user gone and records no
# deletion (the tombstones would go with the user); the rows that hang off the user (counts,
# tag counts, tombstones) go by ON DELETE CASCADE. The key of this very request, if any, is
# written again with its response before the commit (src/api/idempotency.py).
_GONE_TASKS = delete(Task).where(col(Task.user_id) == bindparam("id")).cte("gone_tasks")
_GONE_KEYS = (
    delete(IdempotencyKey).where(col(IdempotencyKey.user_id) == bindparam("id")).cte("gone_keys")
)
_DELETE = compile_statement(delete(User).where(_THIS_USER).add_cte(_GONE_TASKS).add_cte(_GONE_KEYS))

Row = dict[str, Any]


def all_statements() -> dict[str, Statement]:
    """Every statement this repository runs, by name (tests/db/test_statements.py)."""
    return {
        "get": _GET,
        "insert": _INSERT,
        "set email": _SET_EMAIL,
        "delete": _DELETE,
    }


class UserRepository:
    def __init__(self, session: DbSession) -> None:
        self.session = session

    async def get(self, user_id: uuid.UUID) -> Row | None:
        return _in_utc(await self.session.fetch_one(_GET, {"id": user_id}))

    async def ensure(self, user_id: uuid.UUID, email: str) -> Row:
        """The user's row, created on first sight and kept in step with the token's email.

        Concurrent first requests of one user are safe (INSERT ... ON CONFLICT DO NOTHING).
        When nothing was inserted and no row has this id, the email belongs to another
        user: ConflictError, never a unique-violation 500.
        """
        user = await self.get(user_id)
        if user is None:
            now = utcnow()
            insert = {"id": user_id, "email": email, "created_at": now, "updated_at": now}
            await self.session.execute(_INSERT, insert)
            user = await self.get(user_id)
            if user is None:
                raise ConflictError(_EMAIL_TAKEN)
        if user["email"] != email:
            user = await self._set_email(user_id, email)
        return user

    async def delete(self, user_id: uuid.UUID) -> bool:
        """Delete the user and all their tasks (one statement: atomic)."""
        return await self.session.execute(_DELETE, {"id": user_id}) > 0

    async def _set_email(self, user_id: uuid.UUID, email: str) -> Row:
        try:
            # A savepoint (or a transaction of its own): a refused UPDATE must not abort the
            # request's transaction.
            async with self.session.savepoint():
                changed = await self.session.fetch_one(_SET_EMAIL, {"email": email, "id": user_id})
                user = _in_utc(changed)
        except UniqueViolation:
            raise ConflictError(_EMAIL_TAKEN) from None
        assert user is not None
        return user


def _in_utc(row: Row | None) -> Row | None:
    return None if row is None else mark_utc(row)
