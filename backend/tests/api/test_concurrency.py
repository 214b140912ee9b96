"""Real commits, real concurrency: the app served by uvicorn on a fresh database, hit by many
threads at once. Outcomes are checked in the responses and in the database itself.

Requests that must overlap wait at a barrier and are released together; waits are bounded
only so that a deadlock fails the test instead of hanging the run. After each run, every
pooled connection the requests took is back in the app's pool (no leak).
"""

import random
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from functools import partial
from typing import Any, TypeVar

import httpx
import pytest
from fastapi import FastAPI
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Engine, text
from sqlalchemy.engine import URL

from src.core.settings import Settings
from src.db.pool import Pool
from src.main import create_app
from tests.support.api_users import ApiUser, make_user, parse_utc
from tests.support.live_server import LiveServer

T = TypeVar("T")
WAIT = 120.0  # seconds: a bound against hangs, never an expectation of speed


@pytest.fixture
def live_app(settings: Settings, committed_url: URL) -> FastAPI:
    return create_app(settings, database_url=committed_url)


@pytest.fixture
def server(live_app: FastAPI) -> Iterator[LiveServer]:
    with LiveServer(live_app) as live:
        yield live


@pytest.fixture
def http(server: LiveServer) -> Iterator[httpx.Client]:
    limits = httpx.Limits(max_connections=256, max_keepalive_connections=256)
    with httpx.Client(base_url=server.url, timeout=WAIT, limits=limits) as client:
        yield client


@pytest.fixture
def no_leak(live_app: FastAPI, http: httpx.Client) -> Callable[[], None]:
    """Call at the end of a test: asserts that the app's pool got every connection back."""
    before = checked_out(http)
    return partial(assert_no_connection_leak, live_app, http, before)


def simultaneously(calls: list[Callable[[], T]]) -> list[T]:
    """Run every call on its own thread, all released at once; results in call order."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], T]) -> T:
        barrier.wait(timeout=WAIT)
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        futures = [pool.submit(run, call) for call in calls]
        return [future.result(timeout=WAIT) for future in futures]


def query(engine: Engine, sql: str, **params: Any) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(text(sql), params))


def owner_of_tasks(engine: Engine) -> dict[int, uuid.UUID]:
    return {row.id: row.user_id for row in query(engine, "SELECT id, user_id FROM tasks")}


def failures(responses: list[httpx.Response]) -> list[str]:
    """The unsuccessful responses, for assertion messages."""
    return [f"{r.status_code} {r.text}" for r in responses if not r.is_success]


def parse_time(value: str) -> datetime:
    """The API's UTC timestamp as the naive UTC datetime the database stores."""
    return parse_utc(value).replace(tzinfo=None)


def checked_out(http: httpx.Client) -> float:
    """taskapi_db_pool_checked_out, as the app's /metrics reports it."""
    response = http.get("/metrics")
    assert response.status_code == 200, response.text
    values = [
        sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
        if sample.name == "taskapi_db_pool_checked_out"
    ]
    assert len(values) == 1, values
    return values[0]


def assert_no_connection_leak(app: FastAPI, http: httpx.Client, checked_out_before: float) -> None:
    """Every connection the requests took is back in the app's pool. A request's connection
    goes back before its response starts (DbSessionMiddleware), so right after the last
    response there is nothing to wait for. (The gauge belongs to the process, not to the
    app: it is compared with its value before the test's requests, which is 0 unless an
    earlier test leaked; the pool's own count below is the app's alone.)"""
    assert checked_out(http) == checked_out_before
    # The pool's own count: every connection it has is idle in it. A connection the pool was
    # still opening for a waiter that got a returned one meanwhile counts in pool_size before
    # it is available, so give such a connection a moment to arrive; a leaked one never does.
    app_pool: Pool = app.state.db_pool
    deadline = time.monotonic() + 5.0
    while True:
        stats = app_pool.get_stats()
        if stats["pool_available"] == stats["pool_size"] or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert stats["pool_available"] == stats["pool_size"], stats
    assert stats.get("requests_waiting", 0) == 0, stats


def create(http: httpx.Client, user: ApiUser, title: str) -> dict[str, Any]:
    response = http.post(user.tasks_url, json={"title": title}, headers=user.headers)
    assert response.status_code == 201, response.text
    task: dict[str, Any] = response.json()
    return task


# --- provisioning --------------------------------------------------------------------------


def test_concurrent_first_reads_do_not_provision_the_user(
    no_leak: Callable[[], None], http: httpx.Client, committed_engine: Engine
) -> None:
    """Reads never create the users row (the first write does): 20 first reads at once all
    see an empty list, and leave the database as they found it."""
    user = make_user()

    responses = simultaneously([partial(http.get, user.tasks_url, headers=user.headers)] * 20)

    assert [r.status_code for r in responses] == [200] * 20, failures(responses)
    assert all(r.json() == [] and r.headers["x-total-count"] == "0" for r in responses)
    assert query(committed_engine, "SELECT id FROM users") == []
    assert query(committed_engine, "SELECT user_id FROM task_counts") == []
    no_leak()


# The calls that provision the caller: a task create (which retries once provisioned) and
# GET /api/users/me; "mixed" races both against each other.
FIRST_WRITES = {"create": (20, 0), "me": (0, 20), "mixed": (10, 10)}


@pytest.mark.parametrize("round_", range(2))
@pytest.mark.parametrize("first_calls", FIRST_WRITES)
def test_concurrent_first_writes_provision_the_user_once(
    no_leak: Callable[[], None],
    http: httpx.Client,
    committed_engine: Engine,
    first_calls: str,
    round_: int,
) -> None:
    user = make_user()
    creates, reads_of_me = FIRST_WRITES[first_calls]
    calls: list[Callable[[], httpx.Response]] = []
    calls += [
        partial(http.post, user.tasks_url, json={"title": f"first {i}"}, headers=user.headers)
        for i in range(creates)
    ]
    calls += [partial(http.get, "/api/users/me", headers=user.headers)] * reads_of_me

    responses = simultaneously(calls)

    assert [r.status_code for r in responses] == [201] * creates + [200] * reads_of_me, failures(
        responses
    )
    me = [(r.json()["id"], r.json()["email"]) for r in responses[creates:]]
    assert me == [(str(user.user_id), user.email)] * reads_of_me
    rows = query(committed_engine, "SELECT id, email FROM users")
    assert [(row.id, row.email) for row in rows] == [(user.user_id, user.email)]
    titles = query(committed_engine, "SELECT title FROM tasks WHERE user_id = :u", u=user.user_id)
    assert sorted(row.title for row in titles) == sorted(f"first {i}" for i in range(creates))
    counts = query(committed_engine, "SELECT user_id, total FROM task_counts")
    assert [(row.user_id, row.total) for row in counts] == (
        [(user.user_id, creates)] if creates else []
    )
    no_leak()


# --- many creates at once ------------------------------------------------------------------


def assert_creates_landed(
    engine: Engine, attempts: list[tuple[ApiUser, str]], responses: list[httpx.Response]
) -> None:
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {201: len(attempts)}, failures(responses)
    created = [r.json() for r in responses]
    assert len({task["id"] for task in created}) == len(created)

    owners = owner_of_tasks(engine)
    assert len(owners) == statuses[201]
    for (user, title), task in zip(attempts, created, strict=True):
        assert (task["user_id"], task["title"]) == (str(user.user_id), title)
        assert owners[task["id"]] == user.user_id
    users = {row.id for row in query(engine, "SELECT id FROM users")}
    assert users == {user.user_id for user, _ in attempts}


def test_200_concurrent_creates_by_one_user(
    no_leak: Callable[[], None], http: httpx.Client, committed_engine: Engine
) -> None:
    user = make_user()
    attempts = [(user, f"task {i}") for i in range(200)]

    responses = simultaneously(
        [
            partial(http.post, user.tasks_url, json={"title": title}, headers=user.headers)
            for _, title in attempts
        ]
    )

    assert_creates_landed(committed_engine, attempts, responses)
    listed = http.get(user.tasks_url, params={"limit": 200}, headers=user.headers)
    assert listed.headers["x-total-count"] == "200"
    assert {task["id"] for task in listed.json()} == {r.json()["id"] for r in responses}
    no_leak()


def test_200_concurrent_creates_spread_over_20_users(
    no_leak: Callable[[], None], http: httpx.Client, committed_engine: Engine
) -> None:
    users = [make_user() for _ in range(20)]
    attempts = [(users[i % 20], f"task {i}") for i in range(200)]

    responses = simultaneously(
        [
            partial(http.post, user.tasks_url, json={"title": title}, headers=user.headers)
            for user, title in attempts
        ]
    )

    assert_creates_landed(committed_engine, attempts, responses)
    per_user = {
        row.user_id: row.n
        for row in query(committed_engine, "SELECT user_id, count(*) AS n FROM tasks GROUP BY 1")
    }
    assert per_user == {user.user_id: 10 for user in users}
    counted = query(committed_engine, "SELECT user_id, total FROM task_counts")
    assert {row.user_id: row.total for row in counted} == per_user
    no_leak()


# --- If-Match: no lost update --------------------------------------------------------------


def test_two_writers_with_the_same_etag_cannot_both_win(
    no_leak: Callable[[], None], http: httpx.Client, committed_engine: Engine
) -> None:
    user = make_user()
    for round_ in range(10):
        task = create(http, user, f"round {round_}")
        etag = http.get(user.task_url(task["id"]), headers=user.headers).headers["etag"]
        headers = {**user.headers, "If-Match": etag}
        titles = [f"round {round_} by writer {writer}" for writer in (1, 2)]

        responses = simultaneously(
            [
                partial(http.put, user.task_url(task["id"]), json={"title": title}, headers=headers)
                for title in titles
            ]
        )

        assert sorted(r.status_code for r in responses) == [200, 412], failures(responses)
        winner = next(r for r in responses if r.status_code == 200)
        loser = next(r for r in responses if r.status_code == 412)
        assert loser.headers["content-type"] == "application/problem+json"
        assert winner.headers["etag"] != etag
        (row,) = query(committed_engine, "SELECT title FROM tasks WHERE id = :id", id=task["id"])
        assert row.title == winner.json()["title"] in titles
        current = http.get(user.task_url(task["id"]), headers=user.headers)
        assert current.headers["etag"] == winner.headers["etag"]
    no_leak()


# --- concurrent toggles --------------------------------------------------------------------


@pytest.mark.parametrize("initial", [False, True])
def test_concurrent_toggles_are_serialized(
    no_leak: Callable[[], None], http: httpx.Client, committed_engine: Engine, initial: bool
) -> None:
    user = make_user()
    response = http.post(
        user.tasks_url, json={"title": "flip me", "is_completed": initial}, headers=user.headers
    )
    assert response.status_code == 201
    task_id = response.json()["id"]
    toggles = 20

    toggle = partial(http.patch, user.task_url(task_id) + "/complete", headers=user.headers)
    responses = simultaneously([toggle] * toggles)

    assert [r.status_code for r in responses] == [200] * toggles, failures(responses)
    applied = sorted((parse_time(r.json()["updated_at"]), r.json()) for r in responses)
    versions = [when for when, _ in applied]
    assert len(set(versions)) == toggles  # every toggle is its own version
    # Applied one after another, each on the result of the previous one: the k-th toggle
    # (in the order the database applied them) leaves the task completed iff initial XOR k odd.
    assert [body["is_completed"] for _, body in applied] == [
        initial != (k % 2 == 1) for k in range(1, toggles + 1)
    ]
    (row,) = query(
        committed_engine, "SELECT is_completed, updated_at FROM tasks WHERE id = :id", id=task_id
    )
    assert row.is_completed == applied[-1][1]["is_completed"] == (initial != (toggles % 2 == 1))
    assert row.updated_at == versions[-1]
    no_leak()


def test_concurrent_completions_of_a_recurring_task_create_one_next_occurrence(
    no_leak: Callable[[], None], http: httpx.Client, committed_engine: Engine
) -> None:
    """A double click, or two devices: every completion answers 200 with the same next
    occurrence, and exactly one exists."""
    user = make_user()
    body = {"title": "standup", "due_date": "2026-12-01T09:00:00Z", "recurring_rule": "daily"}
    response = http.post(user.tasks_url, json=body, headers=user.headers)
    assert response.status_code == 201
    task_id = response.json()["id"]
    complete = partial(
        http.patch,
        user.task_url(task_id) + "/complete",
        json={"is_completed": True},
        headers=user.headers,
    )
    responses = simultaneously([complete] * 20)

    assert [r.status_code for r in responses] == [200] * 20, failures(responses)
    next_ids = {r.json()["next_occurrence_id"] for r in responses}
    assert len(next_ids) == 1
    (next_id,) = next_ids
    rows = query(
        committed_engine,
        "SELECT id, due_date, is_completed FROM tasks WHERE title = 'standup' ORDER BY id",
    )
    assert [(row.id, row.is_completed) for row in rows] == [(task_id, True), (next_id, False)]
    assert rows[1].due_date == datetime(2026, 12, 2, 9, 0)
    no_leak()


# --- pagination while others write ---------------------------------------------------------

MAX_MUTATIONS = 60
WORDS = ["apple", "banana", "cherry", "damson", "elder", "fig", "grape", "kiwi", "lemon", "mango"]


@pytest.mark.parametrize("sort", ["-created_at", "title"])
def test_pages_neither_repeat_nor_skip_while_tasks_come_and_go(
    no_leak: Callable[[], None], http: httpx.Client, committed_engine: Engine, sort: str
) -> None:
    rng = random.Random(sort)  # a fixed mix of titles (with ties) per sort
    user = make_user()
    stable = {create(http, user, rng.choice(WORDS))["id"] for _ in range(60)}
    doomed = [create(http, user, rng.choice(WORDS))["id"] for _ in range(20)]
    rng.shuffle(doomed)

    inserted: list[int] = []
    deleted: list[int] = []
    mutations = 0
    changed = threading.Condition()
    stop = threading.Event()
    finished = threading.Event()
    errors: list[BaseException] = []

    def mutate() -> None:
        nonlocal mutations
        try:
            while not stop.is_set() and mutations < MAX_MUTATIONS:
                new = create(http, user, rng.choice(WORDS))
                inserted.append(new["id"])
                if doomed:
                    victim = doomed.pop()
                    response = http.delete(user.task_url(victim), headers=user.headers)
                    assert response.status_code == 204, response.text
                    deleted.append(victim)
                with changed:
                    mutations += 1
                    changed.notify_all()
        except BaseException as exc:
            errors.append(exc)
            raise
        finally:
            with changed:
                finished.set()
                changed.notify_all()

    def mutated_since(count: int) -> bool:
        return mutations > count or finished.is_set()

    seen: list[dict[str, Any]] = []
    url: str | None = f"{user.tasks_url}?sort={sort}&limit=7"
    mutator = threading.Thread(target=mutate, name="mutator", daemon=True)
    mutator.start()
    try:
        for _ in range(200):  # far more pages than the walk can take
            if url is None:
                break
            with changed:
                baseline = mutations
            response = http.get(url, headers=user.headers)
            assert response.status_code == 200, response.text
            page = response.json()
            assert len(page) <= 7
            seen += page
            next_link = response.links.get("next")
            url = next_link["url"] if next_link else None
            # Let at least one insert (and delete) land between this page and the next.
            with changed:
                assert changed.wait_for(partial(mutated_since, baseline), WAIT)
        else:
            pytest.fail("the walk did not end")
    finally:
        stop.set()
        mutator.join(WAIT)
    assert not mutator.is_alive()
    assert errors == []

    seen_ids = [task["id"] for task in seen]
    assert len(seen_ids) == len(set(seen_ids)), "a task showed up on two pages"
    # Every task that existed before the walk and was never deleted (`doomed` holds the
    # ones the mutator did not get to) shows up, exactly once.
    survivors = stable | set(doomed)
    assert survivors <= set(seen_ids), "a task that was there all along was skipped"
    assert set(seen_ids) <= stable | set(deleted) | set(doomed) | set(inserted)
    assert len(deleted) >= 5  # the walk really overlapped with deletions...
    assert inserted  # ...and insertions

    # The walk is one ordered sequence, exactly as if it had been read at once.
    if sort == "title":
        keys: list[Any] = [(task["title"], task["id"]) for task in seen]
        assert keys == sorted(keys)
    else:
        keys = [(parse_time(task["created_at"]), task["id"]) for task in seen]
        assert keys == sorted(keys, reverse=True)

    (row,) = query(
        committed_engine, "SELECT count(*) AS n FROM tasks WHERE user_id = :u", u=user.user_id
    )
    assert row.n == len(stable) + 20 - len(deleted) + len(inserted)
    stored = {r.id for r in query(committed_engine, "SELECT id FROM tasks")}
    assert stored == stable | set(doomed) | set(inserted)
    assert not stored & set(deleted)
    no_leak()
