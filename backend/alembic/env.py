"""Alembic environment: the application's models and settings, one migrator at a time.

The database URL comes from the application settings (DATABASE_URL from the environment,
the repository's `.env` or backend/.env, or the embedded server when it is unset); every
command first says which database it acts on and where that came from. Tests override it
with `config.attributes["database_url"]`, or hand over an open connection with
`config.attributes["connection"]` (pytest-alembic does).

Two guards against a database whose alembic_version and objects disagree
(src/db/schema_objects.py): an upgrade that fails on tables Alembic did not make stops with
what it found and the one safe next step instead of a traceback, and a stamp the database's
objects do not back (the migration guide's `alembic stamp head` on the seed's tables) is
refused and rolled back, with the stamp that is true.
"""

import logging
import time
from collections.abc import Collection, Mapping, Sequence
from logging.config import fileConfig
from typing import Any

from alembic import context
from alembic.runtime.migration import MigrationContext, MigrationInfo
from alembic.util import CommandError
from sqlalchemy import Connection, create_engine, pool, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError
from sqlmodel import SQLModel

import src.models  # noqa: F401  (registers every table on SQLModel.metadata)
from src.core.settings import database_url_source, get_settings
from src.db.pool import resolve_database_url
from src.db.schema_objects import SchemaObject, SchemaObjects, describe_missing, schema_objects
from src.db.schema_state import read_status_sync
from src.db.urls import mask, normalize_database_url

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logging", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = SQLModel.metadata

# Session-level advisory lock held while migrating, so that two replicas deploying at the
# same moment apply each revision once: the second waits, then finds nothing left to do.
MIGRATION_LOCK_KEY = 7_236_417_001
# The second one asks again at this interval, outside any transaction in between. Blocking in
# pg_advisory_lock() instead would hold a snapshot while waiting, and CREATE INDEX
# CONCURRENTLY in the first one waits for every older snapshot: a deadlock.
LOCK_RETRY_SECONDS = 0.5

log = logging.getLogger("alembic.env")

# Indexes that exist only where the server has the pg_trgm extension (revision 006), so not
# in the models: autogenerate must neither drop them where they exist nor miss them elsewhere.
TRIGRAM_INDEXES = frozenset({"ix_tasks_title_trgm", "ix_tasks_description_trgm"})


def _include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    return not (type_ == "index" and name in TRIGRAM_INDEXES)


def _database_url() -> URL:
    override = config.attributes.get("database_url")
    if override is not None:
        url = normalize_database_url(str(override))
        log.info("database %s (given by the caller)", mask(url))
        return url
    settings = get_settings()
    url = resolve_database_url(settings)
    log.info("database %s, from %s", mask(url), database_url_source(settings))
    return url


def _refuse_unbacked_stamp(
    ctx: MigrationContext, step: MigrationInfo, heads: Collection[Any], run_args: Mapping[str, Any]
) -> None:
    """After each step: a stamp up to a revision whose objects are missing is refused (the
    exception rolls the stamp back)."""
    if not (step.is_stamp and step.is_upgrade):
        return
    assert ctx.connection is not None
    objects = schema_objects()
    row = ctx.connection.execute(objects.statement, objects.params).mappings().one()
    present = objects.present(row)
    for head in sorted(heads):
        missing = objects.missing_through(head, present)
        if missing:
            raise CommandError(_unbacked_stamp_message(head, missing, objects, present))


def _unbacked_stamp_message(
    head: str,
    missing: Sequence[SchemaObject],
    objects: SchemaObjects,
    present: frozenset[SchemaObject],
) -> str:
    shown = objects.shown_revision(present)
    if shown is None:
        holds = "It holds none of the revisions' objects: run `alembic upgrade head`"
    else:
        holds = (
            f"Its objects are those of revision {shown}: run "
            f"`alembic stamp {shown} && alembic upgrade head`"
        )
    return (
        f"refusing to stamp {head}: the database lacks {describe_missing(missing)}, and a "
        f"stamp runs nothing. {holds} (docs/migrations.md)."
    )


def _run(connection: Connection) -> None:
    """Run the command's migrations; an upgrade that fails on tables Alembic did not make
    stops with what the database holds and the safe next step."""
    _configure(connection)
    try:
        with context.begin_transaction():
            context.run_migrations()
    except DBAPIError:
        connection.rollback()
        status = read_status_sync(connection)
        connection.rollback()
        if not status.found and status.present:
            raise CommandError(status.describe()) from None
        raise


def _acquire_migration_lock(connection: Connection) -> None:
    waiting = False
    while True:
        acquired = connection.execute(
            text("SELECT pg_try_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY}
        ).scalar()
        connection.commit()
        if acquired:
            return
        if not waiting:
            log.info("Another migration is running: waiting for it to finish")
            waiting = True
        time.sleep(LOCK_RETRY_SECONDS)


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        compare_server_default=True,
        include_object=_include_object,
        on_version_apply=_refuse_unbacked_stamp,
        # Each revision commits on its own: a failing revision leaves the database at the
        # revision before it, schema and data, thanks to PostgreSQL's transactional DDL.
        transaction_per_migration=True,
    )


def run_migrations_offline() -> None:
    """`alembic upgrade --sql`: render SQL without connecting (no embedded server needed)."""
    context.configure(
        dialect_name="postgresql",
        target_metadata=target_metadata,
        literal_binds=True,
        transaction_per_migration=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    given: Connection | None = config.attributes.get("connection")
    if given is not None:
        # pytest-alembic's connection to a throw-away database. What it sent before (reading
        # alembic_version) is committed, so that each revision runs in a transaction of its
        # own as in production: a revision with an autocommit block (006) commits the one
        # before it.
        if given.in_transaction():
            given.commit()
        _run(given)
        return

    engine = create_engine(_database_url(), poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            _acquire_migration_lock(connection)
            try:
                _run(connection)
            finally:
                connection.rollback()
                connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY}
                )
                connection.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
