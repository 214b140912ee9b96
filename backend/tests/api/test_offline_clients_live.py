"""Idempotency-Key and incremental sync under real concurrency: the app served by uvicorn
(or by scripts/serve, for the crash) on a committed database, hit from many threads.

Printed figures (`pytest -s`) are quoted in docs/sync.md and the closing note of issue 14.
"""

import os
import random
import signal
import socket
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

import httpx
import psycopg
import pytest
from fastapi import FastAPI
from sqlalchemy import Engine
from sqlalchemy.engine import URL

from src.db.urls import libpq_conninfo
from src.main import create_app
from tests.api.test_concurrency import WAIT, query, simultaneously
from tests.support.api_users import ApiUser, make_user
from tests.support.live_server import LiveServer
from tests.support.production_server import production_server
from tests.support.settings import suite_settings

# --- fixtures ------------------------------------------------------------------------------


def serve(app: FastAPI) -> Iterator[httpx.Client]:
    limits = httpx.Limits(max_connections=128, max_keepalive_connections=128)
    with LiveServer(app) as live, httpx.Client(base_url=live.url, timeout=WAIT, limits=limits) as c:
        yield c


@pytest.fixture
def http(committed_url: URL) -> Iterator[httpx.Client]:
    yield from serve(create_app(suite_settings(db_pool_size=20), database_url=committed_url))


@pytest.fixture
def impatient(committed_url: URL) -> Iterator[httpx.Client]:
    """The app with a 0.3 s wait for a key another request holds."""
    settings = suite_settings(idempotency_wait_seconds=0.3)
    yield from serve(create_app(settings, database_url=committed_url))


def keyed(user: ApiUser, key: str) -> dict[str, str]:
    return {**user.headers, "Idempotency-Key": f'"{key}"'}


# --- Idempotency-Key -----------------------------------------------------------------------


def test_fifty_concurrent_posts_with_one_key_create_one_task(
    http: httpx.Client, committed_engine: Engine
) -> None:
    user = make_user()
    http.get("/api/users/me", headers=user.headers)  # provisioned: the race is the key's alone
    headers = keyed(user, str(uuid.uuid4()))
    body = {"title": "sent 50 times", "priority": "high", "tags": ["train"]}
    responses = simultaneously(
        [lambda: http.post(user.tasks_url, json=body, headers=headers) for _ in range(50)]
    )
    tasks = query(committed_engine, "SELECT id FROM tasks WHERE user_id = :u", u=user.user_id)
    assert len(tasks) == 1
    assert {r.status_code for r in responses} == {201}
    assert len({r.content for r in responses}) == 1
    assert len({(r.headers["location"], r.headers["etag"]) for r in responses}) == 1
    first = [r for r in responses if "idempotency-replayed" not in r.headers]
    assert len(first) == 1  # one did the work; 49 waited for it and replayed it
    print(f"\n50 concurrent POSTs, one key: {len(tasks)} task, 50 x 201, 1 first + 49 replays")


def test_a_retry_while_the_first_is_still_running_gets_409(
    impatient: httpx.Client, committed_url: URL
) -> None:
    user = make_user()
    key = str(uuid.uuid4())
    # The first request, stopped mid-way: its claim inserted, its transaction still open.
    with psycopg.connect(libpq_conninfo(committed_url)) as first:
        first.execute(
            "INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at)"
            " VALUES (%s, %s, '\\x00', now())",
            (user.user_id, key),
        )
        retry = impatient.post(user.tasks_url, json={"title": "t"}, headers=keyed(user, key))
        assert retry.status_code == 409, retry.text
        assert retry.headers["retry-after"] == "1"
        assert "still in progress" in retry.json()["detail"]
        first.rollback()  # the first request failed: nothing was stored
    again = impatient.post(user.tasks_url, json={"title": "t"}, headers=keyed(user, key))
    assert again.status_code == 201
    assert "idempotency-replayed" not in again.headers


def test_a_retry_after_the_worker_died_past_the_commit_replays(committed_url: URL) -> None:
    """The client sends a POST and never reads the answer; once the write has committed (seen
    in the database), the serving process is killed (SIGKILL). A new server, the retry: the
    stored response, and still one task."""
    user = make_user()
    key = str(uuid.uuid4())
    body = b'{"title": "lost answer"}'
    with production_server(committed_url, workers=1) as served:
        httpx.get(served.url + "/api/users/me", headers=user.headers)
        port = int(served.url.rsplit(":", 1)[1])
        request = (
            f"POST {user.tasks_url} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f'Authorization: Bearer {user.token}\r\nIdempotency-Key: "{key}"\r\n'
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode() + body
        with (
            socket.create_connection(("127.0.0.1", port)) as sock,
            psycopg.connect(libpq_conninfo(committed_url), autocommit=True) as db,
        ):
            sock.sendall(request)
            deadline = time.monotonic() + WAIT
            # A committed record of the key: the create committed with it (one statement).
            while not db.execute(
                "SELECT 1 FROM idempotency_keys WHERE key = %s", (key,)
            ).fetchone():
                assert time.monotonic() < deadline
                time.sleep(0.005)
            os.killpg(served.process.pid, signal.SIGKILL)  # the supervisor and its worker
            served.process.wait()
    with production_server(committed_url, workers=1) as restarted:
        retry = httpx.post(
            restarted.url + user.tasks_url,
            content=body,
            headers={**keyed(user, key), "Content-Type": "application/json"},
        )
    assert retry.status_code == 201, retry.text
    assert retry.headers["idempotency-replayed"] == "true"
    assert retry.json()["title"] == "lost answer"
    with psycopg.connect(libpq_conninfo(committed_url)) as db:
        row = db.execute("SELECT count(*) FROM tasks WHERE user_id = %s", (user.user_id,))
        assert row.fetchone() == (1,)


# --- incremental sync ----------------------------------------------------------------------

ROUNDS = 10
WRITERS = 4
WRITES_PER_WRITER = 40


def pull(http: httpx.Client, user: ApiUser, replica: dict[int, Any], token: str | None) -> str:
    """Apply every page from `token` on to `replica`; the token to resume from."""
    while True:
        params: dict[str, Any] = {"limit": 7}  # small pages: many page boundaries
        if token is not None:
            params["token"] = token
        response = http.get(f"/api/{user.sub}/sync", params=params, headers=user.headers)
        assert response.status_code == 200, response.text
        page = response.json()
        for task in page["tasks"]:
            replica[task["id"]] = task
        for gone in page["deleted"]:
            replica.pop(gone["id"], None)
        token = page["next_token"]
        if not page["has_more"]:
            return token


def write(http: httpx.Client, user: ApiUser, rng: random.Random, mine: list[int]) -> None:
    roll = rng.random()
    if not mine or roll < 0.4:
        response = http.post(
            user.tasks_url, json={"title": f"w{rng.random()}"}, headers=user.headers
        )
        assert response.status_code == 201, response.text
        mine.append(response.json()["id"])
    elif roll < 0.8:
        task_id = rng.choice(mine)
        body = {"title": f"u{rng.random()}", "priority": rng.choice(["low", "high"])}
        response = http.patch(user.task_url(task_id), json=body, headers=user.headers)
        assert response.status_code == 200, response.text
    else:
        task_id = mine.pop(rng.randrange(len(mine)))
        assert http.delete(user.task_url(task_id), headers=user.headers).status_code == 204


def writer(http: httpx.Client, user: ApiUser, rng: random.Random) -> None:
    mine: list[int] = []
    for _ in range(WRITES_PER_WRITER):
        write(http, user, rng, mine)


def test_a_client_syncing_while_others_write_ends_with_the_servers_state(
    http: httpx.Client, committed_engine: Engine
) -> None:
    user = make_user()
    http.get("/api/users/me", headers=user.headers)
    replica: dict[int, Any] = {}
    token = pull(http, user, replica, None)
    rng = random.Random(14)
    writes = mismatches = 0
    for round_number in range(ROUNDS):
        with ThreadPoolExecutor(WRITERS) as pool:
            futures = [
                pool.submit(writer, http, user, random.Random(rng.random())) for _ in range(WRITERS)
            ]
            pulls = 0
            while not all(future.done() for future in futures):  # the reader syncs meanwhile
                token = pull(http, user, replica, token)
                pulls += 1
            for future in futures:
                future.result()  # a writer's failed request fails the test
        writes += WRITERS * WRITES_PER_WRITER
        token = pull(http, user, replica, token)
        table = {
            row.id: (row.title, row.priority, row.updated_at)
            for row in query(
                committed_engine,
                "SELECT id, title, priority::text, updated_at FROM tasks WHERE user_id = :u",
                u=user.user_id,
            )
        }
        mirrored = {
            task_id: (task["title"], task["priority"], _naive(task["updated_at"]))
            for task_id, task in replica.items()
        }
        if mirrored != table:
            mismatches += 1
        print(
            f"round {round_number + 1}: {pulls} syncs during {WRITERS * WRITES_PER_WRITER} "
            f"writes; {len(table)} tasks; replica equal: {mirrored == table}"
        )
    print(f"\nsync under concurrency: {ROUNDS} rounds, {writes} writes, {mismatches} mismatches")
    assert mismatches == 0
    # Nothing comes back forever: from the last token, no change.
    response = http.get(f"/api/{user.sub}/sync", params={"token": token}, headers=user.headers)
    assert response.json()["tasks"] == []
    assert response.json()["deleted"] == []


def _naive(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).replace(tzinfo=None)
