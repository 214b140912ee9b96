"""The database failing under the app, for real: no server listening at start-up, the server
stopped and started again (alone, and under load), a statement blocked by a lock.

Expected of the app each time: it starts anyway; while the database is away it answers 503
problem+json with Retry-After, quickly (connect, pool and statement timeouts, not a hang); it
serves again by itself once the database is back (src/db/pool.py finds pooled connections the
restart killed at checkout, by polling their sockets, and the pool replaces them); and every
write it acknowledged with a 2xx is in the database afterwards.

The stop/start tests use a PostgreSQL server of their own (tests/support/restartable_postgres),
whatever TEST_DATABASE_URL says: stopping the suite's shared server would break other tests.
Waits are bounded only so that a hang fails the test instead of the run.
"""

import asyncio
import logging
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import Engine, create_engine, pool, text
from sqlalchemy.engine import URL

from src.core.settings import Settings
from src.db.pool import QUICK_TIMEOUT_SECONDS, create_db_pool
from src.db.session import open_session
from src.main import create_app
from tests.support.api_users import TEST_SECRET, ApiUser, Response, create_task, make_user
from tests.support.databases import upgrade
from tests.support.db import sql
from tests.support.live_server import LiveServer
from tests.support.restartable_postgres import RestartablePostgres

PROBLEM_JSON = "application/problem+json"
CONNECT_TIMEOUT_SECONDS = 2
STATEMENT_TIMEOUT_MS = 5000
POOL_TIMEOUT_SECONDS = 5.0
# No request may take longer than the app's own limits allow, plus a generous margin: a
# request that waits on a dead server instead of failing fast is a hang.
REQUEST_BOUND_SECONDS = (
    CONNECT_TIMEOUT_SECONDS + STATEMENT_TIMEOUT_MS / 1000 + POOL_TIMEOUT_SECONDS + 10
)
WAIT = 120.0  # seconds: anti-hang bound on client calls and thread joins


def fault_settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "app_env": "test",
        "jwt_secret": SecretStr(TEST_SECRET),
        "cursor_secret": SecretStr("cursor-secret-for-the-suite-only-0123456789"),
        "db_connect_timeout_seconds": CONNECT_TIMEOUT_SECONDS,
        "db_statement_timeout_ms": STATEMENT_TIMEOUT_MS,
        "db_pool_timeout_seconds": POOL_TIMEOUT_SECONDS,
        **overrides,
    }
    return Settings(_env_file=None, **values)


@pytest.fixture
def settings() -> Settings:
    return fault_settings()


def assert_unavailable(response: Response) -> dict[str, Any]:
    """503 problem+json that tells the client to retry."""
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    assert int(response.headers["retry-after"]) > 0
    problem: dict[str, Any] = response.json()
    assert problem["status"] == 503
    assert problem["type"] == "urn:task-api:problem:unavailable"
    return problem


def tasks_of(url: URL, users: list[ApiUser]) -> dict[int, str]:
    """id -> title of the users' tasks, read on a connection of its own."""
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT id, title FROM tasks WHERE user_id = ANY(:ids)"),
                {"ids": [user.user_id for user in users]},
            )
            return {row.id: row.title for row in rows}
    finally:
        engine.dispose()


# --- no server at start-up -----------------------------------------------------------------


@pytest.fixture
def refused_url() -> Iterator[URL]:
    """A URL on a port that refuses connections: bound but never listening, so that nothing
    else can start listening there during the test."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        yield URL.create(
            "postgresql+psycopg2",
            username="postgres",
            host="127.0.0.1",
            port=port,
            database="postgres",
        )


def test_starts_without_a_database_and_answers_503(
    settings: Settings, refused_url: URL, caplog: pytest.LogCaptureFixture
) -> None:
    user = make_user()
    durations: dict[str, float] = {}

    def timed(name: str, response: Response) -> Response:
        durations[name] = response.elapsed.total_seconds()
        return response

    with (
        caplog.at_level(logging.INFO, logger="src"),
        # The lifespan runs: it creates the pool and opens it without waiting.
        TestClient(create_app(settings, database_url=refused_url)) as client,
    ):
        healthz = client.get("/healthz")
        readyz = timed("readyz", client.get("/readyz"))
        me = timed("me", client.get("/api/users/me", headers=user.headers))
        created = timed(
            "create", client.post(user.tasks_url, json={"title": "x"}, headers=user.headers)
        )
    print(f"\n503s without a database, seconds: { {k: round(v, 3) for k, v in durations.items()} }")

    assert "database unreachable at start-up" in caplog.text
    assert healthz.status_code == 200
    assert healthz.json() == {"status": "ok"}
    assert "unreachable" in assert_unavailable(readyz)["detail"]
    assert_unavailable(me)
    assert_unavailable(created)
    # Once a connection attempt has failed, a request waits QUICK_TIMEOUT_SECONDS (1 s), not
    # the pool's 5 s, for a connection that will not come (plus a margin for a slow machine).
    assert max(durations.values()) < QUICK_TIMEOUT_SECONDS + 1.5 < POOL_TIMEOUT_SECONDS, durations


# --- the server stopped and started again --------------------------------------------------


@pytest.fixture(scope="module")
def own_postgres() -> Iterator[RestartablePostgres]:
    with RestartablePostgres() as pg:
        upgrade(pg.url, "head")
        yield pg


@pytest.fixture
def pg(own_postgres: RestartablePostgres) -> Iterator[RestartablePostgres]:
    """The module's own server, running again after each test whatever the test did."""
    own_postgres.start()
    yield own_postgres
    own_postgres.start()


def app_backends(url: URL, application_name: str) -> dict[int, str]:
    """pid -> state of the server's sessions opened by the app (its pooled connections)."""
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT pid, state FROM pg_stat_activity WHERE application_name = :name"),
                {"name": application_name},
            )
            return {row.pid: row.state for row in rows}
    finally:
        engine.dispose()


def wait_for_idle_backends(url: URL, application_name: str, count: int) -> dict[int, str]:
    """The app's sessions once there are `count` of them, all idle (bounded wait)."""
    deadline = time.monotonic() + WAIT
    while True:
        backends = app_backends(url, application_name)
        if len(backends) == count and set(backends.values()) == {"idle"}:
            return backends
        assert time.monotonic() < deadline, backends
        time.sleep(0.05)


def http_client(server: LiveServer) -> httpx.Client:
    return httpx.Client(base_url=server.url, timeout=WAIT)


def test_started_while_postgres_is_down_it_serves_once_postgres_is_back(
    pg: RestartablePostgres, settings: Settings
) -> None:
    user = make_user()
    pg.stop()

    with (
        LiveServer(create_app(settings, database_url=pg.url)) as server,
        http_client(server) as http,
    ):
        assert http.get("/healthz").status_code == 200
        assert_unavailable(http.get("/readyz"))
        assert_unavailable(http.get("/api/users/me", headers=user.headers))
        assert_unavailable(http.post(user.tasks_url, json={"title": "lost"}, headers=user.headers))

        pg.start()  # the same app, never restarted

        ready = http.get("/readyz")
        me = http.get("/api/users/me", headers=user.headers)
        created = http.post(user.tasks_url, json={"title": "kept"}, headers=user.headers)

    assert ready.status_code == 200, ready.text
    assert ready.json()["status"] == "ready"
    assert me.status_code == 200, me.text
    assert me.json()["id"] == str(user.user_id)
    assert created.status_code == 201, created.text
    assert tasks_of(pg.url, [user]) == {created.json()["id"]: "kept"}


def test_a_restart_between_requests_is_invisible_to_clients(
    pg: RestartablePostgres, settings: Settings
) -> None:
    """Every pooled connection dies with the server. At checkout src/db/pool.py sees the dead
    ones (the server's goodbye makes their sockets readable), closes them and takes another:
    not even the first requests after the restart fail, and none runs on an old session."""
    users = [make_user() for _ in range(4)]
    with LiveServer(create_app(settings, database_url=pg.url)) as server:
        before = concurrently(server, users, "before")
        # The pool's idle connections, about to go stale: all DB_POOL_SIZE of them (the pool
        # opens them in the background), more than the requests to come, so that each of
        # those requests finds dead connections first.
        stale = wait_for_idle_backends(pg.url, settings.db_application_name, settings.db_pool_size)
        assert len(stale) > len(users)
        pg.stop()
        pg.start()
        after = concurrently(server, users, "after")
        # And then more requests, one after another, than the pool had stale connections.
        with http_client(server) as http:
            reads = [
                http.get(user.tasks_url, headers=user.headers) for _ in range(3) for user in users
            ]
        fresh = app_backends(pg.url, settings.db_application_name)

    assert [r.status_code for r in before + after] == [201] * 2 * len(users), [
        r.text for r in before + after
    ]
    assert [r.status_code for r in reads] == [200] * len(reads), [r.text for r in reads]
    assert all(len(r.json()) == 2 for r in reads)
    assert fresh, "the app holds no connection after the restart"
    assert not fresh.keys() & stale.keys()  # a new session each, on the restarted server
    found = tasks_of(pg.url, users)
    assert sorted(found.values()) == sorted(["before"] * len(users) + ["after"] * len(users))


def concurrently(server: LiveServer, users: list[ApiUser], title: str) -> list[httpx.Response]:
    """One POST per user, all in flight together (so that several pooled connections are
    used); responses in user order."""
    responses: list[httpx.Response | None] = [None] * len(users)

    def post(index: int) -> None:
        with http_client(server) as http:
            user = users[index]
            responses[index] = http.post(
                user.tasks_url, json={"title": title}, headers=user.headers
            )

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(users))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)
    assert all(response is not None for response in responses), "a request did not finish"
    return [response for response in responses if response is not None]


# --- restarted under load ------------------------------------------------------------------

LOAD_WORKERS = 8
LOAD_BEFORE_SECONDS = 1.5  # of load before the stop
OUTAGE_SECONDS = 2.0  # between the server having stopped and its start
# Of load once the server is back. A request waiting for a connection when the server comes
# back waits out the pool's timeout (the pool gave up on the refused attempt and retries only
# for a new request): the load must outlast that to see requests sent after the restart.
LOAD_AFTER_SECONDS = POOL_TIMEOUT_SECONDS + 2.0
# A 503 comes from a refused connect (at once), a lost connection (at once) or the pool's
# timeout; never from a connect or statement left to hang.
UNAVAILABLE_BOUND_SECONDS = POOL_TIMEOUT_SECONDS + CONNECT_TIMEOUT_SECONDS
BACKOFF_AFTER_503_SECONDS = 0.02  # a client that got 503 waits a little before retrying


@dataclass(frozen=True)
class Outcome:
    """One POST of the load, times in seconds since the load began."""

    title: str
    started: float
    ended: float
    status: int | None  # None: no response at all (error)
    content_type: str = ""
    retry_after: str | None = None
    task_id: int | None = None
    error: str | None = None

    @property
    def duration(self) -> float:
        return self.ended - self.started


@dataclass
class Events:
    """When the test stopped and started PostgreSQL, in seconds since the load began."""

    stop_issued: float = 0.0
    stopped: float = 0.0
    start_issued: float = 0.0
    started: float = 0.0


class Load:
    """Threads that keep creating tasks (distinct titles), one user each, until stopped."""

    def __init__(self, server: LiveServer, users: list[ApiUser]) -> None:
        self.server = server
        self.users = users
        self.t0 = time.monotonic()
        self.outcomes: list[Outcome] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._work, args=(i,), name=f"load-{i}")
            for i in range(len(users))
        ]

    def now(self) -> float:
        return time.monotonic() - self.t0

    def start(self) -> None:
        self.t0 = time.monotonic()
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(WAIT)
        assert not any(thread.is_alive() for thread in self._threads), "a load thread hung"

    def _work(self, index: int) -> None:
        user = self.users[index]
        with httpx.Client(base_url=self.server.url, timeout=3 * REQUEST_BOUND_SECONDS) as http:
            n = 0
            while not self._stop.is_set():
                n += 1
                outcome = self._post(http, user, f"load {index}-{n}")
                with self._lock:
                    self.outcomes.append(outcome)
                if outcome.status == 503:
                    time.sleep(BACKOFF_AFTER_503_SECONDS)

    def _post(self, http: httpx.Client, user: ApiUser, title: str) -> Outcome:
        started = self.now()
        try:
            response = http.post(user.tasks_url, json={"title": title}, headers=user.headers)
        except httpx.HTTPError as exc:
            return Outcome(title, started, self.now(), None, error=repr(exc))
        ended = self.now()
        task_id = response.json()["id"] if response.status_code == 201 else None
        return Outcome(
            title,
            started,
            ended,
            response.status_code,
            response.headers.get("content-type", ""),
            response.headers.get("retry-after"),
            task_id,
        )


def test_restarted_under_load_fails_fast_recovers_and_keeps_every_acknowledged_write(
    pg: RestartablePostgres, settings: Settings
) -> None:
    users = [make_user() for _ in range(LOAD_WORKERS)]
    events = Events()

    with LiveServer(create_app(settings, database_url=pg.url)) as server:
        load = Load(server, users)
        load.start()
        try:
            time.sleep(LOAD_BEFORE_SECONDS)
            events.stop_issued = load.now()
            pg.stop()
            events.stopped = load.now()
            time.sleep(OUTAGE_SECONDS)
            events.start_issued = load.now()
            pg.start()
            events.started = load.now()
            time.sleep(LOAD_AFTER_SECONDS)
        finally:
            load.stop()

    outcomes = sorted(load.outcomes, key=lambda o: o.started)
    found = tasks_of(pg.url, users)
    print_timeline(events, outcomes, found)

    errors = [o for o in outcomes if o.status is None]
    assert not errors, errors[:5]
    assert {o.status for o in outcomes} <= {201, 503}, [
        o for o in outcomes if o.status not in (201, 503)
    ][:5]
    unavailable = [o for o in outcomes if o.status == 503]
    assert unavailable, "no request saw the outage: the test did not test anything"
    assert all(o.content_type == PROBLEM_JSON and o.retry_after for o in unavailable), [
        o for o in unavailable if o.content_type != PROBLEM_JSON or not o.retry_after
    ][:5]
    slowest = max(outcomes, key=lambda o: o.duration)
    assert slowest.duration < REQUEST_BOUND_SECONDS, slowest
    slowest_503 = max(unavailable, key=lambda o: o.duration)
    assert slowest_503.duration < UNAVAILABLE_BOUND_SECONDS, slowest_503
    # The app recovers by itself: no 503 is answered later than one pool timeout (plus a
    # margin) after the server is back.
    last_503 = max(o.ended for o in unavailable)
    assert last_503 < events.started + POOL_TIMEOUT_SECONDS + 2.0, (last_503, events)

    # Before the stop, and once the server is back, every request succeeds.
    before = [o for o in outcomes if o.ended < events.stop_issued]
    after = [o for o in outcomes if o.started > events.started]
    assert before, "no request completed before the stop"
    assert after, "no request started after the restart"
    assert [o for o in before + after if o.status != 201] == []

    # Every acknowledged write is in the database, under the title it was sent with.
    acknowledged = {o.task_id: o.title for o in outcomes if o.task_id is not None}
    assert {task_id: found.get(task_id) for task_id in acknowledged} == acknowledged
    # Rows nobody acknowledged can only come from requests that got no 201 (the commit
    # reached the server, the answer did not reach the app): never invented ones.
    unacknowledged_titles = {found[task_id] for task_id in found.keys() - acknowledged.keys()}
    assert unacknowledged_titles <= {o.title for o in unavailable}


def print_timeline(events: Events, outcomes: list[Outcome], found: dict[int, str]) -> None:
    """The outage as the clients saw it (shown with `pytest -s`)."""
    unavailable = [o for o in outcomes if o.status == 503]
    acknowledged = {o.task_id for o in outcomes if o.task_id is not None}
    lines = [
        "",
        "PostgreSQL restarted under load (seconds since the load began):",
        f"  stop issued {events.stop_issued:.3f}, stopped {events.stopped:.3f}; "
        f"start issued {events.start_issued:.3f}, ready {events.started:.3f}",
    ]
    if unavailable:
        first, last = unavailable[0], max(unavailable, key=lambda o: o.ended)
        lines += [
            f"  first 503: sent {first.started:.3f}, answered {first.ended:.3f}",
            f"  last 503:  sent {last.started:.3f}, answered {last.ended:.3f}",
            f"  outage seen by clients: {last.ended - first.started:.3f} s "
            f"(server down {events.started - events.stop_issued:.3f} s)",
            f"  503s took {min(o.duration for o in unavailable):.3f} to "
            f"{max(o.duration for o in unavailable):.3f} s",
        ]
    served_again = [o.ended for o in outcomes if o.status == 201 and o.ended > events.started]
    if served_again:
        lines.append(f"  first 201 after the restart: answered {min(served_again):.3f}")
    statuses = {status: sum(o.status == status for o in outcomes) for status in (201, 503)}
    slowest = max((o.duration for o in outcomes), default=0.0)
    lines += [
        f"  requests: {len(outcomes)} ({statuses[201]} x 201, {statuses[503]} x 503, "
        f"{sum(o.status is None for o in outcomes)} errors); slowest {slowest:.3f} s",
        f"  writes acknowledged: {len(acknowledged)}, found: {len(acknowledged & found.keys())}"
        f" (+{len(found.keys() - acknowledged)} committed but not acknowledged)",
    ]
    print("\n".join(lines))


# --- statement timeout ---------------------------------------------------------------------


async def pooled_statement_timeout(url: URL, settings: Settings) -> str:
    """SHOW statement_timeout on a connection of the app's pool (src/db/pool.py) for `url`."""
    # The pool is opened, and closed afterwards; the session is a request's.
    async with create_db_pool(url, settings) as app_pool, open_session(app_pool) as session:
        row = await session.fetch_one(sql("SHOW statement_timeout"))
    assert row is not None
    return str(row["statement_timeout"])


def test_a_statement_blocked_by_a_lock_is_cancelled_by_the_statement_timeout(
    committed_url: URL, committed_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    settings = fault_settings(db_statement_timeout_ms=200)
    user = make_user()
    assert asyncio.run(pooled_statement_timeout(committed_url, settings)) == "200ms"
    with TestClient(create_app(settings, database_url=committed_url)) as client:
        task = create_task(client, user, title="before")
        url = user.task_url(task["id"])

        with committed_engine.connect() as holder:
            # Anti-hang: were the app's UPDATE to wait for the lock instead of being
            # cancelled, the holder is ended after this long and the PUT gets a 200.
            holder.execute(text("SET idle_in_transaction_session_timeout = '60s'"))
            holder.execute(
                text("SELECT id FROM tasks WHERE id = :id FOR UPDATE"), {"id": task["id"]}
            )
            with caplog.at_level(logging.WARNING, logger="src"):
                blocked = client.put(url, json={"title": "while locked"}, headers=user.headers)
            holder.rollback()

        unchanged = client.get(url, headers=user.headers)
        retried = client.put(url, json={"title": "after"}, headers=user.headers)

    print(f"\nPUT blocked by a row lock answered in {blocked.elapsed.total_seconds():.3f} s")
    assert_unavailable(blocked)
    assert blocked.elapsed.total_seconds() < 0.2 + 3  # the timeout, not the holder's 60 s
    assert "database unavailable on PUT" in caplog.text
    assert "QueryCanceled" in caplog.text  # by the statement timeout (57014)
    assert unchanged.status_code == 200
    assert unchanged.json()["title"] == "before"
    assert retried.status_code == 200, retried.text
    assert retried.json()["title"] == "after"
