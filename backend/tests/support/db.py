"""The test's database connection, for sync test code and for the app under test alike.

`TestDb` holds one psycopg (async) connection to the migrated test database, inside a
transaction that is rolled back when the test ends. The app under test gets a DbSession on it
(tests/api/conftest.py), so its statements and the test's assertions see the same rows;
a repository's `begin()` opens a savepoint there.

Sync test code calls `db.run(coroutine)`, or the shortcuts `fetch_one`, `fetch_all`,
`scalar` and `execute`, which run on a private event loop. The app's own requests run on
TestClient's loop: a psycopg connection waits on whichever loop is running, and the two never
use it at the same time.
"""

import asyncio
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from psycopg import AsyncConnection
from psycopg.rows import DictRow, dict_row
from sqlalchemy.engine import URL

from src.db.session import DbSession
from src.db.statements import Statement
from src.db.urls import libpq_conninfo

T = TypeVar("T")


def sql(text: str) -> Statement:
    """The tests' own SQL text (setup and assertions), as a statement a DbSession runs; the
    app's statements are compiled from the models (src/db/statements.py)."""
    return Statement(text, frozenset())


@asynccontextmanager
async def connected(url: URL) -> AsyncIterator[AsyncConnection[DictRow]]:
    """A connection of its own, set up as the app's pool sets up its connections."""
    connection = await AsyncConnection.connect(
        libpq_conninfo(url), autocommit=True, row_factory=dict_row
    )
    try:
        await connection.execute("SET TIME ZONE 'UTC'")
        yield connection
    finally:
        await connection.close()


class TestDb:
    __test__ = False  # not a test class, whatever its name

    def __init__(self, url: URL) -> None:
        self._runner = asyncio.Runner()
        self.connection: AsyncConnection[DictRow] = self.run(
            AsyncConnection.connect(libpq_conninfo(url), autocommit=True, row_factory=dict_row)
        )
        self.run(self.connection.execute("SET TIME ZONE 'UTC'"))
        self.run(self.connection.execute("BEGIN"))
        self.session = DbSession(connection=self.connection)

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return self._runner.run(coroutine)

    def fetch_one(self, query: str, params: Any = None) -> dict[str, Any] | None:
        return self.run(self.session.fetch_one(sql(query), params))

    def fetch_all(self, query: str, params: Any = None) -> list[dict[str, Any]]:
        return self.run(self.session.fetch_all(sql(query), params))

    def scalar(self, query: str, params: Any = None) -> Any:
        row = self.fetch_one(query, params)
        return None if row is None else next(iter(row.values()))

    def execute(self, query: str, params: Any = None) -> int:
        return self.run(self.session.execute(sql(query), params))

    def close(self) -> None:
        try:
            self.run(self.connection.execute("ROLLBACK"))
            self.run(self.connection.close())
        finally:
            self._runner.close()
