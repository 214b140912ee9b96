"""A real HTTP server for an ASGI app, in a background thread of the test process.

    with LiveServer(create_app(settings, database_url=url)) as server:
        httpx.get(server.url + "/api/...")
        server.stop()          # connections refused from now on...
        server.start()         # ...and the app is served again, on the same port

Unlike TestClient, requests go through uvicorn and a socket, each handled on uvicorn's event
loop exactly as in production: concurrent requests really overlap. Every start runs the app's
lifespan on that loop (a new connection pool), every stop its shutdown (the pool closed).
The server listens on 127.0.0.1, on a port the OS picks once (kept across stop/start).
"""

import socket
import threading
import time
from collections.abc import Callable
from typing import Any

import uvicorn

from tests.support.services import StartStop


class LiveServer(StartStop):
    """Serves `app` with uvicorn on 127.0.0.1 while started (in a `with` block, or start/stop).

    `startup_timeout` / `shutdown_timeout` only bound the waits so that a broken server fails
    the test instead of hanging it; `config` is passed on to `uvicorn.Config`.
    """

    def __init__(
        self,
        app: Callable[..., Any],
        *,
        startup_timeout: float = 30.0,
        shutdown_timeout: float = 30.0,
        **config: Any,
    ) -> None:
        self.app = app
        self.host = "127.0.0.1"
        self.startup_timeout = startup_timeout
        self.shutdown_timeout = shutdown_timeout
        self._config: dict[str, Any] = {
            "log_level": "warning",
            "access_log": False,
            "lifespan": "on",
            # Test clients reuse a connection after arbitrary pauses; with uvicorn's 5 s
            # default the server may be closing it just as a request goes out ("Server
            # disconnected without sending a response"). Idle connections still close on stop.
            "timeout_keep_alive": 300,
            # In-flight requests get this long to finish when stopping, then are cancelled.
            "timeout_graceful_shutdown": max(1, int(shutdown_timeout / 2)),
            **config,
        }
        self._port = 0
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    # --- lifecycle -------------------------------------------------------------------------

    def start(self) -> None:
        """Bind the socket, start uvicorn in a thread, return once it accepts connections."""
        if self._thread is not None:
            raise RuntimeError("the server is already running")
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self._port))
        except OSError:
            sock.close()
            raise
        self._port = sock.getsockname()[1]

        server = uvicorn.Server(uvicorn.Config(self.app, **self._config))
        self._error = None
        thread = threading.Thread(
            target=self._serve, args=(server, sock), name=f"live-server-{self._port}", daemon=True
        )
        self._server, self._thread = server, thread
        thread.start()

        deadline = time.monotonic() + self.startup_timeout
        while not server.started:
            if not thread.is_alive():
                self._server = self._thread = None
                raise RuntimeError("the server stopped while starting") from self._error
            if time.monotonic() > deadline:
                self.stop()
                raise TimeoutError(f"the server did not start in {self.startup_timeout} s")
            time.sleep(0.01)

    def stop(self) -> None:
        """Stop accepting connections, let in-flight requests finish, run the app's shutdown."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        server.should_exit = True
        thread.join(self.shutdown_timeout)
        if thread.is_alive():
            server.force_exit = True
            thread.join(self.shutdown_timeout)
        self._server = self._thread = None
        if thread.is_alive():
            raise RuntimeError(f"the server did not stop in {2 * self.shutdown_timeout} s")

    def _serve(self, server: uvicorn.Server, sock: socket.socket) -> None:
        try:
            server.run(sockets=[sock])  # uvicorn closes the socket when it shuts down
        except BaseException as exc:  # SystemExit when the app's startup fails
            self._error = exc
        finally:
            sock.close()

    # --- where it is -----------------------------------------------------------------------

    @property
    def port(self) -> int:
        if self._port == 0:
            raise RuntimeError("the server has not been started yet")
        return self._port

    @property
    def url(self) -> str:
        """The base URL, without a trailing slash: `http://127.0.0.1:<port>`."""
        return f"http://{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        return self._server is not None and self._server.started
