"""Does the database's schema match this code? Checked at start-up, by /readyz, and before
serving /api requests, which get 503 until it does (a deploy that forgot `make migrate`
must not write through a schema it does not know).

The answer is cached per process for RECHECK_SECONDS: a cache of the database's state that
is re-read from the database, never a decision made from memory alone.
"""

import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory

from src.repositories.schema import SchemaRepository

BACKEND_DIR = Path(__file__).resolve().parents[2]
RECHECK_SECONDS = 5.0


@lru_cache
def expected_revisions() -> frozenset[str]:
    """The head revision(s) of the migrations shipped with this code."""
    config = Config(str(BACKEND_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(BACKEND_DIR / "alembic"))
    return frozenset(ScriptDirectory.from_config(config).get_heads())


@dataclass(frozen=True)
class SchemaStatus:
    found: frozenset[str]
    expected: frozenset[str]

    @property
    def current(self) -> bool:
        return self.found == self.expected

    def describe(self) -> str:
        found = ", ".join(sorted(self.found)) or "none (alembic never ran)"
        expected = ", ".join(sorted(self.expected))
        return f"database schema is at revision {found}; this code needs {expected}"


async def read_status(repository: SchemaRepository) -> SchemaStatus:
    return SchemaStatus(frozenset(await repository.current_revisions()), expected_revisions())


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
