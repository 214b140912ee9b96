"""Each revision's SCHEMA_OBJECTS show exactly that it ran (src/db/schema_objects.py)."""

from alembic import command
from sqlalchemy import create_engine, pool
from sqlalchemy.engine import URL

from src.db.schema_objects import alembic_script, schema_objects
from src.db.schema_state import SchemaStatus, read_status_sync
from tests.support.databases import alembic_config


def status(url: URL) -> SchemaStatus:
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            return read_status_sync(connection)
    finally:
        engine.dispose()


def test_every_revision_declares_objects_of_its_own() -> None:
    objects = schema_objects()
    revisions = [s.revision for s in reversed(list(alembic_script().walk_revisions()))]

    assert objects.revisions == tuple(revisions)
    for revision in revisions:
        assert [o for o in objects.objects if o.revision == revision], revision


def test_the_objects_show_each_revision_up_and_down(empty_database: URL) -> None:
    config = alembic_config(empty_database)
    assert status(empty_database).shown is None

    revisions = schema_objects().revisions
    for revision in revisions:
        command.upgrade(config, revision)
        reached = status(empty_database)
        assert (reached.shown, reached.missing, reached.current) == (
            revision,
            (),
            revision == revisions[-1],
        )
    for revision in reversed(revisions[:-1]):
        command.downgrade(config, revision)
        assert status(empty_database).shown == revision
    command.downgrade(config, "base")
    assert status(empty_database).shown is None
