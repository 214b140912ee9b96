"""DbSession: a session's connection goes back to the pool whole, however the session ends."""

import anyio
from sqlalchemy.engine import URL

from src.core.settings import Settings
from src.db.pool import create_db_pool
from src.db.session import DbSession, open_session, session_scope
from tests.support.db import sql


def test_a_session_cancelled_mid_transaction_rolls_back_and_returns_its_connection(
    test_database: URL,
) -> None:
    """anyio cancels a task again at every await until it exits (the MCP SDK's task groups
    do): the rollback must still complete, so that the pool gets the connection back whole
    and reuses it (the same server process), rather than discarding it and connecting anew."""
    settings = Settings(
        _env_file=None,
        app_env="development",
        db_pool_size=1,
        db_max_overflow=0,
        db_pool_timeout_seconds=2.0,
    )

    async def main() -> tuple[object, object]:
        pool = create_db_pool(test_database, settings)
        await pool.open(wait=True, timeout=10)
        backends: list[object] = []
        try:

            async def cancelled_in_a_transaction() -> None:
                async with session_scope(DbSession(pool)) as session:
                    await session.begin()
                    backends.append(await session.fetch_one(BACKEND))
                    await anyio.sleep(30)

            async with anyio.create_task_group() as group:
                group.start_soon(cancelled_in_a_transaction)
                await anyio.sleep(0.5)
                group.cancel_scope.cancel()

            async with open_session(pool) as session:
                return backends[0], await session.fetch_one(BACKEND)
        finally:
            await pool.close()

    before, after = anyio.run(main)
    assert after == before


BACKEND = sql("SELECT pg_backend_pid() AS pid")
