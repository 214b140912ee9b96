"""The relay (src/events/relay.py, `python -m src.cli.relay`) against a real NATS JetStream
server of the test's own (tests/support/nats_server.py), on a committed database, with the
faults docs/events.md promises to survive. Printed figures (`pytest -s`) are quoted in
docs/events.md and the closing note of the events issue.

Each writer is one user writing in turn through the API (uvicorn): its acknowledged writes,
in order, are what the stream must hold for that user, in the same order.
"""

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import nats
import psycopg
import pytest
from sqlalchemy.engine import URL

from src.db.urls import libpq_conninfo
from src.main import create_app
from tests.support.api_users import ApiUser, make_user
from tests.support.databases import BACKEND_DIR
from tests.support.live_server import LiveServer
from tests.support.nats_server import NatsServer
from tests.support.settings import suite_settings

pytestmark = pytest.mark.integration

STREAM = "TASK_EVENTS"
CONSUMER_EXAMPLE = BACKEND_DIR.parent / "docs" / "examples" / "task_events_consumer.py"
Event = tuple[str, int | None]  # (CloudEvents type, task id)


# --- the parts -----------------------------------------------------------------------------


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[NatsServer]:
    with NatsServer(tmp_path / "jetstream") as server:
        yield server


class RelayProcess:
    """`python -m src.cli.relay` on the test's database and broker."""

    def __init__(self, url: URL, broker: NatsServer, batch: int = 200) -> None:
        env = {
            **os.environ,
            "DATABASE_URL": url.render_as_string(hide_password=False),
            "NATS_URL": broker.url,
            "EVENTS_STREAM": STREAM,
            "RELAY_BATCH_SIZE": str(batch),
            "RELAY_PUBLISH_TIMEOUT_SECONDS": "1",
            "LOG_LEVEL": "WARNING",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "src.cli.relay"],
            cwd=BACKEND_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self._ready = False

    def ready(self) -> None:
        """Once it has said it is relaying: its SIGTERM handler is in place (a SIGTERM during
        its imports would end it without its report)."""
        if self._ready:
            return
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        assert line.startswith("relaying the outbox"), line
        self._ready = True

    def stop(self) -> dict[str, int]:
        """SIGTERM; what it says it published."""
        self.ready()
        self.process.send_signal(signal.SIGTERM)
        out, err = self.process.communicate(timeout=30)
        found = re.search(
            r"published (\d+) events in (\d+) batches, (\d+) duplicates .*, (\d+) failed", out
        )
        assert found, (out, err)
        published, _, duplicates, failed = map(int, found.groups())
        return {"published": published, "duplicates": duplicates, "failed": failed}

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.communicate(timeout=30)


def outbox_size(url: URL) -> int:
    with psycopg.connect(libpq_conninfo(url)) as db:
        row = db.execute("SELECT count(*) FROM outbox_events").fetchone()
        assert row is not None
        return int(row[0])


def drained(url: URL, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while outbox_size(url) > 0:
        assert time.monotonic() < deadline, f"{outbox_size(url)} events never published"
        time.sleep(0.1)


def stream_messages(broker: NatsServer) -> list[dict[str, Any]]:
    """Every message the stream holds, in stream order, as CloudEvents."""

    async def read() -> list[dict[str, Any]]:
        client = await nats.connect(broker.url)
        try:
            js = client.jetstream()
            try:
                info = await js.stream_info(STREAM)
            except nats.js.errors.NotFoundError:  # no relay created it yet
                return []
            return [
                json.loads((await js.get_msg(STREAM, seq)).data or b"")
                for seq in range(info.state.first_seq, info.state.last_seq + 1)
                if info.state.messages
            ]
        finally:
            await client.close()

    return asyncio.run(read())


def by_user(messages: list[dict[str, Any]]) -> dict[str, list[Event]]:
    sequences: dict[str, list[Event]] = {}
    for message in messages:
        data = message["data"]
        sequences.setdefault(data["user_id"], []).append((message["type"], data.get("task_id")))
    return sequences


class Writers:
    """`count` users, each writing in turn through the API until stopped: create, rename,
    complete every third, delete every second. `expected` holds each user's acknowledged
    writes as the events they must publish, in order."""

    def __init__(self, base_url: str, count: int) -> None:
        self.base_url = base_url
        self.users = [make_user() for _ in range(count)]
        self.expected: dict[str, list[Event]] = {
            str(user.user_id): [("com.taskapi.user.created", None)] for user in self.users
        }
        self.failures: list[str] = []
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._write, args=(u,)) for u in self.users]

    def _write(self, user: ApiUser) -> None:
        events = self.expected[str(user.user_id)]
        with httpx.Client(base_url=self.base_url, headers=user.headers, timeout=30) as http:
            n = 0
            while not self.stop.is_set():
                n += 1
                created = http.post(user.tasks_url, json={"title": f"task {n}"})
                if created.status_code != 201:
                    self.failures.append(created.text)
                    return
                task = created.json()["id"]
                events.append(("com.taskapi.task.created", task))
                url = user.task_url(task)
                for status, event, method, path, body in (
                    (200, "updated", "PUT", url, {"title": "x"}),
                    (200, "completed", "PATCH", f"{url}/complete", None),
                    (204, "deleted", "DELETE", url, None),
                ):
                    if event == "completed" and n % 3:
                        continue
                    if event == "deleted" and n % 2:
                        continue
                    response = http.request(method, path, json=body)
                    if response.status_code != status:
                        self.failures.append(response.text)
                        return
                    events.append((f"com.taskapi.task.{event}", task))

    @property
    def writes(self) -> int:
        return sum(len(events) - 1 for events in self.expected.values())

    def __enter__(self) -> "Writers":
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)


@pytest.fixture
def api(committed_url: URL) -> Iterator[str]:
    app = create_app(suite_settings(db_pool_size=10), database_url=committed_url)
    with LiveServer(app) as live:
        yield live.url


def check_delivery(messages: list[dict[str, Any]], writers: Writers) -> tuple[int, int]:
    """Every acknowledged write is in the stream, once, in its user's order: (lost, dupes)."""
    ids = [message["id"] for message in messages]
    duplicated = len(ids) - len(set(ids))
    delivered = by_user(messages)
    lost = 0
    for user, expected in writers.expected.items():
        got = delivered.get(user, [])
        lost += len(set(expected) - set(got))  # each (type, task) happens once per user
        assert got == expected, f"user {user}: {len(got)} events, {len(expected)} writes"
    return lost, duplicated


# --- the faults ----------------------------------------------------------------------------


def test_broker_down_ten_seconds_under_writes_loses_nothing(
    committed_url: URL, broker: NatsServer, api: str
) -> None:
    relay = RelayProcess(committed_url, broker)
    # A change that rolls back publishes nothing.
    ghost = uuid.uuid4()
    with psycopg.connect(libpq_conninfo(committed_url)) as db:
        db.execute("INSERT INTO users (id, email) VALUES (%s, 'ghost@example.com')", (ghost,))
        db.rollback()
    with Writers(api, count=4) as writers:
        time.sleep(2)
        broker.stop()
        time.sleep(10)
        waiting = outbox_size(committed_url)  # the events of the outage, kept
        broker.start()
        time.sleep(2)
    assert not writers.failures, writers.failures[:3]
    drained(committed_url)
    stats = relay.stop()

    messages = stream_messages(broker)
    lost, duplicated = check_delivery(messages, writers)

    assert str(ghost) not in {m["data"]["user_id"] for m in messages}
    assert lost == 0
    assert duplicated == 0
    assert waiting > 0
    print(
        f"\nbroker down 10 s: {waiting} events waiting in the outbox at its end;"
        f" {writers.writes} acknowledged writes, {len(messages)} events"
        f" delivered ({len(writers.users)} user events), lost {lost}, duplicated in the stream"
        f" {duplicated}; relay: {stats['failed']} failed batches, {stats['duplicates']}"
        " republished events dropped by JetStream"
    )


def test_relay_killed_mid_batch_republishes_under_the_same_ids(
    committed_url: URL, broker: NatsServer
) -> None:
    user, total = uuid.uuid4(), 5000
    with psycopg.connect(libpq_conninfo(committed_url), autocommit=True) as db:
        db.execute("INSERT INTO users (id, email) VALUES (%s, 'bulk@example.com')", (user,))
        db.execute(
            "INSERT INTO tasks (user_id, title) SELECT %s, 'bulk ' || i"
            " FROM generate_series(1, %s) AS i",
            (user, total),
        )
    events = total + 1
    relay = RelayProcess(committed_url, broker, batch=1000)

    async def in_stream() -> int:
        client = await nats.connect(broker.url)
        try:
            js = client.jetstream()
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    count = (await js.stream_info(STREAM)).state.messages
                except nats.js.errors.NotFoundError:
                    count = 0
                if count >= 1500:  # into the second batch
                    return count
                await asyncio.sleep(0.002)
            raise AssertionError("the relay published nothing")
        finally:
            await client.close()

    asyncio.run(in_stream())
    relay.kill()
    published_before_kill = len(stream_messages(broker))
    deleted_before_kill = events - outbox_size(committed_url)
    assert published_before_kill > deleted_before_kill  # killed between publish and delete
    assert deleted_before_kill < events

    second = RelayProcess(committed_url, broker, batch=1000)
    drained(committed_url)
    stats = second.stop()
    messages = stream_messages(broker)

    ids = [m["id"] for m in messages]
    assert len(ids) == len(set(ids)) == events
    tasks = [m["data"]["task_id"] for m in messages[1:]]
    assert tasks == sorted(tasks)
    assert stats["duplicates"] == published_before_kill - deleted_before_kill
    print(
        f"\nrelay SIGKILLed mid-batch: {events} events, {deleted_before_kill} deleted and"
        f" {published_before_kill} published before the kill; after the restart"
        f" {len(messages)} in the stream, lost 0, {stats['duplicates']} republished and"
        " dropped by JetStream (same id), duplicated in the stream 0"
    )


def test_two_relays_publish_each_event_once_in_order(
    committed_url: URL, broker: NatsServer, api: str
) -> None:
    relays = [RelayProcess(committed_url, broker, batch=20) for _ in range(2)]
    with Writers(api, count=4) as writers:
        time.sleep(5)
    assert not writers.failures, writers.failures[:3]
    drained(committed_url)
    stats = [relay.stop() for relay in relays]

    messages = stream_messages(broker)
    lost, duplicated = check_delivery(messages, writers)

    assert sum(s["published"] for s in stats) == len(messages)  # none published twice
    assert sum(s["duplicates"] for s in stats) == 0
    assert lost == 0
    assert duplicated == 0
    print(
        f"\ntwo relays: {writers.writes} writes, {len(messages)} events, published"
        f" {stats[0]['published']} + {stats[1]['published']}, published twice 0, lost 0"
    )

    # The consumer of docs/events.md reads the task events, each once.
    task_events = [m for m in messages if m["type"].startswith("com.taskapi.task.")]
    example = subprocess.run(
        [sys.executable, str(CONSUMER_EXAMPLE), broker.url, str(len(task_events))],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    lines = example.stdout.splitlines()
    assert lines == [
        f"{m['data']['event_type']} {m['data']['task_id']} {m['data']['task_data']['title']}"
        for m in task_events
    ]


def test_a_reminder_is_published_once_at_its_time_across_relays_and_restarts(
    committed_url: URL, broker: NatsServer
) -> None:
    user = uuid.uuid4()
    insert = (
        "INSERT INTO tasks (user_id, title, due_date, remind_at) VALUES (%s, %s,"
        " (now() AT TIME ZONE 'UTC') + interval '1 day',"
        " (now() AT TIME ZONE 'UTC') + %s::interval) RETURNING id"
    )
    with psycopg.connect(libpq_conninfo(committed_url), autocommit=True) as db:
        db.execute("INSERT INTO users (id, email) VALUES (%s, 'remind@example.com')", (user,))
        ids = {
            title: db.execute(insert, (user, title, offset)).fetchone()[0]  # type: ignore[index]
            for title, offset in (
                ("in 8 s", "8 seconds"),
                ("missed while down", "-10 minutes"),
                ("completed first", "8 seconds"),
                ("deleted first", "8 seconds"),
            )
        }
        db.execute("UPDATE tasks SET is_completed = true WHERE id = %s", (ids["completed first"],))
        db.execute("DELETE FROM tasks WHERE id = %s", (ids["deleted first"],))
    started = time.monotonic()
    relays = [RelayProcess(committed_url, broker) for _ in range(2)]

    def reminders() -> list[dict[str, Any]]:
        return [m for m in stream_messages(broker) if m["type"] == "com.taskapi.reminder.due"]

    while not (early := [m["data"]["title"] for m in reminders()]):
        assert time.monotonic() - started < 6, "no reminder published"
        time.sleep(0.1)
    assert time.monotonic() - started < 7
    assert early == ["missed while down"]  # fired on start; the others' time has not come
    time.sleep(max(0.0, 10 - (time.monotonic() - started)))
    relays[0].kill()  # one relay dies, another starts: nothing is sent again
    relays.append(RelayProcess(committed_url, broker))
    time.sleep(2)
    for relay in relays[1:]:
        relay.stop()

    sent = reminders()
    assert sorted(m["data"]["title"] for m in sent) == ["in 8 s", "missed while down"]
    for message in sent:
        assert message["time"] >= message["data"]["remind_at"]  # queued when due, not before
        assert message["data"]["user_id"] == str(user)
        assert message["subject"] == f"tasks/{ids[message['data']['title']]}"
    print(
        "\nreminders: 2 of 4 published (1 due while the relays were down, 1 on time; 1 completed"
        " and 1 deleted before their time: none), each once across 3 relays and a SIGKILL"
    )
