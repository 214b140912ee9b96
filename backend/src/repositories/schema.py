"""Which Alembic revision the database is at."""

from psycopg.errors import UndefinedTable

from src.db.session import DbSession


class SchemaRepository:
    def __init__(self, session: DbSession) -> None:
        self.session = session

    async def current_revisions(self) -> set[str]:
        """The revisions in alembic_version; empty when Alembic never ran here."""
        try:
            # A savepoint (or a transaction of its own): a missing table must not abort the
            # request's transaction.
            async with self.session.savepoint():
                rows = await self.session.fetch_all("SELECT version_num FROM alembic_version")
        except UndefinedTable:
            return set()
        return {row["version_num"] for row in rows}
