"""Users: looked up, provisioned just in time from verified tokens, and deleted."""

import uuid
from typing import Any

from psycopg.errors import UniqueViolation
from sqlalchemy import inspect as sa_inspect

from src.core.errors import ConflictError
from src.db.session import DbSession
from src.models import User
from src.models._common import utcnow
from src.repositories._rows import mark_utc

_EMAIL_TAKEN = "this email address already belongs to another user"
_COLUMNS = ", ".join(sa_inspect(User).columns.keys())
_GET = f"SELECT {_COLUMNS} FROM users WHERE id = %s"
# No conflict target: a concurrent first request of the same user waits for the other's
# insert and then does nothing. (A target of (id) would not do: two inserts of the same user
# collide on the unique email index too, which only the arbiter index is spared.)
_INSERT = """
INSERT INTO users (id, email, created_at, updated_at) VALUES (%(id)s, %(email)s, %(now)s, %(now)s)
ON CONFLICT DO NOTHING
"""
_SET_EMAIL = f"UPDATE users SET email = %s WHERE id = %s RETURNING {_COLUMNS}"

Row = dict[str, Any]


class UserRepository:
    def __init__(self, session: DbSession) -> None:
        self.session = session

    async def get(self, user_id: uuid.UUID) -> Row | None:
        return _in_utc(await self.session.fetch_one(_GET, (user_id,)))

    async def ensure(self, user_id: uuid.UUID, email: str) -> Row:
        """The user's row, created on first sight and kept in step with the token's email.

        Concurrent first requests of one user are safe (INSERT ... ON CONFLICT DO NOTHING).
        When nothing was inserted and no row has this id, the email belongs to another
        user: ConflictError, never a unique-violation 500.
        """
        user = await self.get(user_id)
        if user is None:
            insert = {"id": user_id, "email": email, "now": utcnow()}
            await self.session.execute(_INSERT, insert)
            user = await self.get(user_id)
            if user is None:
                raise ConflictError(_EMAIL_TAKEN)
        if user["email"] != email:
            user = await self._set_email(user_id, email)
        return user

    async def delete(self, user_id: uuid.UUID) -> bool:
        """Delete the user and all their tasks, in one transaction."""
        await self.session.begin()
        await self.session.execute("DELETE FROM tasks WHERE user_id = %s", (user_id,))
        return await self.session.execute("DELETE FROM users WHERE id = %s", (user_id,)) > 0

    async def _set_email(self, user_id: uuid.UUID, email: str) -> Row:
        try:
            # A savepoint (or a transaction of its own): a refused UPDATE must not abort the
            # request's transaction.
            async with self.session.savepoint():
                user = _in_utc(await self.session.fetch_one(_SET_EMAIL, (email, user_id)))
        except UniqueViolation:
            raise ConflictError(_EMAIL_TAKEN) from None
        assert user is not None
        return user


def _in_utc(row: Row | None) -> Row | None:
    return None if row is None else mark_utc(row)
