"""Replace the database with a backup: `python -m src.cli.restore FILE` (`make restore`).

The one restore procedure (docs/migrations.md, docs/deploy.md). In one transaction: drop
everything in the `public` schema, then replay the dump's SQL, so the database becomes exactly what
was backed up, revision included; objects a later revision created do not survive to break
the next upgrade. If anything fails, the transaction rolls back and the database is as it was.

The dump is read by the same PostgreSQL 16 client tools that `make migrate` wrote it with
(pgserver's bundled pg_restore and psql): Debian 12's pg_restore 15 refuses a dump written by
pg_dump 16, whatever the server's version. PG_RESTORE and PSQL override them (a dump written
with a newer PG_DUMP needs a pg_restore at least as new).
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from src.cli.migrate import libpq_url, status_of
from src.core.settings import database_url_source, get_settings
from src.db.pool import resolve_database_url
from src.db.urls import mask

# Sent before the dump's SQL; COMMIT follows only once pg_restore has read the whole dump.
# `public` is recreated as PostgreSQL 15+ creates it (owned by the database's owner, usable by
# every role), since pg_dump writes nothing for a schema left at its defaults. The lock
# timeout makes a restore under a busy API give up, changing nothing, rather than wait.
_BEGIN = (
    b"BEGIN;\n"
    b"SET LOCAL lock_timeout = '10s';\n"
    b"DROP SCHEMA public CASCADE;\n"
    b"CREATE SCHEMA public AUTHORIZATION pg_database_owner;\n"
    b"GRANT USAGE ON SCHEMA public TO PUBLIC;\n"
)


# Sent before COMMIT: the restored database starts a new sync timeline (src/models/sync.py),
# so that sync tokens issued after the backup was taken get 410 instead of missing changes.
_NEW_SYNC_EPOCH = (
    b"DO $$ BEGIN IF to_regclass('public.sync_epoch') IS NOT NULL THEN "
    b"UPDATE public.sync_epoch SET epoch = gen_random_uuid(); END IF; END $$;\n"
)


def client_binary(name: str) -> str:
    """$PG_RESTORE / $PSQL if set; else pgserver's bundled one; else the one on PATH."""
    explicit = os.environ.get(name.upper())
    if explicit:
        return explicit
    import pgserver._commands as pg

    bundled = Path(pg.POSTGRES_BIN_PATH) / name
    return str(bundled) if bundled.exists() else (shutil.which(name) or name)


def restore(dump: Path, dsn: str, env: dict[str, str]) -> None:
    """Empty `public` and replay pg_restore's SQL in one transaction of psql's, committed
    only if pg_restore read the whole dump and psql ran every statement (ON_ERROR_STOP): a
    truncated dump ends its SQL early and cleanly, and must not be committed."""
    with tempfile.TemporaryFile() as read_errors, tempfile.TemporaryFile() as run_errors:
        psql = subprocess.Popen(  # noqa: S603 (arguments are ours, no shell)
            [client_binary("psql"), "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", dsn],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=run_errors,
            env=env,
        )
        to_sql = subprocess.Popen(  # noqa: S603
            [client_binary("pg_restore"), "--no-owner", "--file=-", str(dump)],
            stdout=subprocess.PIPE,
            stderr=read_errors,
            env=env,
        )
        assert psql.stdin is not None
        assert to_sql.stdout is not None
        pipe_broke = False
        try:
            psql.stdin.write(_BEGIN)
            shutil.copyfileobj(to_sql.stdout, psql.stdin)
            if to_sql.wait() == 0:
                psql.stdin.write(_NEW_SYNC_EPOCH + b"COMMIT;\n")
            psql.stdin.close()  # without COMMIT, psql's exit rolls the transaction back
        except BrokenPipeError:  # psql stopped at an error: nothing was committed
            pipe_broke = True
            to_sql.kill()
        to_sql.wait()
        psql.wait()
        run_errors.seek(0)
        read_errors.seek(0)
        ran, read = run_errors.read().decode().strip(), read_errors.read().decode().strip()
        if pipe_broke or psql.returncode != 0:  # psql's error is the cause; pg_restore was cut
            raise RuntimeError(f"restore failed, nothing changed: {ran or read}")
        if to_sql.returncode != 0:
            raise RuntimeError(f"pg_restore could not read {dump}, nothing changed: {read}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("file", type=Path, help="a dump written by `make migrate BACKUP_DIR=...`")
    parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    args = parser.parse_args(argv)

    if not args.file.is_file():
        print(f"no such backup: {args.file}", file=sys.stderr)
        return 2
    settings = get_settings()
    url = resolve_database_url(settings)
    print(f"database {mask(url)}, from {database_url_source(settings)}", file=sys.stderr)
    print(f"replacing everything in it with {args.file}", file=sys.stderr)
    if not args.yes:
        if not sys.stdin.isatty():
            print("refused: confirm with --yes (make restore FILE=... YES=1)", file=sys.stderr)
            return 2
        if input(f"type the database name ({url.database}) to go on: ").strip() != url.database:
            print("nothing restored", file=sys.stderr)
            return 1
    dsn, env = libpq_url(url)
    try:
        restore(args.file, dsn, env)
    except RuntimeError as error:
        print(str(error), file=sys.stderr)
        return 1
    print(f"restored: {status_of(url).describe()}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
