"""A PostgreSQL server of the test's own, which the test may stop and start again.

    with RestartablePostgres() as pg:
        upgrade(pg.url, "head")
        pg.stop()      # fast shutdown: sessions are terminated, new connections refused
        pg.start()     # the same data directory and Unix socket: the same URL works again

The server is pgserver's (the wheel behind the embedded development database), in a fresh
data directory under /tmp that is deleted afterwards. It listens on a Unix socket only, in
that directory, so its path must stay short (a socket path is limited to ~100 bytes) and
a stop/start keeps the same URL. As root, pgserver runs postgres as the system user
`pgserver`; pg_ctl is run as whichever user pgserver chose.
"""

import tempfile
from pathlib import Path
from types import TracebackType
from typing import Self

from pgserver import get_server
from pgserver._commands import create_command_function
from pgserver.postgres_server import PostgresServer
from pgserver.utils import PostmasterInfo
from sqlalchemy.engine import URL, make_url

# Bounds on pg_ctl, so that a server that never stops or starts fails the test instead of
# hanging the run.
PG_CTL_TIMEOUT_SECONDS = 60

# pgserver builds its command wrappers at import time (setattr), out of sight of mypy.
pg_ctl = create_command_function("pg_ctl")


class RestartablePostgres:
    def __init__(self) -> None:
        self._server: PostgresServer | None = None
        self._url: URL | None = None

    def __enter__(self) -> Self:
        # mkdtemp(dir="/tmp") rather than pytest's tmp_path: short enough for the socket.
        pgdata = Path(tempfile.mkdtemp(prefix="pgr", dir="/tmp"))
        self._server = get_server(pgdata, cleanup_mode="delete")
        self._url = make_url(self._server.get_uri()).set(
            drivername="postgresql+psycopg2", database="postgres"
        )
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._server is not None:
            self.start()  # pgserver's cleanup stops a running server, then deletes pgdata
            self._server.cleanup()
            self._server = None

    @property
    def server(self) -> PostgresServer:
        if self._server is None:
            raise RuntimeError("the server is not set up; use RestartablePostgres in `with`")
        return self._server

    @property
    def url(self) -> URL:
        """The `postgres` database on this server: a Unix-socket URL, for SQLAlchemy (psycopg2)
        and for the app (`create_app(settings, database_url=pg.url)`)."""
        if self._url is None:
            raise RuntimeError("the server is not set up; use RestartablePostgres in `with`")
        return self._url

    @property
    def running(self) -> bool:
        info = PostmasterInfo.read_from_pgdata(self.server.pgdata)
        return info is not None and info.is_running()

    def stop(self) -> None:
        """Fast shutdown (`pg_ctl stop -m fast`): open sessions are terminated, as when a
        managed database restarts; returns once the server has exited."""
        pg_ctl(
            ["-m", "fast", "-w", "stop"],
            pgdata=self.server.pgdata,
            user=self.server.system_user,
            timeout=PG_CTL_TIMEOUT_SECONDS,
        )

    def start(self) -> None:
        """Start it again exactly as pgserver first did (same options, same socket
        directory); returns once it accepts connections. No-op when already running."""
        if not self.running:
            self.server.ensure_postgres_running()
