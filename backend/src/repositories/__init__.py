"""Every SQL statement of the service lives in this package. Repositories get the session
in their constructor, flush when they must, and never commit: the request owns the
transaction (src/db/session.py)."""

from src.repositories.tasks import TaskFilter, TaskRepository
from src.repositories.users import UserRepository

__all__ = ["TaskFilter", "TaskRepository", "UserRepository"]
