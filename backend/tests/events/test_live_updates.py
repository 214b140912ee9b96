"""Live updates (GET /api/{user_id}/events) end to end: the app served by uvicorn, the relay
as a process, and a real NATS JetStream server of the test's own; the streams read by httpx
as a browser's fetch reads them. Printed figures (`pytest -s`) are quoted in docs/events.md.
"""

import asyncio
import json
import queue
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.engine import URL

from src.main import create_app
from tests.events.test_relay_live import RelayProcess, drained
from tests.support.api_users import ApiUser, make_user
from tests.support.live_server import LiveServer
from tests.support.nats_server import NatsServer
from tests.support.settings import suite_settings

pytestmark = pytest.mark.integration

WAIT = 15.0


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[NatsServer]:
    with NatsServer(tmp_path / "jetstream") as server:
        yield server


@pytest.fixture
def served(committed_url: URL, broker: NatsServer) -> Iterator[tuple[FastAPI, str]]:
    """The app and its URL, with a relay publishing its events (its stream exists first)."""
    relay = RelayProcess(committed_url, broker)
    settings = suite_settings(
        nats_url=broker.url, sse_heartbeat_seconds=0.5, sse_max_streams=1100, db_pool_size=5
    )
    app = create_app(settings, database_url=committed_url)
    with LiveServer(app) as live:
        provisioned = make_user()  # the relay's first event creates the stream
        httpx.get(f"{live.url}/api/users/me", headers=provisioned.headers, timeout=WAIT)
        drained(committed_url)
        yield app, live.url
    relay.stop()


class Stream:
    """An open event stream, read in a thread: its events (id, data) and comments, queued."""

    def __init__(self, base_url: str, user: ApiUser, last_event_id: int | None = None) -> None:
        headers = dict(user.headers)
        if last_event_id is not None:
            headers["Last-Event-ID"] = str(last_event_id)
        self.items: queue.Queue[tuple[str, Any]] = queue.Queue()
        self.client = httpx.Client(base_url=base_url, timeout=httpx.Timeout(WAIT, read=None))
        self.response = self.client.send(
            self.client.build_request("GET", f"/api/{user.sub}/events", headers=headers),
            stream=True,
        )
        assert self.response.status_code == 200, self.response.read()
        assert self.response.headers["content-type"].startswith("text/event-stream")
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        fields: dict[str, str] = {}
        try:
            for line in self.response.iter_lines():
                if line.startswith(":"):
                    self.items.put(("comment", line[1:].strip()))
                elif line == "":
                    if "data" in fields:
                        self.items.put((fields.get("event", "message"), fields))
                    fields = {}
                else:
                    name, _, value = line.partition(":")
                    fields[name] = value.removeprefix(" ")
        except httpx.HTTPError:
            pass  # closed by the test

    def events(self, count: int) -> list[tuple[int, dict[str, Any]]]:
        """The next `count` events: (id, CloudEvent), comments skipped."""
        got: list[tuple[int, dict[str, Any]]] = []
        deadline = time.monotonic() + WAIT
        while len(got) < count:
            kind, item = self.items.get(timeout=max(0.1, deadline - time.monotonic()))
            if kind == "message":
                got.append((int(item["id"]), json.loads(item["data"])))
        return got

    def quiet(self, seconds: float) -> list[str]:
        """What arrives in `seconds`: must be comments only (no event)."""
        kinds = []
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                kind, item = self.items.get(timeout=left)
            except queue.Empty:
                break
            kinds.append(kind if kind != "comment" else f": {item}")
        return kinds

    def close(self) -> None:
        self.response.close()
        self.client.close()


def write(base_url: str, user: ApiUser, method: str, path: str, body: Any = None) -> Any:
    response = httpx.request(
        method, f"{base_url}{path}", json=body, headers=user.headers, timeout=WAIT
    )
    assert response.status_code < 300, response.text
    return response.json() if response.content else None


def test_an_open_page_gets_its_callers_task_changes_as_they_commit_and_no_one_elses(
    served: tuple[FastAPI, str],
) -> None:
    _, url = served
    alice, bob = make_user(), make_user()
    alice_stream, bob_stream = Stream(url, alice), Stream(url, bob)
    try:
        task = write(url, alice, "POST", alice.tasks_url, {"title": "live"})
        write(url, alice, "PUT", alice.task_url(task["id"]), {"title": "live, renamed"})
        write(url, alice, "DELETE", alice.task_url(task["id"]))
        write(url, bob, "POST", bob.tasks_url, {"title": "bob's"})

        got = alice_stream.events(3)
        bobs = bob_stream.events(1)

        assert [event["type"].rsplit(".", 1)[1] for _, event in got] == [
            "created",
            "updated",
            "deleted",
        ]
        assert got[1][1]["data"]["task_data"]["title"] == "live, renamed"
        assert [i for i, _ in got] == sorted(i for i, _ in got)
        assert bobs[0][1]["data"]["task_data"]["title"] == "bob's"
        assert {event["data"]["user_id"] for _, event in got} == {str(alice.user_id)}
        assert alice_stream.quiet(1.2).count(": heartbeat") >= 2  # every 0.5 s when idle
    finally:
        alice_stream.close()
        bob_stream.close()


def test_last_event_id_resumes_after_a_reconnect_without_a_gap_or_a_repeat(
    served: tuple[FastAPI, str], committed_url: URL
) -> None:
    _, url = served
    alice = make_user()
    first = Stream(url, alice)
    write(url, alice, "POST", alice.tasks_url, {"title": "seen"})
    [(seen_id, _)] = first.events(1)
    first.close()
    for title in ("missed 1", "missed 2"):  # while the page was offline
        write(url, alice, "POST", alice.tasks_url, {"title": title})
    drained(committed_url)

    again = Stream(url, alice, last_event_id=seen_id)
    write(url, alice, "POST", alice.tasks_url, {"title": "live again"})
    try:
        got = again.events(3)
        titles = [event["data"]["task_data"]["title"] for _, event in got]

        assert titles == ["missed 1", "missed 2", "live again"]
        assert [i for i, _ in got] == sorted({i for i, _ in got})
        assert got[0][0] > seen_id
        assert "message" not in again.quiet(1)  # nothing twice
    finally:
        again.close()


def test_a_thousand_idle_streams_hold_no_database_connection(
    served: tuple[FastAPI, str],
) -> None:
    app, url = served
    user = make_user()
    opened = 1000

    async def hold() -> tuple[int, int, int]:
        limits = httpx.Limits(max_connections=opened + 10)
        async with httpx.AsyncClient(base_url=url, limits=limits, timeout=WAIT) as client:
            streams = [
                client.stream("GET", f"/api/{user.sub}/events", headers=user.headers)
                for _ in range(opened)
            ]
            responses = await asyncio.gather(*(s.__aenter__() for s in streams))
            assert {r.status_code for r in responses} == {200}
            await asyncio.sleep(1)  # idle: heartbeats only
            stats = app.state.db_pool.get_stats()
            checked_out = stats["pool_size"] - stats["pool_available"]
            live = app.state.live_events._open
            async with client.stream(
                "GET", f"/api/{user.sub}/events", headers=user.headers
            ) as one_more:
                status = one_more.status_code
            await asyncio.gather(*(s.__aexit__(None, None, None) for s in streams))
            return checked_out, live, status

    checked_out, live, over = asyncio.run(hold())

    assert live == opened
    assert checked_out == 0
    assert over == 200  # 1,001 of SSE_MAX_STREAMS = 1,100: still served
    print(f"\n{opened} idle live streams on one worker: {checked_out} database connections")


def test_streams_past_the_bound_are_refused_with_503(
    served: tuple[FastAPI, str], committed_url: URL, broker: NatsServer
) -> None:
    settings = suite_settings(nats_url=broker.url, sse_max_streams=2, sse_heartbeat_seconds=0.2)
    user = make_user()
    with LiveServer(create_app(settings, database_url=committed_url)) as live:
        streams = [Stream(live.url, user) for _ in range(2)]
        refused = httpx.get(f"{live.url}/api/{user.sub}/events", headers=user.headers)
        for stream in streams:
            stream.close()
        time.sleep(1)  # the server sees them closed at its next write (a heartbeat)
        again = Stream(live.url, user)
        again.close()

    assert refused.status_code == 503
    assert refused.headers["content-type"] == "application/problem+json"
    assert "2 live streams" in refused.json()["detail"]
    assert "retry-after" in refused.headers
