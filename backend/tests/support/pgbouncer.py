"""Debian's pgbouncer (/usr/sbin/pgbouncer) in front of the test server, in transaction mode.

    with PgBouncer(test_server_url(), tmp_path, pool_size=5) as bouncer:
        url = bouncer.url("some_database")    # through pgbouncer (the app: database_url=url)
        bouncer.show("POOLS")                 # its admin console

It listens on 127.0.0.1 on a free port and forwards every database name (a `*` entry) to the
test server: the embedded server's Unix socket, or TEST_DATABASE_URL's host and port, with
that URL's user and password. Clients connect as the same user, without a password
(auth_type=trust, 127.0.0.1 only). pgbouncer refuses to run as root; as root it is started
with `-u` as the owner of the embedded server's socket folder (the only user that may open
it), or `nobody` for a TCP server. It reads its configuration before switching user.

At most `pool_size` server connections per database: with more clients than that, pgbouncer
really multiplexes them, one transaction at a time.
"""

import os
import pwd
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import psycopg2  # type: ignore[import-untyped]  # no stubs; only for the admin console
from sqlalchemy.engine import URL

from tests.support.services import StartStop, free_port

PGBOUNCER = "/usr/sbin/pgbouncer"
ADMIN_DATABASE = "pgbouncer"


def pgbouncer_available() -> bool:
    return shutil.which(PGBOUNCER) is not None


def _quote(value: str) -> str:
    """A value of a libpq-style `key=value` list in pgbouncer.ini."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


class PgBouncer(StartStop):
    def __init__(
        self,
        server_url: URL,
        workdir: Path,
        *,
        pool_size: int = 5,
        max_client_conn: int = 100,
        startup_timeout: float = 15.0,
    ) -> None:
        self.server_url = server_url
        self.workdir = workdir
        self.pool_size = pool_size
        self.max_client_conn = max_client_conn
        self.startup_timeout = startup_timeout
        self.user = server_url.username or "postgres"
        self.host = "127.0.0.1"
        self.port = 0
        self._process: subprocess.Popen[bytes] | None = None

    # --- where it is -----------------------------------------------------------------------

    def url(self, database: str) -> URL:
        """A URL for `database` on the test server, through pgbouncer (for SQLAlchemy, and for
        the app, which hands it to psycopg 3 as a libpq URL)."""
        return URL.create(
            "postgresql+psycopg2",
            username=self.user,
            host=self.host,
            port=self.port,
            database=database,
        )

    def show(self, what: str) -> list[dict[str, Any]]:
        """`SHOW <what>` on the admin console (POOLS, STATS, SERVERS, CLIENTS...), as dicts."""
        return self.admin(f"SHOW {what}")

    def admin(self, command: str) -> list[dict[str, Any]]:
        """Run one admin console command (SHOW ..., RECONNECT, PAUSE...); its rows, if any."""
        connection = psycopg2.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            dbname=ADMIN_DATABASE,
            connect_timeout=5,
        )
        try:
            connection.autocommit = True  # the console knows no transactions
            with connection.cursor() as cursor:
                cursor.execute(command)
                if cursor.description is None:
                    return []
                names = [column[0] for column in cursor.description]
                return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        finally:
            connection.close()

    def pool(self, database: str) -> dict[str, Any]:
        """The SHOW POOLS row of `database` (cl_active, sv_active, sv_idle...)."""
        rows = [row for row in self.show("POOLS") if row["database"] == database]
        assert len(rows) == 1, rows
        return rows[0]

    def reconnect(self, database: str, timeout: float = 10.0) -> None:
        """`RECONNECT <database>`: every server connection is replaced once released. First
        waits for server logins in progress to finish: pgbouncer 1.18 takes a login it cut
        short for a failed one, and then refuses every client for `server_login_retry`
        (15 s) with "server login has been failing"."""
        deadline = time.monotonic() + timeout
        while any(row["sv_login"] for row in self.show("POOLS") if row["database"] == database):
            if time.monotonic() > deadline:
                raise TimeoutError(f"pgbouncer still logging in to {database} after {timeout} s")
            time.sleep(0.01)
        self.admin(f"RECONNECT {database}")

    def log(self) -> str:
        path = self.workdir / "pgbouncer.log"
        return path.read_text(errors="replace") if path.exists() else ""

    # --- lifecycle -------------------------------------------------------------------------

    def start(self) -> None:
        if self._process is not None:
            raise RuntimeError("pgbouncer is already running")
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        ini = self._write_config()
        command = [PGBOUNCER]
        run_as = self._run_as()
        if run_as is not None:
            command += ["-u", run_as]
        command.append(str(ini))
        with (self.workdir / "pgbouncer.log").open("wb") as log:
            self._process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )
        self._wait_until_ready()

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        process.terminate()  # SIGTERM: immediate shutdown, client connections closed
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)

    # --- internals -------------------------------------------------------------------------

    def _server_host(self) -> str:
        host = self.server_url.host or self.server_url.query.get("host")
        if isinstance(host, tuple):
            host = host[0]
        return host or "/var/run/postgresql"

    def _run_as(self) -> str | None:
        """None when not root; else a user that may reach the server (pgbouncer refuses root)."""
        if os.geteuid() != 0:
            return None
        host = self._server_host()
        if host.startswith("/"):
            return pwd.getpwuid(os.stat(host).st_uid).pw_name
        return "nobody"

    def _write_config(self) -> Path:
        password = self.server_url.password or ""
        target = [
            f"host={_quote(self._server_host())}",
            f"port={self.server_url.port or 5432}",
            f"user={_quote(self.user)}",
        ]
        if password:
            target.append(f"password={_quote(str(password))}")
        auth_file = self.workdir / "userlist.txt"
        auth_file.write_text(f'"{self.user}" ""\n')
        ini = self.workdir / "pgbouncer.ini"
        ini.write_text(
            "\n".join(
                [
                    "[databases]",
                    # Any database name is forwarded to the test server under the same name.
                    "* = " + " ".join(target),
                    "",
                    "[pgbouncer]",
                    f"listen_addr = {self.host}",
                    f"listen_port = {self.port}",
                    "unix_socket_dir =",
                    "auth_type = trust",
                    f"auth_file = {auth_file}",
                    f"admin_users = {self.user}",
                    "pool_mode = transaction",
                    f"default_pool_size = {self.pool_size}",
                    f"max_db_connections = {self.pool_size}",
                    "min_pool_size = 0",
                    "reserve_pool_size = 0",
                    f"max_client_conn = {self.max_client_conn}",
                    "log_connections = 0",
                    "log_disconnections = 0",
                    "",
                ]
            )
        )
        return ini

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while True:
            process = self._process
            assert process is not None
            if process.poll() is not None:
                self._process = None
                raise RuntimeError(f"pgbouncer exited with {process.returncode}:\n{self.log()}")
            try:
                self.show("VERSION")
                return
            except psycopg2.OperationalError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise TimeoutError(
                        f"pgbouncer did not accept connections in {self.startup_timeout} s:\n"
                        + self.log()
                    ) from None
                time.sleep(0.05)
