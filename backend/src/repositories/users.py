"""Users: looked up, provisioned just in time from verified tokens, and deleted."""

import uuid

from sqlalchemy import Executable, delete
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from src.errors import ConflictError
from src.models import Task, User
from src.models._common import utcnow

_EMAIL_TAKEN = "this email address already belongs to another user"


class UserRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, user_id: uuid.UUID) -> User | None:
        return self.session.get(User, user_id)

    def ensure(self, user_id: uuid.UUID, email: str) -> User:
        """The user's row, created on first sight and kept in step with the token's email.

        Concurrent first requests of one user are safe: INSERT ... ON CONFLICT (id) DO NOTHING
        makes the later ones wait for the first and then find its row. An email owned by
        another user id is a ConflictError, never a unique-violation 500.
        """
        user = self.session.get(User, user_id)
        if user is None:
            now = utcnow()
            stmt = (
                insert(User)
                .values(id=user_id, email=email, created_at=now, updated_at=now)
                .on_conflict_do_nothing(index_elements=["id"])
            )
            self._write(stmt)
            user = self.session.get(User, user_id, populate_existing=True)
            assert user is not None  # inserted above, or by a concurrent request that committed
        if user.email != email:
            user.email = email
            self._write(None)
            self.session.refresh(user)  # updated_at was moved by the database
        return user

    def delete(self, user_id: uuid.UUID) -> bool:
        """Delete the user and all their tasks (the caller's transaction makes it atomic)."""
        self.session.execute(delete(Task).where(Task.user_id == user_id))  # type: ignore[arg-type]
        result = self.session.execute(delete(User).where(User.id == user_id))  # type: ignore[arg-type]
        self.session.expunge_all()
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def _write(self, stmt: Executable | None) -> None:
        try:
            if stmt is not None:
                self.session.execute(stmt)
            self.session.flush()
        except IntegrityError as exc:
            if "ix_users_email" in str(exc.orig):
                raise ConflictError(_EMAIL_TAKEN) from None
            raise
