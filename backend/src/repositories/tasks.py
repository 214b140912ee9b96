"""Tasks, always scoped to their owner: another user's task is indistinguishable from none."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, delete, func, not_, or_, select, tuple_, update
from sqlmodel import Session, col

from src.errors import NotFoundError, PreconditionFailedError
from src.models import Task, TaskCreate
from src.models._common import utcnow
from src.pagination import Position, sort_column

_STALE = "the task changed since the version in If-Match; fetch it again"
_MISSING = "no such task"


@dataclass(frozen=True)
class TaskFilter:
    completed: bool | None = None
    q: str | None = None


class TaskRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # -- reads ---------------------------------------------------------------------------
    def get(self, user_id: uuid.UUID, task_id: int) -> Task:
        task = self.session.scalars(
            select(Task).where(col(Task.id) == task_id, col(Task.user_id) == user_id)
        ).one_or_none()
        if task is None:
            raise NotFoundError(_MISSING)
        return task

    def list_page(
        self,
        user_id: uuid.UUID,
        filters: TaskFilter,
        sort: str,
        limit: int,
        after: Position | None = None,
    ) -> list[Task]:
        name, descending = sort_column(sort)
        # Keyset order: the sort column, then id to break ties (id alone for the id sorts).
        columns = [col(Task.id)] if name == "id" else [col(getattr(Task, name)), col(Task.id)]
        stmt = self._filtered(select(Task), user_id, filters)
        if after is not None:
            here = tuple_(*columns)
            there = tuple_(*([after.task_id] if name == "id" else [after.key, after.task_id]))
            stmt = stmt.where(here < there if descending else here > there)
        order = [c.desc() if descending else c.asc() for c in columns]
        return list(self.session.scalars(stmt.order_by(*order).limit(limit)))

    def count(self, user_id: uuid.UUID, filters: TaskFilter) -> int:
        stmt = self._filtered(select(func.count()).select_from(Task), user_id, filters)
        return int(self.session.scalar(stmt) or 0)

    # -- writes --------------------------------------------------------------------------
    def create(self, user_id: uuid.UUID, data: TaskCreate) -> Task:
        now = utcnow()
        task = Task.model_validate(
            data, update={"user_id": user_id, "created_at": now, "updated_at": now}
        )
        self.session.add(task)
        self.session.flush()
        return task

    def update(
        self,
        user_id: uuid.UUID,
        task_id: int,
        changes: dict[str, Any],
        if_match: list[datetime] | None = None,
    ) -> Task:
        """Apply `changes` in one conditional UPDATE; If-Match versions are checked atomically,
        so of two writers holding the same tag exactly one succeeds."""
        if not changes:
            task = self.get(user_id, task_id)
            if if_match is not None and task.updated_at not in if_match:
                raise PreconditionFailedError(_STALE)
            return task
        return self._update_one(user_id, task_id, changes, if_match)

    def toggle_completed(
        self, user_id: uuid.UUID, task_id: int, if_match: list[datetime] | None = None
    ) -> Task:
        changes = {"is_completed": not_(col(Task.is_completed))}
        return self._update_one(user_id, task_id, changes, if_match)

    def delete(
        self, user_id: uuid.UUID, task_id: int, if_match: list[datetime] | None = None
    ) -> None:
        stmt = delete(Task).where(*self._target(user_id, task_id, if_match)).returning(col(Task.id))
        if self.session.execute(stmt).first() is None:
            self._raise_missing_or_stale(user_id, task_id)

    # -- helpers -------------------------------------------------------------------------
    def _update_one(
        self,
        user_id: uuid.UUID,
        task_id: int,
        changes: dict[str, Any],
        if_match: list[datetime] | None,
    ) -> Task:
        stmt = (
            update(Task)
            .where(*self._target(user_id, task_id, if_match))
            .values(**changes)
            .returning(Task)
        )
        task = self.session.scalars(
            stmt, execution_options={"synchronize_session": False, "populate_existing": True}
        ).one_or_none()
        if task is None:
            self._raise_missing_or_stale(user_id, task_id)
        assert task is not None
        return task

    @staticmethod
    def _target(
        user_id: uuid.UUID, task_id: int, if_match: list[datetime] | None
    ) -> list[ColumnElement[bool]]:
        conditions = [col(Task.id) == task_id, col(Task.user_id) == user_id]
        if if_match is not None:
            conditions.append(col(Task.updated_at).in_(if_match))
        return conditions

    def _raise_missing_or_stale(self, user_id: uuid.UUID, task_id: int) -> None:
        self.get(user_id, task_id)  # raises NotFoundError when the task is not the user's
        raise PreconditionFailedError(_STALE)

    @staticmethod
    def _filtered(stmt: Select[Any], user_id: uuid.UUID, filters: TaskFilter) -> Select[Any]:
        stmt = stmt.where(col(Task.user_id) == user_id)
        if filters.completed is not None:
            stmt = stmt.where(col(Task.is_completed) == filters.completed)
        if filters.q:
            pattern = "%" + _escape_like(filters.q) + "%"
            stmt = stmt.where(
                or_(
                    col(Task.title).ilike(pattern, escape="\\"),
                    col(Task.description).ilike(pattern, escape="\\"),
                )
            )
        return stmt


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
