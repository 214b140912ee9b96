"""Runs scripts/serve, the production serving command, as a real subprocess for tests."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy.engine import URL

from tests.support.api_users import TEST_SECRET
from tests.support.services import free_port

SERVE = Path(__file__).resolve().parents[3] / "scripts" / "serve"


@dataclass
class ServedApp:
    process: subprocess.Popen[bytes]
    url: str

    def terminate(self) -> None:
        self.process.send_signal(signal.SIGTERM)


@contextmanager
def production_server(database_url: URL | str, workers: int, **env: str) -> Iterator[ServedApp]:
    port = free_port()
    environment = {
        **os.environ,
        "VENV_BIN": str(Path(sys.executable).parent),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WORKERS": str(workers),
        "APP_ENV": "test",
        "LOG_LEVEL": "WARNING",
        "DATABASE_URL": (
            database_url
            if isinstance(database_url, str)
            else database_url.render_as_string(hide_password=False)
        ),
        "JWT_SECRET": TEST_SECRET,
        "CURSOR_SECRET": "cursor-secret-for-the-suite-only-0123456789",
        **env,
    }
    process = subprocess.Popen([str(SERVE)], env=environment, start_new_session=True)
    served = ServedApp(process, f"http://127.0.0.1:{port}")
    try:
        _wait_until_ready(served)
        yield served
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _wait_until_ready(served: ServedApp, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if served.process.poll() is not None:
            raise RuntimeError(f"scripts/serve exited with {served.process.returncode}")
        try:
            if httpx.get(served.url + "/readyz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError("scripts/serve did not become ready")
