"""The deploy step: `python -m src.cli.migrate [--backup-dir DIR]` (what `make migrate` runs).

1. Optionally back the database up with pg_dump (custom format) first, as the migration
   guide asks before production migrations.
2. `alembic upgrade head`. Safe when several replicas run it at once: alembic/env.py holds a
   PostgreSQL advisory lock while migrating, so the second one waits and finds nothing to do.
3. Verify that the database is now at the head revision; exit 1 if not.

Restore a backup with `make restore FILE=<dump>` (src/cli/restore.py, docs/migrations.md).
"""

import argparse
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.util import CommandError
from sqlalchemy import create_engine, pool
from sqlalchemy.engine import URL

from src.core.settings import database_url_source, get_settings
from src.db.pool import resolve_database_url
from src.db.schema_state import BACKEND_DIR, SchemaStatus, read_status_sync
from src.db.urls import mask


def pg_dump_binary() -> str:
    """PG_DUMP if set; else pgserver's bundled pg_dump (16, which dumps servers up to 16);
    else the one on PATH."""
    explicit = os.environ.get("PG_DUMP")
    if explicit:
        return explicit
    import pgserver._commands as pg

    bundled = Path(pg.POSTGRES_BIN_PATH) / "pg_dump"
    return str(bundled) if bundled.exists() else (shutil.which("pg_dump") or "pg_dump")


def libpq_url(url: URL) -> tuple[str, dict[str, str]]:
    """The URL for libpq tools without its password (it goes in PGPASSWORD, out of `ps`)."""
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def backup(url: URL, directory: Path, revision: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = directory / f"{url.database}-{stamp}-at-{revision}.dump"
    dsn, env = libpq_url(url)
    subprocess.run(  # noqa: S603 (arguments are ours, no shell)
        [pg_dump_binary(), "--format=custom", "--no-owner", f"--file={target}", dsn],
        check=True,
        env=env,
    )
    return target


def status_of(url: URL) -> SchemaStatus:
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            return read_status_sync(connection)
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--backup-dir", type=Path, help="pg_dump the database here first")
    args = parser.parse_args(argv)

    settings = get_settings()
    url = resolve_database_url(settings)
    print(f"database {mask(url)}, from {database_url_source(settings)}", file=sys.stderr)
    before = status_of(url)
    print(before.describe(), file=sys.stderr)
    if before.ahead:  # a newer release's revision: this code cannot upgrade nor judge it
        return 1
    if args.backup_dir is not None:
        found = "-".join(sorted(before.found)) or "base"
        print(f"backup written to {backup(url, args.backup_dir, found)}", file=sys.stderr)

    config = Config(str(BACKEND_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(BACKEND_DIR / "alembic"))
    config.attributes["database_url"] = url.render_as_string(hide_password=False)
    try:
        command.upgrade(config, "head")
    except CommandError as refused:  # env.py's guards: what it found, and the next step
        print(f"migration refused: {refused}", file=sys.stderr)
        return 1

    after = status_of(url)
    if not after.current:
        print(f"migration did not reach head: {after.describe()}", file=sys.stderr)
        return 1
    print(f"database at head: {', '.join(sorted(after.found))}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
