"""The API, started with the production serving command (scripts/serve) and stopped again."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import TracebackType

from driver.layout import BENCH_DIR

BARE_PATH = "/bench/bare"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_environment(database_uri: str, jwt_secret: str, cursor_secret: str) -> dict[str, str]:
    """What the benchmark sets for the API (on top of the caller's environment). Empty values
    switch off what .env may configure and the benchmark must not depend on."""
    return {
        "APP_ENV": "development",
        "LOG_LEVEL": "WARNING",
        "DATABASE_URL": database_uri,
        "JWT_SECRET": jwt_secret,
        "CURSOR_SECRET": cursor_secret,
        "JWT_JWKS_URL": "",
        "JWT_ISSUER": "",
        "JWT_AUDIENCE": "",
        "RATE_LIMIT_PER_MINUTE": "",
    }


class Server:
    """`scripts/serve` of `repo` with WORKERS workers on a free loopback port, serving `app`:
    bench/bare_app.py (the API plus /bench/bare) unless told otherwise."""

    def __init__(
        self,
        repo: Path,
        workers: int,
        env: dict[str, str],
        log: Path,
        app: str = "bare_app:app",
    ) -> None:
        self.repo = repo
        self.workers = workers
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.env = {
            **os.environ,
            **env,
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "WORKERS": str(workers),
            "APP": app,
            "PYTHONPATH": str(BENCH_DIR),
        }
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> "Server":
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [str(self.repo / "scripts" / "serve")],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait_ready()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)  # the group this Popen started, only
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def _wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                sys.exit(f"the server exited ({self.process.returncode}); see {self.log}")
            if len(self.worker_pids()) == self.workers and self._answers():
                time.sleep(1.0)  # let the other workers finish their start-up too
                return
            time.sleep(0.2)
        self.stop()
        sys.exit(f"the server did not answer {BARE_PATH} within {timeout:.0f} s; see {self.log}")

    def _answers(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + BARE_PATH, timeout=2) as response:
                return bool(response.status == 200)
        except OSError:
            return False

    def worker_pids(self) -> list[int]:
        """The uvicorn worker processes: children of the master (scripts/serve execs it), or
        the master itself with one worker (uvicorn then serves in-process)."""
        assert self.process is not None
        if self.workers == 1:
            return [self.process.pid]
        return [pid for pid in _children(self.process.pid) if b"spawn_main" in _cmdline(pid)]


def _children(parent: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # "pid (comm) state ppid ...": comm may hold spaces, so split after the ')'.
            if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
                pids.append(int(entry.name))
    return sorted(pids)


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_times(pids: list[int]) -> dict[int, float]:
    """User + system CPU seconds each process has used so far."""
    times = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        times[pid] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime
    return times


def cpu_used(before: dict[int, float], pids: list[int]) -> float:
    """CPU seconds `pids` used since `before` (a process absent from it started since)."""
    return sum(now - before.get(pid, 0.0) for pid, now in cpu_times(pids).items())


def rss_mib(pid: int) -> float:
    """Resident memory of a process, MiB (VmRSS)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")
