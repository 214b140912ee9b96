"""Users: looked up, provisioned just in time from verified tokens, and deleted."""

import uuid

from sqlalchemy import delete
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

        Concurrent first requests of one user are safe: INSERT ... ON CONFLICT DO NOTHING,
        with no conflict target, makes the later ones wait for the first and then find its
        row. (A target of (id) would not do: two inserts of the same user collide on the
        unique email index too, which only the arbiter index is spared.) When nothing was
        inserted and no row has this id, the email belongs to another user: ConflictError,
        never a unique-violation 500.
        """
        user = self.session.get(User, user_id)
        if user is None:
            now = utcnow()
            stmt = (
                insert(User)
                .values(id=user_id, email=email, created_at=now, updated_at=now)
                .on_conflict_do_nothing()
            )
            self.session.execute(stmt)
            user = self.session.get(User, user_id, populate_existing=True)
            if user is None:
                raise ConflictError(_EMAIL_TAKEN)
        if user.email != email:
            user.email = email
            self._flush_email_change()
            self.session.refresh(user)  # updated_at was moved by the database
        return user

    def delete(self, user_id: uuid.UUID) -> bool:
        """Delete the user and all their tasks (the caller's transaction makes it atomic)."""
        self.session.execute(delete(Task).where(Task.user_id == user_id))  # type: ignore[arg-type]
        result = self.session.execute(delete(User).where(User.id == user_id))  # type: ignore[arg-type]
        self.session.expunge_all()
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def _flush_email_change(self) -> None:
        try:
            self.session.flush()
        except IntegrityError as exc:
            if "ix_users_email" in str(exc.orig):
                raise ConflictError(_EMAIL_TAKEN) from None
            raise
