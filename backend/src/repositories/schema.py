"""Which Alembic revision the database is at."""

from psycopg.errors import UndefinedTable
from sqlalchemy import column, select, table

from src.db.schema_objects import SchemaObject, SchemaObjects, schema_objects
from src.db.session import DbSession
from src.db.statements import Statement, compile_statement

# Alembic's own table: no model of ours maps it, so a lightweight table construct names it.
_ALEMBIC_VERSION = table("alembic_version", column("version_num"))
_REVISIONS = compile_statement(select(_ALEMBIC_VERSION.c.version_num))
_OBJECTS = compile_statement(schema_objects().statement)


def all_statements() -> dict[str, Statement]:
    """Every statement this repository runs, by name (tests/db/test_statements.py)."""
    return {"revisions": _REVISIONS, "schema_objects": _OBJECTS}


class SchemaRepository:
    def __init__(self, session: DbSession) -> None:
        self.session = session

    async def current_revisions(self) -> set[str]:
        """The revisions in alembic_version; empty when Alembic never ran here."""
        try:
            # A savepoint (or a transaction of its own): a missing table must not abort the
            # request's transaction.
            async with self.session.savepoint():
                rows = await self.session.fetch_all(_REVISIONS)
        except UndefinedTable:
            return set()
        return {row["version_num"] for row in rows}

    async def revisions_and_objects(
        self, objects: SchemaObjects
    ) -> tuple[set[str], frozenset[SchemaObject]]:
        """The revisions in alembic_version, and which of the revisions' objects exist."""
        row = await self.session.fetch_one(_OBJECTS, objects.params)
        assert row is not None  # a SELECT without FROM returns one row
        return await self.current_revisions(), objects.present(row)
