"""The API through pgbouncer in transaction pooling mode (integration tier: make test-integration).

Debian's pgbouncer (1.18) runs in front of a fresh migrated database with a pool of 5 server
connections, fewer than the app's own psycopg pool (10 + 5 overflow) opens to it: each of
the app's connections gets a server connection only for the length of a transaction. The
app is served by uvicorn (LiveServer) and driven over HTTP, concurrently, through its core
paths; pgbouncer's admin console shows that the traffic went through it and was pooled.

Behind it the app runs with DB_PREPARED_STATEMENTS=false, as docs/pooling.md says it must:
pgbouncer < 1.21 does not track named prepared statements, and one test shows what happens
with them on (psycopg prepares a query after its 5th execution on a connection).

The last tests measure what transaction pooling does to src/db/pool.py's per-connection
`SET statement_timeout` (see docs/pooling.md) and check the setting that does survive it.
"""

import asyncio
import logging
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import httpx
import psycopg
import pytest
from psycopg.errors import QueryCanceled
from sqlalchemy import Engine, create_engine, pool, text
from sqlalchemy.engine import URL

from src.core.settings import Settings
from src.db.pool import Connection, Pool, checkin, checkout, create_db_pool
from src.db.session import open_session
from src.main import create_app
from tests.support.api_users import ApiUser, make_user
from tests.support.databases import Databases
from tests.support.db import sql
from tests.support.live_server import LiveServer
from tests.support.pgbouncer import PgBouncer

pytestmark = pytest.mark.integration

T = TypeVar("T")
POOL_SIZE = 5  # pgbouncer's server connections for the database
WAIT = 60.0  # seconds: a bound against hangs, never an expectation of speed


@pytest.fixture
def database(databases: Databases, migrated_template: URL) -> Iterator[URL]:
    """A fresh migrated database on the test server (direct URL, not through pgbouncer)."""
    url = databases.create(template=migrated_template)
    yield url
    databases.drop(url)


@pytest.fixture
def direct(database: URL) -> Iterator[Engine]:
    """The database without pgbouncer in between: to check what the API really stored."""
    engine = create_engine(database, poolclass=pool.NullPool)
    yield engine
    engine.dispose()


@pytest.fixture
def bouncer(databases: Databases, tmp_path: Path) -> Iterator[PgBouncer]:
    with PgBouncer(databases.server_url, tmp_path / "pgbouncer", pool_size=POOL_SIZE) as running:
        yield running


def pooled_settings(settings: Settings, **overrides: Any) -> Settings:
    """One worker's pool, larger than pgbouncer's: 10 connections plus 5 of overflow; no
    named prepared statements, which pgbouncer 1.18 cannot pool (docs/pooling.md)."""
    return settings.model_copy(
        update={
            "db_pool_size": 10,
            "db_max_overflow": 5,
            "db_prepared_statements": False,
            **overrides,
        }
    )


@pytest.fixture
def app_url(bouncer: PgBouncer, database: URL) -> URL:
    """The app's DATABASE_URL: the test database, through pgbouncer."""
    assert database.database is not None
    return bouncer.url(database.database)


class AppPool:
    """The pool the app builds in production (src/db/pool.py), open on an event loop of its own,
    for the tests that look at connections rather than requests. Sync code calls `run`."""

    def __init__(self, url: URL, settings: Settings) -> None:
        self._runner = asyncio.Runner()
        self.pool: Pool = create_db_pool(url, settings)
        self.run(self.pool.open(wait=True, timeout=WAIT))

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return self._runner.run(coroutine)

    async def _show_statement_timeout(self) -> str:
        async with open_session(self.pool) as session:  # a request's session
            row = await session.fetch_one(sql("SHOW statement_timeout"))
        assert row is not None
        return str(row["statement_timeout"])

    def show_statement_timeout(self) -> str:
        return self.run(self._show_statement_timeout())

    def show_statement_timeout_concurrently(self, sessions: int) -> list[str]:
        """`sessions` sessions at once, each on its own pooled connection."""

        async def sample() -> list[str]:
            return list(
                await asyncio.gather(*(self._show_statement_timeout() for _ in range(sessions)))
            )

        return self.run(sample())

    def close(self) -> None:
        try:
            self.run(self.pool.close())
        finally:
            self._runner.close()


@contextmanager
def app_pool(url: URL, settings: Settings) -> Iterator[AppPool]:
    opened = AppPool(url, settings)
    try:
        yield opened
    finally:
        opened.close()


def simultaneously(calls: list[Callable[[], T]]) -> list[T]:
    """Run every call on its own thread, all released at once; results in call order."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], T]) -> T:
        barrier.wait(timeout=WAIT)
        return call()

    with ThreadPoolExecutor(len(calls)) as executor:
        futures = [executor.submit(run, call) for call in calls]
        return [future.result(timeout=WAIT) for future in futures]


async def _gather(coroutines: list[Coroutine[Any, Any, T]]) -> list[T]:
    return list(await asyncio.gather(*coroutines))


def gather(coroutines: Any) -> Coroutine[Any, Any, list[Any]]:
    """One coroutine running `coroutines` concurrently, for AppPool.run."""
    return _gather(list(coroutines))


class PoolWatcher:
    """Samples pgbouncer's SHOW POOLS for one database in the background: the most client
    and server connections seen at once."""

    def __init__(self, bouncer: PgBouncer, database: str) -> None:
        self.bouncer, self.database = bouncer, database
        self.max_clients = self.max_servers = self.max_waiting = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "PoolWatcher":
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(WAIT)
        self._sample()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            time.sleep(0.005)

    def _sample(self) -> None:
        row = next(
            (row for row in self.bouncer.show("POOLS") if row["database"] == self.database), None
        )
        if row is None:
            return
        self.max_clients = max(self.max_clients, row["cl_active"] + row["cl_waiting"])
        self.max_waiting = max(self.max_waiting, row["cl_waiting"])
        self.max_servers = max(self.max_servers, server_connections(row))


def server_connections(pool_row: dict[str, Any]) -> int:
    return int(
        sum(pool_row[key] for key in ("sv_active", "sv_idle", "sv_used", "sv_tested", "sv_login"))
    )


def next_link(response: httpx.Response) -> str | None:
    link = response.headers.get("link")
    if link is None:
        return None
    match = re.fullmatch(r'<([^>]+)>; rel="next"', link)
    assert match, link
    return match[1]


def create(http: httpx.Client, user: ApiUser, title: str) -> dict[str, Any]:
    response = http.post(user.tasks_url, json={"title": title}, headers=user.headers)
    assert response.status_code == 201, response.text
    assert response.headers["location"].endswith(f"{user.tasks_url}/{response.json()['id']}")
    task: dict[str, Any] = response.json()
    return task


def creator(http: httpx.Client, user: ApiUser, n: int) -> Callable[[], list[dict[str, Any]]]:
    """A thread's work: three creates in a row."""
    return lambda: [create(http, user, f"task {n}-{i}") for i in range(3)]


def test_core_paths_through_pgbouncer_in_transaction_mode(
    settings: Settings,
    bouncer: PgBouncer,
    database: URL,
    app_url: URL,
    direct: Engine,
) -> None:
    assert database.database is not None
    name = database.database
    user, other = make_user(), make_user()
    before = {row["database"]: row for row in bouncer.show("STATS")}.get(name)
    assert before is None or before["total_xact_count"] == 0

    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    with (
        LiveServer(create_app(pooled_settings(settings), database_url=app_url)) as server,
        httpx.Client(base_url=server.url, timeout=WAIT, limits=limits) as http,
    ):
        # users/me provisions the caller.
        me = http.get("/api/users/me", headers=user.headers)
        assert me.status_code == 200, me.text
        assert me.json()["id"] == str(user.user_id)
        assert me.json()["email"] == user.email

        # Concurrent creates: 10 threads at once, 3 tasks each, plus another user's task.
        with PoolWatcher(bouncer, name) as watcher:
            created = simultaneously([creator(http, user, n) for n in range(10)])
        tasks = [task for batch in created for task in batch]
        ids = {task["id"] for task in tasks}
        assert len(ids) == 30
        assert {task["title"] for task in tasks} == {
            f"task {n}-{i}" for n in range(10) for i in range(3)
        }
        create(http, other, "not yours")

        # List, 7 per page, following the Link header to the end.
        response = http.get(user.tasks_url, params={"limit": 7}, headers=user.headers)
        pages = []
        while True:
            assert response.status_code == 200, response.text
            assert response.headers["x-total-count"] == "30"
            pages.append([task["id"] for task in response.json()])
            url = next_link(response)
            if url is None:
                break
            response = http.get(url, headers=user.headers)
        assert [len(page) for page in pages] == [7, 7, 7, 7, 2]
        listed = [task_id for page in pages for task_id in page]
        assert sorted(listed) == sorted(ids)  # each task exactly once

        # Read with ETag, then If-None-Match: 304.
        task_id = tasks[0]["id"]
        url = user.task_url(task_id)
        read = http.get(url, headers=user.headers)
        assert read.status_code == 200
        etag = read.headers["etag"]
        not_modified = http.get(url, headers={**user.headers, "If-None-Match": etag})
        assert not_modified.status_code == 304
        assert not_modified.headers["etag"] == etag

        # PUT with If-Match: 200 with the current ETag, 412 with the old one afterwards.
        body = {"title": "replaced", "description": "through pgbouncer", "is_completed": False}
        replaced = http.put(url, json=body, headers={**user.headers, "If-Match": etag})
        assert replaced.status_code == 200, replaced.text
        assert replaced.json()["title"] == "replaced"
        assert replaced.headers["etag"] != etag
        stale = http.put(url, json={"title": "lost"}, headers={**user.headers, "If-Match": etag})
        assert stale.status_code == 412, stale.text

        # PATCH, then toggle completion both ways.
        patched = http.patch(url, json={"description": None}, headers=user.headers)
        assert patched.status_code == 200, patched.text
        assert patched.json()["description"] is None
        assert patched.json()["title"] == "replaced"
        for state in (True, False, True):
            toggled = http.patch(
                f"{url}/complete", json={"is_completed": state}, headers=user.headers
            )
            assert toggled.status_code == 200, toggled.text
            assert toggled.json()["is_completed"] is state

        # Another user's task stays out of reach.
        assert http.get(url, headers=other.headers).status_code in (403, 404)
        assert http.get(other.task_url(task_id), headers=other.headers).status_code == 404

        # DELETE, then gone.
        deleted_id = tasks[1]["id"]
        assert http.delete(user.task_url(deleted_id), headers=user.headers).status_code == 204
        assert http.get(user.task_url(deleted_id), headers=user.headers).status_code == 404

        # Concurrent reads of the whole list while the watcher looks at the pools.
        with PoolWatcher(bouncer, name) as readers:
            lists = simultaneously(
                [lambda: http.get(user.tasks_url, params={"limit": 50}, headers=user.headers)] * 12
            )
        assert {len(r.json()) for r in lists} == {29}
        assert {r.status_code for r in lists} == {200}

    # What the API stored, read without pgbouncer.
    with direct.connect() as conn:
        rows = conn.execute(
            text("SELECT id, title, description, is_completed FROM tasks WHERE user_id = :u"),
            {"u": user.user_id},
        ).all()
    assert len(rows) == 29
    assert deleted_id not in {row.id for row in rows}
    assert [(r.title, r.description, r.is_completed) for r in rows if r.id == task_id] == [
        ("replaced", None, True)
    ]

    # pgbouncer was in the path, and pooled: never more than POOL_SIZE server connections,
    # while the app had more client connections open to it.
    stats = {row["database"]: row for row in bouncer.show("STATS")}[name]
    print(
        f"pgbouncer STATS {name}: {stats['total_xact_count']} transactions, "
        f"{stats['total_query_count']} queries; peak clients {watcher.max_clients} "
        f"(waiting {watcher.max_waiting}) / servers {watcher.max_servers} during the creates, "
        f"{readers.max_clients} / {readers.max_servers} during the reads"
    )
    assert stats["total_xact_count"] >= 50
    assert max(watcher.max_servers, readers.max_servers) <= POOL_SIZE
    assert max(watcher.max_clients, readers.max_clients) > POOL_SIZE
    assert server_connections(bouncer.pool(name)) <= POOL_SIZE


def test_more_client_connections_than_server_connections(
    settings: Settings, bouncer: PgBouncer, database: URL, app_url: URL, direct: Engine
) -> None:
    """Deterministic form of the pooling check: 12 of the app's pooled connections checked out
    at once, each running transactions, with at most 5 server connections behind them."""
    assert database.database is not None

    async def select_one(connection: Connection) -> Any:
        cursor = await connection.execute("SELECT 1 AS one")
        row = await cursor.fetchone()
        return None if row is None else row["one"]

    with app_pool(app_url, pooled_settings(settings)) as app:
        connections = app.run(gather(checkout(app.pool) for _ in range(12)))
        try:
            for _ in range(3):  # autocommit: each statement is a transaction
                assert app.run(gather(select_one(c) for c in connections)) == [1] * 12
            pool_row = bouncer.pool(database.database)
            with direct.connect() as conn:
                backends = conn.execute(
                    text("SELECT count(*) FROM pg_stat_activity WHERE datname = :d"),
                    {"d": database.database},
                ).scalar()
        finally:
            app.run(gather(checkin(app.pool, c) for c in connections))

    assert pool_row["cl_active"] + pool_row["cl_waiting"] >= 12
    assert server_connections(pool_row) <= POOL_SIZE
    assert backends is not None
    assert backends <= POOL_SIZE + 1  # + the direct connection


# --- prepared statements under transaction pooling -----------------------------------------

REPEATS = 40  # requests per thread: far past psycopg's threshold of 5 executions per query


def repeated_requests(url: str, users: list[ApiUser]) -> Counter[int | str]:
    """Each user creates, reads and lists over and over, all users at once, so that each of
    the app's connections runs each query many times: how many responses of each status
    (or "no response": uvicorn closes the connection of a request that raised)."""

    def work(user: ApiUser) -> list[int | str]:
        outcomes: list[int | str] = []
        with httpx.Client(base_url=url, timeout=WAIT) as http:

            def send(method: str, path: str, **kwargs: Any) -> httpx.Response | None:
                try:
                    response = http.request(method, path, headers=user.headers, **kwargs)
                except httpx.TransportError:
                    outcomes.append("no response")
                    return None
                outcomes.append(response.status_code)
                return response

            for i in range(REPEATS):
                created = send("POST", user.tasks_url, json={"title": f"t{i}"})
                if created is not None and created.status_code == 201:
                    send("GET", user.task_url(created.json()["id"]))
                send("GET", user.tasks_url, params={"limit": 5})
        return outcomes

    results = simultaneously([partial(work, user) for user in users])
    return Counter(outcome for outcomes in results for outcome in outcomes)


@pytest.mark.parametrize("prepared", [False, True], ids=["prepared-off", "prepared-on"])
def test_prepared_statements_fail_behind_transaction_pooling(
    settings: Settings,
    app_url: URL,
    direct: Engine,
    prepared: bool,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Why the app runs with DB_PREPARED_STATEMENTS=false behind pgbouncer 1.18. psycopg
    prepares a query as `_pg3_<n>` on the server connection that ran it, after its 5th
    execution on a client connection; in transaction mode the next execution of that client
    connection may land on another server connection, where `_pg3_<n>` does not exist, or is
    another client's statement. With prepared statements off, the same load is served."""
    users = [make_user() for _ in range(8)]
    app = create_app(
        pooled_settings(settings, db_prepared_statements=prepared), database_url=app_url
    )
    with caplog.at_level(logging.WARNING, logger="src"), LiveServer(app) as server:
        statuses = repeated_requests(server.url, users)
    # 500s: the exception, logged with its traceback; 503s: its class name, in the message.
    unhandled = [
        record.exc_info[1]
        for record in caplog.records
        if record.exc_info and record.exc_info[1] is not None
    ]
    unavailable = [
        record.getMessage().rsplit(": ", 1)[-1]
        for record in caplog.records
        if record.getMessage().startswith("database unavailable on")
    ]
    errors = Counter(type(exc).__name__ for exc in unhandled) + Counter(unavailable)
    print(
        f"\nprepared statements {'on' if prepared else 'off'} behind pgbouncer 1.18: "
        f"{dict(statuses)}; errors {dict(errors)}"
    )

    with direct.connect() as conn:
        stored = conn.execute(text("SELECT count(*) FROM tasks")).scalar()
    if not prepared:
        assert set(statuses) == {200, 201}, statuses
        assert statuses[201] == len(users) * REPEATS == stored
        assert not errors
        return
    failed = sum(n for status, n in statuses.items() if status not in (200, 201))
    assert failed > 0, f"prepared statements worked through pgbouncer 1.18: {statuses}"
    assert set(statuses) <= {200, 201, 500, 503, "no response"}, statuses
    # Errors of the database, about prepared statements: a name missing on the server
    # connection the query landed on, or taken there by another client's statement. (The
    # other errors come from running another client's statement with this one's parameters.)
    assert all(isinstance(exc, psycopg.Error) for exc in unhandled), unhandled
    assert errors["InvalidSqlStatementName"] + errors["DuplicatePreparedStatement"] > 0, errors
    assert statuses[201] == stored  # what the app acknowledged, and no more


# --- statement_timeout under transaction pooling ------------------------------------------


def show_statement_timeout(engine: Engine) -> str:
    with engine.connect() as conn:
        value = conn.execute(text("SHOW statement_timeout")).scalar()
    return str(value)


def plain_client(bouncer: PgBouncer, database: str) -> Engine:
    """Another client of the same pool, which never sets statement_timeout itself."""
    return create_engine(bouncer.url(database), poolclass=pool.NullPool)


def test_the_per_connection_statement_timeout_is_not_reliable_through_pgbouncer(
    settings: Settings, databases: Databases, database: URL, tmp_path: Path
) -> None:
    """src/db/pool.py runs `SET statement_timeout` once per new connection. In transaction mode
    that session setting stays on whichever server connection ran it: it leaks to other
    clients of the pool, and a client whose server connection is replaced loses it. With a
    pool of one server connection, both are deterministic."""
    assert database.database is not None
    name = database.database
    with (
        PgBouncer(databases.server_url, tmp_path / "pgbouncer", pool_size=1) as bouncer,
        app_pool(bouncer.url(name), pooled_settings(settings, db_statement_timeout_ms=250)) as app,
    ):
        other = plain_client(bouncer, name)
        try:
            # The app's configure hook ran on the only server connection: the app sees its
            # limit...
            assert [app.show_statement_timeout() for _ in range(5)] == ["250ms"] * 5
            # ...and so does a client that never asked for it (leak).
            assert show_statement_timeout(other) == "250ms"

            # pgbouncer replaces its server connections (server_lifetime, a server restart,
            # RECONNECT): the app's pooled connections keep going without the limit.
            bouncer.reconnect(name)
            measured = [app.show_statement_timeout() for _ in range(5)]
            print(f"SHOW statement_timeout via the app's pool after RECONNECT: {measured}")
            assert measured == ["0"] * 5

            async def sleep() -> None:  # would be cancelled after 250 ms if the limit held
                async with open_session(app.pool) as session:
                    await session.execute(sql("SELECT pg_sleep(0.6)"))

            app.run(sleep())
        finally:
            other.dispose()


def test_statement_timeout_measured_through_a_pool_of_five(
    settings: Settings, bouncer: PgBouncer, database: URL, app_url: URL
) -> None:
    """What the app actually gets with the default DB_STATEMENT_TIMEOUT_MS=5000 through a
    pool of 5: recorded (printed) for docs/pooling.md; only the possible values are asserted."""
    assert database.database is not None
    with app_pool(app_url, pooled_settings(settings)) as app:

        def sample() -> list[str]:
            return app.show_statement_timeout_concurrently(10)

        first = Counter(sample() + sample() + sample())
        bouncer.reconnect(database.database)
        after_reconnect = Counter(sample() + sample() + sample())
    print(
        f"SHOW statement_timeout via the app's pool through pgbouncer (pool {POOL_SIZE}): "
        f"{dict(first)}; after RECONNECT: {dict(after_reconnect)}"
    )
    assert set(first) | set(after_reconnect) <= {"5s", "0"}
    assert after_reconnect["0"] > 0  # new server connections never got the SET


def test_a_database_level_statement_timeout_holds_through_pgbouncer(
    bouncer: PgBouncer, database: URL, app_url: URL, direct: Engine, settings: Settings
) -> None:
    """The setting docs/pooling.md recommends for pooled set-ups: stored in the catalog
    (ALTER ROLE / ALTER DATABASE ... SET), applied by PostgreSQL to every new server
    connection, whoever opened it. (The suite alters the throw-away database rather than
    the role, which other test databases share.)"""
    assert database.database is not None
    name = database.database
    with direct.connect() as conn:
        conn.execute(text(f'ALTER DATABASE "{name}" SET statement_timeout = 250'))
        conn.commit()
    bouncer.reconnect(name)
    other = plain_client(bouncer, name)
    try:
        with app_pool(app_url, pooled_settings(settings, db_statement_timeout_ms=0)) as app:
            values = app.show_statement_timeout_concurrently(10)
            assert set(values) == {"250ms"}
            assert show_statement_timeout(other) == "250ms"

            async def sleep() -> None:
                async with open_session(app.pool) as session:
                    await session.execute(sql("SELECT pg_sleep(2)"))

            with pytest.raises(QueryCanceled) as raised:
                app.run(sleep())
        assert raised.value.sqlstate == "57014"  # query_canceled
    finally:
        other.dispose()


def test_pgbouncer_support_reports_its_pool_settings(bouncer: PgBouncer) -> None:
    config = {row["key"]: row["value"] for row in bouncer.show("CONFIG")}
    assert config["pool_mode"] == "transaction"
    assert config["default_pool_size"] == str(POOL_SIZE)
    assert config["listen_addr"] == "127.0.0.1"
    assert bouncer.url("x") == URL.create(
        "postgresql+psycopg2",
        username=bouncer.user,
        host="127.0.0.1",
        port=bouncer.port,
        database="x",
    )


def test_keyed_writes_and_sync_through_pgbouncer(
    settings: Settings, bouncer: PgBouncer, app_url: URL, direct: Engine
) -> None:
    """An Idempotency-Key's write sends BEGIN with its claim and its stored response with the
    COMMIT (psycopg's pipeline mode): through transaction pooling, 20 concurrent POSTs with
    one key still make one task, a retry replays, and a sync sees the task."""
    user = make_user()
    limits = httpx.Limits(max_connections=32, max_keepalive_connections=32)
    with (
        LiveServer(create_app(pooled_settings(settings), database_url=app_url)) as server,
        httpx.Client(base_url=server.url, timeout=WAIT, limits=limits) as http,
    ):
        http.get("/api/users/me", headers=user.headers)
        headers = {**user.headers, "Idempotency-Key": '"through-pgbouncer"'}
        responses = simultaneously(
            [lambda: http.post(user.tasks_url, json={"title": "once"}, headers=headers)] * 20
        )
        assert {r.status_code for r in responses} == {201}
        assert len({r.content for r in responses}) == 1
        assert sum("idempotency-replayed" not in r.headers for r in responses) == 1
        page = http.get(f"/api/{user.sub}/sync", headers=user.headers).json()
        assert [task["title"] for task in page["tasks"]] == ["once"]
    with direct.connect() as connection:
        count = connection.execute(
            text("SELECT count(*) FROM tasks WHERE user_id = :u"), {"u": user.user_id}
        ).scalar()
    assert count == 1
