"""A real NATS server with JetStream (Debian's nats-server, scripts/integration-deps), of the
test's own, so that a test may stop the broker and start it again on the same port and store.

    with NatsServer(tmp_path) as nats:
        nats.url            # nats://127.0.0.1:<port>
        nats.stop()         # connections refused, as when the broker is down...
        nats.start()        # ...and back, with the streams it had stored
"""

import asyncio
import shutil
import socket
import subprocess
import time
from pathlib import Path

import nats

from tests.support.services import StartStop, free_port

BINARY = shutil.which("nats-server") or "/usr/sbin/nats-server"


class NatsServer(StartStop):
    def __init__(self, store: Path) -> None:
        self.store = store
        self.port = free_port()
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self) -> None:
        if not Path(BINARY).exists():
            raise RuntimeError("nats-server is missing: run `make integration-deps`")
        self._process = subprocess.Popen(
            [BINARY, "-a", "127.0.0.1", "-p", str(self.port), "-js", "-sd", str(self.store)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"nats-server did not listen on {self.port}")

    def wait_for_stream(self, name: str, timeout: float = 30) -> None:
        """Until JetStream has the stream `name` (the relay creates it when it starts)."""

        async def exists() -> bool:
            client = await nats.connect(self.url)
            try:
                await client.jetstream().stream_info(name)
                return True
            except nats.js.errors.NotFoundError:
                return False
            finally:
                await client.close()

        deadline = time.monotonic() + timeout
        while not asyncio.run(exists()):
            if time.monotonic() > deadline:
                raise RuntimeError(f"no stream {name} after {timeout} s")
            time.sleep(0.1)

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(timeout=20)
            self._process = None
