"""Reads on the standby of a real pg_auto_failover pair (DATABASE_READ_URL with
target_session_attrs=prefer-standby), with read-your-writes through Redis: a caller who has
just written reads from the primary until the standby has replayed that write, proven with
the standby's replay paused."""

import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import psycopg
import pytest
import redis
from pydantic import SecretStr
from sqlalchemy.engine import make_url

from src.core.metrics import DB_READS
from src.db.pool import create_db_pool
from src.db.replica import EPOCH_KEY, ReadRouter
from src.main import create_app
from tests.agent_tools.conftest import connect
from tests.support.api_users import ApiUser, make_user
from tests.support.auto_failover import AutoFailoverFormation, available, migrate
from tests.support.live_server import LiveServer
from tests.support.services import free_port
from tests.support.settings import suite_settings

pytestmark = pytest.mark.integration

REDIS_URL = "redis://127.0.0.1:6379/0"
STICKY_SECONDS = 2.0
WAIT = 30.0  # seconds: a bound against hangs, never an expectation of speed


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def formation() -> Iterator[AutoFailoverFormation]:
    reason = available()
    assert reason is None, reason  # make integration-deps installs it; never a silent skip
    with AutoFailoverFormation() as running:
        migrate(running.uri)
        yield running


def serve(formation: AutoFailoverFormation, **settings: Any) -> LiveServer:
    values: dict[str, Any] = {
        "database_read_url": SecretStr(formation.uri_with("prefer-standby")),
        "database_read_sticky_seconds": STICKY_SECONDS,
        "redis_url": REDIS_URL,
        **settings,
    }
    app = create_app(suite_settings(database_url=SecretStr(formation.uri), **values))
    return LiveServer(app)


def reads(target: str) -> float:
    return DB_READS.labels(target)._value.get()  # type: ignore[no-any-return]


def titles(http: httpx.Client, user: ApiUser) -> list[str]:
    response = http.get(user.tasks_url, headers=user.headers)
    assert response.status_code == 200, response.text
    return sorted(task["title"] for task in response.json())


def create(http: httpx.Client, user: ApiUser, title: str) -> int:
    response = http.post(user.tasks_url, headers=user.headers, json={"title": title})
    assert response.status_code == 201, response.text
    task_id: int = response.json()["id"]
    return task_id


def on_standby(formation: AutoFailoverFormation, sql: str, *args: object) -> Any:
    with psycopg.connect(formation.standby().conninfo, autocommit=True) as connection:
        row = connection.execute(sql, args).fetchone()
        return None if row is None else row[0]


@pytest.fixture
def background_writes(formation: AutoFailoverFormation) -> Iterator[None]:
    """Another user's steady writes: a standby of a busy primary replays commits all the
    time, which is what lets a caller with no recent write read from it."""
    stop = threading.Event()

    def write() -> None:
        with psycopg.connect(formation.primary().conninfo, autocommit=True) as connection:
            while not stop.wait(0.05):
                connection.execute("SELECT txid_current()")  # a commit with an xid: WAL

    thread = threading.Thread(target=write)
    thread.start()
    yield
    stop.set()
    thread.join()


def test_reads_go_to_the_standby_but_never_miss_the_callers_own_write(
    formation: AutoFailoverFormation, background_writes: None
) -> None:
    writer, reader = make_user(), make_user()
    redis.Redis.from_url(REDIS_URL).delete(EPOCH_KEY)  # as after a Redis restart
    with serve(formation) as server, httpx.Client(base_url=server.url, timeout=WAIT) as http:
        create(http, writer, "first")
        primary_before = reads("primary")
        assert titles(http, writer) == ["first"]
        assert reads("primary") == primary_before + 1  # no epoch yet: the primary, to be safe

        time.sleep(STICKY_SECONDS + 0.5)  # the epoch is old enough, the writer's key expired
        standby_before = reads("standby")
        assert titles(http, reader) == []
        assert titles(http, writer) == ["first"]
        assert reads("standby") == standby_before + 2

        on_standby(formation, "SELECT pg_wal_replay_pause()")
        try:
            second = create(http, writer, "second")  # synchronous commit: flushed, not replayed
            primary_before, standby_before = reads("primary"), reads("standby")
            assert titles(http, writer) == ["first", "second"]
            assert http.get(writer.task_url(second), headers=writer.headers).status_code == 200
            assert reads("primary") == primary_before + 2
            assert reads("standby") == standby_before
            # The standby really lacks it: a read there would have missed the caller's write.
            assert on_standby(formation, "SELECT count(*) FROM tasks WHERE id = %s", second) == 0
        finally:
            on_standby(formation, "SELECT pg_wal_replay_resume()")

        deadline = time.monotonic() + WAIT
        while on_standby(formation, "SELECT count(*) FROM tasks WHERE id = %s", second) == 0:
            assert time.monotonic() < deadline, "the standby never replayed the write"
            time.sleep(0.05)
        standby_before = reads("standby")
        assert titles(http, writer) == ["first", "second"]  # caught up with the writer
        assert reads("standby") == standby_before + 1


def test_without_redis_writes_are_refused_and_reads_use_the_primary(
    formation: AutoFailoverFormation,
) -> None:
    user = make_user()
    dead_redis = f"redis://127.0.0.1:{free_port()}/0"
    with (
        serve(formation, redis_url=dead_redis) as server,
        httpx.Client(base_url=server.url, timeout=WAIT) as http,
    ):
        refused = http.post(user.tasks_url, headers=user.headers, json={"title": "x"})
        assert refused.status_code == 503
        assert refused.headers["Retry-After"]
        primary_before = reads("primary")
        assert titles(http, user) == []  # nothing was written
        assert reads("primary") == primary_before + 1


def test_a_standby_that_is_down_sends_reads_to_the_primary(
    formation: AutoFailoverFormation, background_writes: None
) -> None:
    user = make_user()
    redis.Redis.from_url(REDIS_URL).set(EPOCH_KEY, time.time() - 100)  # reads may use it
    nowhere = f"postgresql://postgres@127.0.0.1:{free_port()}/postgres"
    with (
        serve(formation, database_read_url=SecretStr(nowhere)) as server,
        httpx.Client(base_url=server.url, timeout=WAIT) as http,
    ):
        create(http, user, "kept")
        time.sleep(STICKY_SECONDS + 0.5)
        primary_before = reads("primary")
        assert titles(http, user) == ["kept"]
        assert reads("primary") == primary_before + 1


@pytest.mark.anyio
async def test_concurrent_writes_of_one_caller_keep_the_furthest_position() -> None:
    """Two writes of one caller in flight at once (a double click, two devices) finishing
    in the other order than they committed: reads stay on the primary until both are done,
    and then need the later position, not the one stored last."""
    standby = create_db_pool(make_url("postgresql://postgres@127.0.0.1:1/none"), suite_settings())
    router = ReadRouter(REDIS_URL, standby, sticky_seconds=60)
    user = make_user().user_id
    try:
        redis.Redis.from_url(REDIS_URL).set(EPOCH_KEY, time.time() - 100)
        await router.before_write(user)
        await router.before_write(user)
        assert await router.plan_read(user) is None
        await router.finish_write(user, 2_000)  # the second write commits first
        assert await router.plan_read(user) is None  # the first is still in flight
        await router.finish_write(user, 1_000)  # then the first one answers
        read = await router.plan_read(user)
        assert read is not None
        assert read.position == 2_000
    finally:
        await router.aclose()


@pytest.mark.anyio
async def test_an_agents_write_is_read_back_while_the_standby_lags(
    formation: AutoFailoverFormation, background_writes: None
) -> None:
    """MCP tools are routed like REST: a tool that writes marks the caller, so the REST list
    and the list_tasks tool right after it read from the primary."""
    user = make_user()
    redis.Redis.from_url(REDIS_URL).set(EPOCH_KEY, time.time() - 100)
    with serve(formation) as server:
        on_standby(formation, "SELECT pg_wal_replay_pause()")
        try:
            async with connect(server, user.token) as client:
                added = await client.call_tool("add_task", {"title": "from the agent"})
                assert not added.is_error
                listed = await client.call_tool("list_tasks", {})
            assert listed.structured_content is not None
            tasks = listed.structured_content["tasks"]
            assert [task["title"] for task in tasks] == ["from the agent"]
            with httpx.Client(base_url=server.url, timeout=WAIT) as http:
                assert titles(http, user) == ["from the agent"]
            count = "SELECT count(*) FROM tasks WHERE user_id = %s"
            assert on_standby(formation, count, user.user_id) == 0  # the standby lags
        finally:
            on_standby(formation, "SELECT pg_wal_replay_resume()")
