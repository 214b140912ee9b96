"""Task events (issue 15), `bench/run.py --events`: the relay's throughput to a real NATS
JetStream, the delay from a write's transaction to its event's delivery under the mixed
load, and what 1,000 idle live-update streams hold (docs/events.md).

A nats-server of its own (tests/support/nats_server.py), the relay as `make relay` runs it
(`python -m src.cli.relay`), the API as `make serve` runs it (2 workers).
"""

import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import nats

from driver.layout import ORDINARY_USERS, REPO_ROOT, Layout, user_uuid
from driver.load import Measurement
from driver.scenarios import BY_KEY, Fixtures, sign_token
from tests.support.nats_server import NatsServer

BACKLOG = 20_000  # events in the outbox when a relay starts: its throughput
THROUGHPUT_ROUNDS = 3
STREAMS = 1_000  # idle live-update streams held open


class Relay:
    """`python -m src.cli.relay` on the bench database and this broker."""

    def __init__(self, env: dict[str, str], broker: NatsServer) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "src.cli.relay"],
            cwd=REPO_ROOT / "backend",
            env={**os.environ, **env, "NATS_URL": broker.url, "LOG_LEVEL": "WARNING"},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def stop(self) -> str:
        self.process.send_signal(signal.SIGTERM)
        out, _ = self.process.communicate(timeout=60)
        return out.strip().splitlines()[-1] if out.strip() else ""


def outbox_size(db: Any) -> int:
    with db.connect() as connection, connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM outbox_events")
        return int(cursor.fetchone()[0])


def wait_drained(db: Any, timeout: float = 300) -> float:
    """Seconds until the outbox is empty."""
    started = time.monotonic()
    while outbox_size(db) > 0:
        if time.monotonic() - started > timeout:
            raise SystemExit("events: the relay did not empty the outbox")
        time.sleep(0.02)
    return time.monotonic() - started


def fill_outbox(db: Any, layout: Layout, count: int) -> None:
    """`count` task events in the outbox: new tasks of the ordinary users, one statement."""
    with db.connect() as connection, connection.cursor() as cursor:
        cursor.execute("TRUNCATE outbox_events")
        cursor.execute(
            "INSERT INTO tasks (user_id, title)"
            " SELECT md5('bench-user-' || (i %% %s))::uuid, 'event ' || i"
            " FROM generate_series(1, %s) AS i",
            (ORDINARY_USERS, count),
        )
        if cursor.rowcount != count:
            raise SystemExit(f"events: {cursor.rowcount} tasks inserted, not {count}")


def relay_throughput(bench: Any, layout: Layout, broker: NatsServer) -> dict[str, Any]:
    """The relay emptying a backlog of BACKLOG events, THROUGHPUT_ROUNDS rounds: events/s."""
    rounds = []
    for _ in range(THROUGHPUT_ROUNDS):
        fill_outbox(bench.db, layout, BACKLOG)
        relay = Relay(bench.env, broker)
        time.sleep(0.5)  # imports; the relay's first batch starts the clock below
        while outbox_size(bench.db) == BACKLOG:
            time.sleep(0.005)
        left = outbox_size(bench.db)
        seconds = wait_drained(bench.db)
        relay.stop()
        rounds.append(round(left / seconds))
        bench.db.restore(layout)
    return {"backlog": BACKLOG, "events_per_second": rounds}


class Subscriber:
    """A core NATS subscription to task-events.> in a thread of its own: for each event,
    the seconds from its transaction's start (the CloudEvents `time`) to its arrival here."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.delays: list[float] = []
        self.ready = threading.Event()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True)
        self.thread.start()
        if not self.ready.wait(10):
            raise SystemExit("events: the subscriber did not connect")

    async def _run(self) -> None:
        client = await nats.connect(self.url)

        async def arrived(message: Any) -> None:
            event = json.loads(message.data)
            sent = time_of(event["time"])
            self.delays.append(time.time() - sent)

        await client.subscribe("task-events.>", cb=arrived)
        self.ready.set()
        while not self.stop.is_set():
            await asyncio.sleep(0.05)
        await client.drain()

    def finish(self) -> list[float]:
        self.stop.set()
        self.thread.join(timeout=30)
        return self.delays


def time_of(text: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(text).timestamp()


def end_to_end(
    bench: Any, layout: Layout, fixtures: Fixtures, broker: NatsServer
) -> dict[str, Any]:
    """The mixed workload for --seconds with the relay running: the delays of its events."""
    relay = Relay(bench.env, broker)
    subscriber = Subscriber(broker.url)
    with bench.server(2, env={"NATS_URL": broker.url}) as server:
        result: Measurement = bench.measure(server, fixtures, "mixed", None)
        wait_drained(bench.db)
        time.sleep(0.5)  # the last events on their way to the subscriber
    delays = sorted(subscriber.finish())
    relay.stop()
    bench.db.restore(layout)
    if not delays:
        raise SystemExit("events: no event arrived during the mixed run")
    return {
        "mixed": result.as_dict(),
        "events": len(delays),
        "p50_ms": round(statistics.median(delays) * 1000, 1),
        "p99_ms": round(delays[int(len(delays) * 0.99)] * 1000, 1),
        "max_ms": round(delays[-1] * 1000, 1),
    }


def idle_streams(bench: Any, broker: NatsServer) -> dict[str, Any]:
    """STREAMS idle live-update streams on the 2-worker server: what /metrics says they hold."""
    relay = Relay(bench.env, broker)  # the stream exists once the relay published
    token = sign_token(bench.jwt_secret, 1)
    user = user_uuid(1)
    with bench.server(2, env={"NATS_URL": broker.url}) as server:
        headers = {"Authorization": f"Bearer {token}"}

        async def hold() -> dict[str, Any]:
            limits = httpx.Limits(max_connections=STREAMS + 10)
            async with httpx.AsyncClient(base_url=server.url, limits=limits, timeout=30) as client:
                streams = [
                    client.stream("GET", f"/api/{user}/events", headers=headers)
                    for _ in range(STREAMS)
                ]
                responses = await asyncio.gather(*(s.__aenter__() for s in streams))
                statuses = sorted({r.status_code for r in responses})
                await asyncio.sleep(2)
                metrics = await client.get("/metrics")
                await asyncio.gather(*(s.__aexit__(None, None, None) for s in streams))
            return {"statuses": statuses, **gauges(metrics.text)}

        held = asyncio.run(hold())
    relay.stop()
    return {"streams": STREAMS, "workers": 2, **held}


def gauges(text: str) -> dict[str, float]:
    wanted = {
        "taskapi_db_pool_checked_out": "db_connections_checked_out",
        "taskapi_live_streams": "live_streams",
    }
    found = {}
    for line in text.splitlines():
        name, _, value = line.partition(" ")
        if name in wanted:
            found[wanted[name]] = float(value)
    return found


def events(bench: Any) -> dict[str, Any]:
    layout, fixtures, _ = bench.prepare(min(bench.args.scales))
    with tempfile.TemporaryDirectory() as store, NatsServer(Path(store)) as broker:
        throughput = relay_throughput(bench, layout, broker)
        print(f"  relay: {throughput['events_per_second']} events/s", flush=True)
        latency = end_to_end(bench, layout, fixtures, broker)
        print(
            f"  commit to delivery under mixed: p50 {latency['p50_ms']} ms,"
            f" p99 {latency['p99_ms']} ms ({latency['events']} events)",
            flush=True,
        )
        streams = idle_streams(bench, broker)
        print(f"  {STREAMS} idle streams: {streams}", flush=True)
    return {
        "tasks": layout.tasks,
        "relay": throughput,
        "end_to_end": latency,
        "idle_streams": streams,
        "mixed_title": BY_KEY["mixed"].title,
    }
