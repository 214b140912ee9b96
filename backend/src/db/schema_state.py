"""Does the database's schema match this code? Checked at start-up, by /readyz, and before
serving /api requests, which get 503 until it does (a deploy that forgot `make migrate`
must not write through a schema it does not know).

The answer is cached per process for RECHECK_SECONDS: a cache of the database's state that
is re-read from the database, never a decision made from memory alone.
"""

import threading
import time
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection

from src.db.schema_objects import (
    BACKEND_DIR,
    SchemaObject,
    alembic_script,
    describe_missing,
    schema_objects,
)
from src.repositories.schema import SchemaRepository

__all__ = [
    "BACKEND_DIR",
    "SchemaGate",
    "SchemaStatus",
    "expected_revisions",
    "read_status",
    "read_status_sync",
]

RECHECK_SECONDS = 5.0


@lru_cache
def expected_revisions() -> frozenset[str]:
    """The head revision(s) of the migrations shipped with this code."""
    return frozenset(alembic_script().get_heads())


@dataclass(frozen=True)
class SchemaStatus:
    """What alembic_version says (`found`), what this code needs (`expected`), and what the
    database's objects show (src/db/schema_objects.py)."""

    found: frozenset[str]
    expected: frozenset[str]
    present: frozenset[SchemaObject] = field(default_factory=frozenset)

    @cached_property  # `current` is read on every API request; the status lives 5 s
    def missing(self) -> tuple[SchemaObject, ...]:
        """Objects of the revisions alembic_version claims that do not exist."""
        objects = schema_objects()
        missing: list[SchemaObject] = []
        for revision in sorted(self.found):
            missing += [
                o for o in objects.missing_through(revision, self.present) if o not in missing
            ]
        return tuple(missing)

    @property
    def shown(self) -> str | None:
        """The last revision the database's objects show."""
        return schema_objects().shown_revision(self.present)

    @property
    def ahead(self) -> bool:
        """alembic_version names a revision this code does not know: a newer release's."""
        return bool(self.found - set(schema_objects().revisions))

    @property
    def current(self) -> bool:
        return self.found == self.expected and not self.missing

    def describe(self) -> str:
        """What is wrong, and the one next step; "... at head" when nothing is."""
        expected = ", ".join(sorted(self.expected))
        found = ", ".join(sorted(self.found))
        if not self.found:
            if not self.present:
                return (
                    f"database schema is at revision none (alembic never ran); this code "
                    f"needs {expected}: run `make migrate`"
                )
            return (
                "database has tables that Alembic did not make and no alembic_version; "
                + _stamp_advice(self.shown)
            )
        if self.ahead:
            return (
                f"database schema is at revision {found}, newer than this code (which needs "
                f"{expected}): a newer release migrated it; deploy that release here, or "
                f"restart this process if it is already deployed"
            )
        if self.missing:
            return (
                f"database is stamped at revision {found} but lacks "
                f"{describe_missing(self.missing)}; " + _stamp_advice(self.shown)
            )
        if self.found != self.expected:
            return (
                f"database schema is at revision {found}; this code needs {expected}: "
                "run `make migrate`"
            )
        return f"database schema is at head ({found})"


def _stamp_advice(shown: str | None) -> str:
    if shown is None:
        return (
            "its tables are not those of revision 001 either: migrate an empty database "
            "instead, or drop these tables (docs/migrations.md)"
        )
    return (
        f"its objects are those of revision {shown}: run "
        f"`alembic stamp {shown} && alembic upgrade head` from backend/ (docs/migrations.md)"
    )


def read_status_sync(connection: Connection) -> SchemaStatus:
    """read_status on a SQLAlchemy connection (alembic/env.py, `make migrate`)."""
    objects = schema_objects()
    row = connection.execute(objects.statement, objects.params).mappings().one()
    found = MigrationContext.configure(connection).get_current_heads()
    return SchemaStatus(frozenset(found), expected_revisions(), objects.present(row))


async def read_status(repository: SchemaRepository) -> SchemaStatus:
    found, present = await repository.revisions_and_objects(schema_objects())
    return SchemaStatus(frozenset(found), expected_revisions(), present)


class SchemaGate:
    """Remembers the last status for RECHECK_SECONDS; `None` until the first check."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._status: SchemaStatus | None = None
        self._checked_at = 0.0

    def fresh_status(self) -> SchemaStatus | None:
        """The remembered status while it is fresh; None when the database must be asked."""
        with self._lock:
            if self._status is not None and time.monotonic() - self._checked_at < RECHECK_SECONDS:
                return self._status
        return None

    async def status(self, repository: SchemaRepository) -> SchemaStatus:
        """The remembered status while fresh; otherwise read from the database and kept."""
        remembered = self.fresh_status()
        if remembered is not None:
            return remembered
        status = await read_status(repository)
        with self._lock:
            self._status, self._checked_at = status, time.monotonic()
        return status
