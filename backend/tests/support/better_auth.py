"""A real Better Auth server (npm `better-auth`, pinned in tests/frontend/node), run by Node.

    with BetterAuth(database_url) as better_auth:
        better_auth.url                       # http://127.0.0.1:<port>, also its page's origin
        better_auth.sign_up("ada@example.com")  # a user, with a JWT and a session token

It serves tests/frontend/node/better-auth-server.mjs: Better Auth with its JWT and bearer
plugins on `database_url` (its own tables, created by its migrations on start), and the page
the browser test drives. `make integration-deps` installs its packages (`npm ci`).
"""

import os
import secrets
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.engine import URL

from tests.support.services import StartStop, free_port

NODE_PROJECT = Path(__file__).resolve().parents[1] / "frontend" / "node"
SERVER_SCRIPT = NODE_PROJECT / "better-auth-server.mjs"
PASSWORD = "correct horse battery"


def node_project_installed() -> bool:
    return (NODE_PROJECT / "node_modules" / "better-auth").is_dir()


def libpq_environment(url: URL) -> dict[str, str]:
    """PGHOST, PGPORT... for `url` (a Unix socket folder in `?host=` included), as `pg` reads."""
    host = url.host or str(url.query.get("host", ""))
    values = {
        "PGHOST": host,
        "PGPORT": str(url.port or 5432),
        "PGUSER": url.username or "postgres",
        "PGPASSWORD": url.password or "",
        "PGDATABASE": url.database or "postgres",
    }
    return {name: value for name, value in values.items() if value}


@dataclass(frozen=True)
class SignedUp:
    user_id: str  # Better Auth's id: the JWT's `sub`, what frontends put in the path
    email: str
    jwt: str  # from /api/auth/token (JWT plugin)
    session_token: str  # the bearer plugin's `set-auth-token` (signed form)
    raw_session_token: str  # `session.token`


class BetterAuth(StartStop):
    def __init__(
        self,
        database_url: URL,
        *,
        session_refresh: bool = True,
        rate_limit: int | None = None,
        exempt_get_session: bool = False,
        startup_timeout: float = 60.0,
    ) -> None:
        self.database_url = database_url
        self.session_refresh = session_refresh
        self.rate_limit, self.exempt_get_session = rate_limit, exempt_get_session
        self.startup_timeout = startup_timeout
        self.secret = secrets.token_urlsafe(32)
        self.port = free_port()
        self._process: subprocess.Popen[str] | None = None
        self._output: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def jwks_url(self) -> str:
        return self.url + "/api/auth/jwks"

    def start(self) -> None:
        if not node_project_installed():
            raise RuntimeError(
                f"{NODE_PROJECT}/node_modules is missing: run `make integration-deps` (npm ci)"
            )
        node = shutil.which("node")
        if node is None:
            raise RuntimeError("node is not installed: the integration tier needs Node.js 20+")
        environment = {
            "PATH": os.environ.get("PATH", ""),
            "PORT": str(self.port),
            "BETTER_AUTH_URL": self.url,
            "BETTER_AUTH_SECRET": self.secret,
            "DISABLE_SESSION_REFRESH": "" if self.session_refresh else "1",
            "RATE_LIMIT_MAX": "" if self.rate_limit is None else str(self.rate_limit),
            "EXEMPT_GET_SESSION": "1" if self.exempt_get_session else "",
            **libpq_environment(self.database_url),
        }
        self._output = []
        process = subprocess.Popen(
            [node, str(SERVER_SCRIPT)],
            cwd=NODE_PROJECT,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self._process = process
        threading.Thread(target=self._read_output, args=(process,), daemon=True).start()
        deadline = time.monotonic() + self.startup_timeout
        while not any(line.startswith("ready ") for line in self._output):
            if process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("Better Auth did not start:\n" + self.log())
            time.sleep(0.05)

    def _read_output(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            self._output.append(line)

    def log(self) -> str:
        return "".join(self._output)

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)

    def sign_up(self, email: str) -> SignedUp:
        """A new user, signed in: their ids and tokens, as a frontend gets them."""
        with httpx.Client(base_url=self.url, timeout=30) as http:
            response = http.post(
                "/api/auth/sign-up/email",
                json={"email": email, "password": PASSWORD, "name": email.split("@")[0]},
                headers={"Origin": self.url},
            )
            response.raise_for_status()
            body: dict[str, Any] = response.json()
            session_token = response.headers["set-auth-token"]
            bearer = {"Authorization": f"Bearer {session_token}"}
            jwt = http.get("/api/auth/token", headers=bearer).raise_for_status().json()["token"]
        return SignedUp(body["user"]["id"], email, jwt, session_token, body["token"])

    def sign_out(self, session_token: str) -> None:
        with httpx.Client(base_url=self.url, timeout=30) as http:
            http.post(
                "/api/auth/sign-out",
                headers={"Authorization": f"Bearer {session_token}", "Origin": self.url},
            ).raise_for_status()
