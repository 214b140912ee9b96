"""Which Alembic revision the database is at."""

from sqlalchemy import Connection, text
from sqlalchemy.exc import ProgrammingError
from sqlmodel import Session


class SchemaRepository:
    def __init__(self, session: Session | Connection) -> None:
        self.session = session

    def current_revisions(self) -> set[str]:
        """The revisions in alembic_version; empty when Alembic never ran here."""
        try:
            with self.session.begin_nested():
                rows = self.session.execute(text("SELECT version_num FROM alembic_version"))
                return {row[0] for row in rows}
        except ProgrammingError:  # no alembic_version table
            return set()
