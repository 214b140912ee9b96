#!/usr/bin/env python3
"""The API's own CPU per request, without HTTP: ASGI calls straight into the app, in-process.

    backend/.venv/bin/python bench/inprocess.py                    # get, list50, create
    backend/.venv/bin/python bench/inprocess.py --scenarios get --profile 25
    backend/.venv/bin/python bench/inprocess.py --scenarios bare --access-log   # + JSON log line
    backend/.venv/bin/python bench/inprocess.py --scenarios create,create-key,put,put-key

No server, socket or load generator shares the CPU, so the figure (user + system CPU of this
process per request, the best of --rounds rounds, 8 requests in flight) moves by a few
percent between runs where the wrk matrix moves by tens: it is how each lever in
docs/performance.md was measured before it was kept. The database work happens in
PostgreSQL's processes and is not counted. It uses the benchmark's database (taskapi_bench on
the embedded server, or DATABASE_URL's server), migrated and seeded with 1,000 tasks.
"""

import argparse
import asyncio
import cProfile
import itertools
import os
import pstats
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

from driver.layout import HEAVY_INDEX, REPO_ROOT, Layout, user_uuid

sys.path.insert(0, str(REPO_ROOT / "backend"))

from driver.database import BenchDatabase
from driver.scenarios import new_secret, sign_token

CONCURRENCY = 8
TASKS = 1_000
BODY = b'{"title": "Buy milk", "description": "2 litres"}'
PUT_BODY = b'{"title": "Buy milk", "description": "2 litres", "is_completed": true}'


# A scenario: makes one request's (ASGI scope, body).
Maker = Callable[[], tuple[dict[str, Any], bytes]]


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


_KEYS = itertools.count()


def http_scope(
    method: str, path: str, query: bytes, token: str, body: bytes, keyed: bool = False
) -> dict[str, Any]:
    headers = [(b"host", b"bench"), (b"authorization", f"Bearer {token}".encode())]
    if keyed:  # an Idempotency-Key of its own
        headers.append((b"idempotency-key", b'"inprocess-%d-%d"' % (os.getpid(), next(_KEYS))))
    if body:
        headers += [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 80),
    }


def scenarios(layout: Layout, secret: str) -> dict[str, Maker]:
    """Each scenario makes one request: (ASGI scope, body)."""
    heavy = user_uuid(HEAVY_INDEX)
    heavy_token = sign_token(secret, HEAVY_INDEX)
    task_id = layout.stride  # the heavy user's first task
    owner_token = sign_token(secret, 1)
    return {
        "bare": lambda: (http_scope("GET", "/bench/bare", b"", heavy_token, b""), b""),
        "get": lambda: (
            http_scope("GET", f"/api/{heavy}/tasks/{task_id}", b"", heavy_token, b""),
            b"",
        ),
        "list50": lambda: (
            http_scope("GET", f"/api/{heavy}/tasks", b"limit=50", heavy_token, b""),
            b"",
        ),
        "create": lambda: (
            http_scope("POST", f"/api/{user_uuid(1)}/tasks", b"", owner_token, BODY),
            BODY,
        ),
        "create-key": lambda: (
            http_scope("POST", f"/api/{user_uuid(1)}/tasks", b"", owner_token, BODY, True),
            BODY,
        ),
        "put": lambda: (
            http_scope("PUT", f"/api/{heavy}/tasks/{task_id}", b"", heavy_token, PUT_BODY),
            PUT_BODY,
        ),
        "put-key": lambda: (
            http_scope("PUT", f"/api/{heavy}/tasks/{task_id}", b"", heavy_token, PUT_BODY, True),
            PUT_BODY,
        ),
    }


async def call(app: Any, scope: dict[str, Any], body: bytes) -> int:
    status = 0

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app({**scope, "state": {}}, receive, send)
    return status


async def measure(
    app: Any, make: Callable[[], tuple[dict[str, Any], bytes]], requests: int
) -> float:
    async def worker(count: int) -> None:
        for _ in range(count):
            status = await call(app, *make())
            if status >= 400:
                raise SystemExit(f"the scenario answered {status}")

    started = cpu_seconds()
    await asyncio.gather(*[worker(requests // CONCURRENCY) for _ in range(CONCURRENCY)])
    return (cpu_seconds() - started) / requests * 1e6


async def run(args: argparse.Namespace, url: str, secret: str, layout: Layout) -> None:
    os.environ.update(
        DATABASE_URL=url,
        JWT_SECRET=secret,
        LOG_LEVEL="INFO" if args.access_log else "WARNING",
        LOG_FORMAT="json",
        APP_ENV="development",
        # Metrics in memory-mapped files, as scripts/serve runs them (set before the import).
        PROMETHEUS_MULTIPROC_DIR=tempfile.mkdtemp(prefix="task-api-metrics."),
    )
    from src.core.logs import configure_logging
    from src.core.settings import Settings
    from src.main import create_app

    settings = Settings(_env_file=None)
    configure_logging(settings.log_level, settings.effective_log_format)
    app = create_app(settings)

    async def bare() -> dict[str, str]:  # bench/bare_app.py's endpoint
        return {"service": "task-api", "status": "ok"}

    app.add_api_route("/bench/bare", bare, methods=["GET"], include_in_schema=False)
    app.router.routes.insert(0, app.router.routes.pop())
    if args.access_log:  # one JSON line per request, written as to a server's stdout
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115
    makers = scenarios(layout, secret)
    async with app.router.lifespan_context(app):
        for name in args.scenarios.split(","):
            await measure(app, makers[name], 400)  # warm-up: pool, caches, prepared statements
            rounds = [await measure(app, makers[name], args.requests) for _ in range(args.rounds)]
            print(
                f"{name:8} {min(rounds):7.1f} µs/request  (rounds: {[round(r) for r in rounds]})",
                file=sys.__stdout__,
            )
            if args.profile:
                profiler = cProfile.Profile()
                profiler.enable()
                await measure(app, makers[name], args.requests)
                profiler.disable()
                stats = pstats.Stats(profiler, stream=sys.__stdout__)
                stats.sort_stats("tottime").print_stats(args.profile)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", default="get,list50,create")
    parser.add_argument("--requests", type=int, default=2000, help="per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", type=int, default=0, help="print the N costliest functions")
    parser.add_argument(
        "--access-log", action="store_true", help="LOG_LEVEL=INFO: an access log line per request"
    )
    args = parser.parse_args()

    db = BenchDatabase.create(REPO_ROOT / "backend")
    db.migrate()
    layout = Layout(TASKS)
    if not db.holds(layout):
        db.seed(layout)
    secret = new_secret()
    import uvloop  # what scripts/serve runs

    started = time.monotonic()
    uvloop.run(run(args, db.uri, secret, layout))
    print(f"({time.monotonic() - started:.0f} s; created tasks stay until the next seed)")


if __name__ == "__main__":
    main()
