"""Each revision's SCHEMA_OBJECTS show exactly that it ran (src/db/schema_objects.py)."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, pool
from sqlalchemy.engine import URL

from src.cli.migrate import status_of as status
from src.db.schema_objects import SchemaObjects, alembic_script, schema_objects
from tests.migrations.helpers import copy_of_alembic, execute, has_pg_trgm, head, query
from tests.support.databases import alembic_config


def test_every_revision_declares_objects_of_its_own() -> None:
    objects = schema_objects()
    revisions = [s.revision for s in reversed(list(alembic_script().walk_revisions()))]

    assert objects.revisions == tuple(revisions)
    for revision in revisions:
        assert [o for o in objects.objects if o.revision == revision], revision


def shown_at(revision: str, url: URL) -> str:
    """The revision a database at `revision` shows: itself, or the last of the revisions
    after it that change nothing on this server (013 sets an option on the trigram indexes,
    which a server without pg_trgm does not have)."""
    revisions = schema_objects().revisions
    shown = revision
    for later in revisions[revisions.index(revision) + 1 :]:
        own = [o for o in schema_objects().objects if o.revision == later]
        if not all(o.kind == "index_options" for o in own) or has_pg_trgm(url):
            break
        shown = later
    return shown


def test_the_objects_show_each_revision_up_and_down(empty_database: URL) -> None:
    config = alembic_config(empty_database)
    assert status(empty_database).shown is None

    revisions = schema_objects().revisions
    for revision in revisions:
        command.upgrade(config, revision)
        reached = status(empty_database)
        assert (reached.shown, reached.missing, reached.current) == (
            shown_at(revision, empty_database),
            (),
            revision == revisions[-1],
        )
    for revision in reversed(revisions[:-1]):
        command.downgrade(config, revision)
        assert status(empty_database).shown == shown_at(revision, empty_database)
    command.downgrade(config, "base")
    assert status(empty_database).shown is None


def test_an_index_without_its_option_is_missing_the_revision_that_sets_it(
    empty_database: URL,
) -> None:
    """Revision 013's option on the trigram indexes: shown where it is set and where there is
    no such index; missing where the index exists without it."""
    command.upgrade(alembic_config(empty_database), "head")
    assert (status(empty_database).shown, status(empty_database).missing) == (head(), ())

    if has_pg_trgm(empty_database):
        execute(empty_database, "ALTER INDEX ix_tasks_title_trgm RESET (gin_pending_list_limit)")
    else:  # the index 006 builds where pg_trgm is, without the option
        execute(empty_database, "CREATE INDEX ix_tasks_title_trgm ON tasks USING gin (tags)")
    reached = status(empty_database)
    assert [str(o) for o in reached.missing] == [
        "option gin_pending_list_limit=256 on ix_tasks_title_trgm"
    ]
    assert reached.shown == "012"
    assert query(empty_database, "SELECT version_num FROM alembic_version") == [(head(),)]


DROPPING_REVISION = '''"""A later revision that drops an object of 001

Revision ID: probe
Revises: {head}
"""

import sqlalchemy as sa
from alembic import op

revision = "probe"
down_revision = "{head}"
branch_labels = None
depends_on = None

SCHEMA_OBJECTS = {
    "relations": ["ix_tasks_title_probe"],
    "dropped": {"relations": ["ix_tasks_user_id"]},
}


def upgrade() -> None:
    op.drop_index("ix_tasks_user_id", table_name="tasks")
    op.create_index("ix_tasks_title_probe", "tasks", ["title"])


def downgrade() -> None:
    op.drop_index("ix_tasks_title_probe", table_name="tasks")
    op.create_index("ix_tasks_user_id", "tasks", ["user_id"])
'''


def test_an_object_a_later_revision_drops_is_no_longer_required(
    empty_database: URL, tmp_path: Path
) -> None:
    ini = copy_of_alembic(tmp_path)
    (tmp_path / "alembic/versions/probe_drops.py").write_text(
        DROPPING_REVISION.replace("{head}", head())
    )
    config = Config(str(ini))
    config.attributes["configure_logging"] = False
    config.attributes["database_url"] = empty_database.render_as_string(hide_password=False)
    objects = SchemaObjects(ScriptDirectory.from_config(config))
    command.upgrade(config, "probe")

    engine = create_engine(empty_database, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            row = connection.execute(objects.statement, objects.params).mappings().one()
    finally:
        engine.dispose()
    present = objects.present(row)

    assert objects.missing_through("probe", present) == ()
    assert objects.shown_revision(present) == "probe"
    # A database claiming the head before it would need the index the probe dropped.
    assert [str(o) for o in objects.missing_through(head(), present)] == ["ix_tasks_user_id"]
