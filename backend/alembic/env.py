"""Alembic environment: the application's models and settings, one migrator at a time.

The database URL comes from the application settings (DATABASE_URL, or the embedded server
when it is unset). Tests override it with `config.attributes["database_url"]`, or hand over an
open connection with `config.attributes["connection"]` (pytest-alembic does).
"""

import logging
import time
from logging.config import fileConfig

from alembic import context
from sqlalchemy import Connection, create_engine, pool, text
from sqlalchemy.engine import URL
from sqlmodel import SQLModel

import src.models  # noqa: F401  (registers every table on SQLModel.metadata)
from src.core.settings import get_settings
from src.db.pool import resolve_database_url
from src.db.urls import normalize_database_url

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
        return normalize_database_url(str(override))
    return resolve_database_url(get_settings())


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
        _configure(given)
        with context.begin_transaction():
            context.run_migrations()
        return

    engine = create_engine(_database_url(), poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            _acquire_migration_lock(connection)
            try:
                _configure(connection)
                with context.begin_transaction():
                    context.run_migrations()
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
