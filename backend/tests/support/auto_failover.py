"""A pg_auto_failover formation of the test's own: a monitor, a primary and a synchronous
standby, each a real `pg_autoctl` keeper with its PostgreSQL 15 on 127.0.0.1.

    with AutoFailoverFormation() as formation:
        formation.uri          # what `pg_autoctl show uri --formation default` prints
        formation.kill(formation.primary())   # SIGKILL of the keeper and its postgres
        formation.wait_for_primary(other)     # the standby, promoted by the monitor

Everything lives in a temporary folder (data directories, the keepers' configuration and
state through XDG_*), on ports picked at start, and is removed afterwards. pg_autoctl and
PostgreSQL refuse to run as root: as root, the keepers run as the system user `postgres`
(Debian's PostgreSQL packages create it). From Debian's postgresql-15-auto-failover and
pg-auto-failover-cli (scripts/integration-deps).

The monitor's health checks are shortened (MONITOR_TIMEOUTS) so that a failover takes
seconds, not the ~45 s of the defaults; docs/ha.md lists both.
"""

import contextlib
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psycopg

from tests.support.services import StartStop, free_port

BACKEND = Path(__file__).resolve().parents[2]
PG_BINDIR = Path("/usr/lib/postgresql/15/bin")
START_TIMEOUT_SECONDS = 120

# pgautofailover.* settings of the monitor (milliseconds; defaults in brackets). A primary is
# declared failed after health_check_max_retries failed checks, each health_check_timeout
# long and health_check_retry_delay apart, and node_considered_unhealthy_timeout since its
# keeper last reported.
MONITOR_TIMEOUTS = {
    "pgautofailover.health_check_period": 1000,  # [5000]
    "pgautofailover.health_check_timeout": 1000,  # [5000]
    "pgautofailover.health_check_max_retries": 1,  # [2]
    "pgautofailover.health_check_retry_delay": 500,  # [2000]
    "pgautofailover.node_considered_unhealthy_timeout": 2000,  # [20000]
    # How long the promoted standby stays read-only, waiting for the old primary to report
    # that it demoted itself (against a split brain); a dead primary never reports, so every
    # unplanned failover waits all of it. Keep it above the keepers' network partition
    # timeout, after which a primary cut off from the monitor and its standby demotes itself.
    "pgautofailover.primary_demote_timeout": 4000,  # [30000]
}
# The keepers' [timeout] settings (seconds), set before they first run.
KEEPER_TIMEOUTS = {"timeout.network_partition_timeout": 2}  # [20]


def migrate(url: str) -> None:
    """`make migrate`'s command, with the formation's URL as an operator would paste it."""
    environment = {**os.environ, "DATABASE_URL": url}
    subprocess.run(
        [sys.executable, "-m", "src.cli.migrate"], cwd=BACKEND, env=environment, check=True
    )


def available() -> str | None:
    """Why a formation cannot be made here, or None when it can."""
    if shutil.which("pg_autoctl") is None:
        return "pg_autoctl is missing (make integration-deps installs pg-auto-failover-cli)"
    if not (PG_BINDIR / "pg_ctl").exists():
        return f"PostgreSQL 15's server binaries are missing from {PG_BINDIR}"
    return None


@dataclass
class Node:
    name: str
    port: int
    pgdata: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def conninfo(self) -> str:
        return (
            f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres connect_timeout=2"
            " client_encoding=utf8"  # the monitor's database is SQL_ASCII: text as str
        )


class AutoFailoverFormation(StartStop):
    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="paf", dir="/tmp"))
        self.monitor = Node("monitor", free_port(), self.root / "monitor")
        self.nodes = [Node(f"node_{i}", free_port(), self.root / f"node{i}") for i in (1, 2)]
        self._user = "postgres" if os.geteuid() == 0 else None

    # -- life cycle -------------------------------------------------------------------------

    def start(self) -> None:
        try:
            self._start()
        except BaseException:  # a half-made formation is removed before the error goes on
            self.stop()
            raise

    def stop(self) -> None:
        for node in [*self.nodes, self.monitor]:
            self.kill(node)
        shutil.rmtree(self.root, ignore_errors=True)

    def _start(self) -> None:
        if self._user is not None:
            entry = pwd.getpwnam(self._user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        self.monitor.process = self._autoctl(
            "create", "monitor", *self._node_options(self.monitor), "--run", log="monitor"
        )
        self._wait(lambda: self._query_monitor("SELECT 1") is not None, "the monitor to start")
        with psycopg.connect(self.monitor.conninfo, autocommit=True) as monitor:
            for name, value in MONITOR_TIMEOUTS.items():
                monitor.execute(f"ALTER SYSTEM SET {name} = {int(value)}")
            monitor.execute("SELECT pg_reload_conf()")
        for node in self.nodes:  # one at a time: the first becomes the primary
            options = [*self._node_options(node), "--name", node.name, "--monitor"]
            self._autoctl("create", "postgres", *options, self.monitor_uri, log=node.name).wait()
            for name, seconds in KEEPER_TIMEOUTS.items():
                config = ["config", "set", "--pgdata", str(node.pgdata), name, str(seconds)]
                self._autoctl(*config, log=node.name).wait()
            node.process = self._autoctl("run", "--pgdata", str(node.pgdata), log=node.name)
            self.wait_until_settled()

    def _node_options(self, node: Node) -> list[str]:
        return [
            *("--pgdata", str(node.pgdata), "--pgport", str(node.port)),
            *("--hostname", "127.0.0.1", "--auth", "trust", "--no-ssl"),
        ]

    def _autoctl(self, *args: str, log: str) -> subprocess.Popen[bytes]:
        environment = {
            "PATH": f"{PG_BINDIR}:{os.environ['PATH']}",
            "PG_CONFIG": str(PG_BINDIR / "pg_config"),
            "XDG_CONFIG_HOME": str(self.root / "config"),
            "XDG_DATA_HOME": str(self.root / "data"),
            "XDG_RUNTIME_DIR": str(self.root / "run"),
            "PGHOST": "127.0.0.1",
        }
        command = ["pg_autoctl", *args]
        if self._user is not None:
            command = ["runuser", "-u", self._user, "--", *command]
        output = (self.root / f"{log}.log").open("ab")
        # A session of its own: kill() signals the keeper and every process it started.
        return subprocess.Popen(
            command, env=environment, stdout=output, stderr=output, start_new_session=True
        )

    # -- what a test reads and does ---------------------------------------------------------

    @property
    def monitor_uri(self) -> str:
        return f"postgres://autoctl_node@127.0.0.1:{self.monitor.port}/pg_auto_failover"

    @property
    def uri(self) -> str:
        """The formation's connection string as `pg_autoctl show uri` prints it (libpq's
        multi-host authority form, read-write), with the user its nodes were made for."""
        return self.uri_with("read-write")

    def uri_with(self, target_session_attrs: str, database: str = "postgres") -> str:
        hosts = ",".join(f"127.0.0.1:{node.port}" for node in self.nodes)
        return f"postgres://postgres@{hosts}/{database}?target_session_attrs={target_session_attrs}"

    def states(self) -> dict[str, tuple[str, str]]:
        """Each node's (reported, assigned) state, as the monitor sees it."""
        rows = self._query_monitor(
            "SELECT nodename, reportedstate::text, goalstate::text FROM pgautofailover.node"
        )
        return {str(name): (str(reported), str(goal)) for name, reported, goal in rows or []}

    def wait_until_settled(self) -> None:
        """Until every started node has reached the state the monitor assigned it, and one
        of them is the primary (alone: `single`)."""

        def settled() -> bool:
            states = self.states()
            started = [node.name for node in self.nodes if node.process is not None]
            return (
                sorted(states) == sorted(started)
                and all(reported == goal for reported, goal in states.values())
                and any(goal in {"single", "primary"} for _, goal in states.values())
                and all(goal in {"single", "primary", "secondary"} for _, goal in states.values())
            )

        self._wait(settled, f"the formation to settle (states: {self.states()})")

    def primary(self) -> Node:
        return next(node for node in self.nodes if self.accepts_writes(node))

    def standby(self) -> Node:
        return next(node for node in self.nodes if node is not self.primary())

    def accepts_writes(self, node: Node) -> bool:
        """What libpq's target_session_attrs=read-write asks: a promoted node stays read-only
        (default_transaction_read_only) until the monitor lets it take writes."""
        try:
            with psycopg.connect(node.conninfo, connect_timeout=1) as connection:
                row = connection.execute("SHOW transaction_read_only").fetchone()
                return row is not None and row[0] == "off"
        except psycopg.OperationalError:
            return False

    def wait_for_primary(self, node: Node, timeout: float = 60, poll: float = 0.02) -> float:
        """Wait until `node` accepts read-write sessions; the time.monotonic() it first did,
        within `poll` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.accepts_writes(node):
                return time.monotonic()
            time.sleep(poll)
        raise TimeoutError(f"{node.name} was not promoted within {timeout} s: {self.states()}")

    def kill(self, node: Node) -> None:
        """SIGKILL of the node's keeper and every process it started (its postgres too), as
        when the machine dies: no shutdown checkpoint, no goodbye to clients."""
        if node.process is not None and node.process.poll() is None:
            os.killpg(node.process.pid, signal.SIGKILL)
            node.process.wait()
        pid_file = node.pgdata / "postmaster.pid"
        if pid_file.exists():  # a postmaster outside the keeper's session, if any
            with contextlib.suppress(ProcessLookupError, ValueError):
                postmaster = int(pid_file.read_text().split()[0])
                # Its children too: the monitor's health-check worker outlives a killed
                # postmaster (seen: it and the logger were still running minutes later).
                for pid in [postmaster, *_children(postmaster)]:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)

    # -- helpers ----------------------------------------------------------------------------

    def _query_monitor(self, sql: str) -> list[tuple[object, ...]] | None:
        conninfo = self.monitor.conninfo.replace("dbname=postgres", "dbname=pg_auto_failover")
        try:
            with psycopg.connect(conninfo, connect_timeout=1) as connection:
                return [tuple(row) for row in connection.execute(sql).fetchall()]
        except psycopg.Error:
            return None

    def _wait(self, done: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            for node in [self.monitor, *self.nodes]:
                if node.process is not None and node.process.poll() is not None:
                    log = (self.root / f"{node.name}.log").read_text(errors="replace")[-2000:]
                    raise RuntimeError(f"pg_autoctl for {node.name} exited:\n{log}")
            if done():
                return
            time.sleep(0.2)
        raise TimeoutError(f"timed out waiting for {what}")


def _children(parent: int) -> list[int]:
    """The processes whose parent is `parent` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                # "pid (comm) state ppid ...": comm may hold spaces, so split after the ')'.
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == parent:
                    found.append(int(entry.name))
    return found
