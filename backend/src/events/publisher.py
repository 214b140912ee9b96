"""Where the relay publishes: a small interface, and NATS JetStream behind it.

Another broker plugs in as another `Publisher`: `publish` must return only once the broker
stored the event (the relay then deletes it from the outbox), and raise otherwise. Kafka
through Dapr, for instance, would be an httpx POST to the sidecar's
`/v1.0/publish/<pubsub>/<topic>` with the CloudEvent as the body
(`Content-Type: application/cloudevents+json`), which answers 204 once the broker took it.
Only JetStream is built and tested here (docs/events.md).
"""

import asyncio
import math
from typing import Protocol

from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import StreamConfig
from nats.js.errors import BadRequestError

from src.events.cloudevents import SUBJECTS


async def connect_nats(url: str, timeout: float) -> Client:
    """A client of `url` that reconnects for ever once connected; TimeoutError when the first
    connection takes longer than `timeout` (nats-py retries a first connection for ever too,
    when told to reconnect for ever)."""
    client = Client()
    try:
        await asyncio.wait_for(
            client.connect(
                servers=[url],
                connect_timeout=math.ceil(timeout),
                allow_reconnect=True,
                max_reconnect_attempts=-1,
                reconnect_time_wait=1,
            ),
            timeout,
        )
    except BaseException:
        await client.close()
        raise
    return client


class Publisher(Protocol):
    async def publish(self, subject: str, event_id: str, payload: bytes) -> bool:
        """Store one event on the broker; True when the broker already had its id (a
        republication it dropped). Raises when the broker did not acknowledge it."""
        ...

    async def close(self) -> None: ...


class JetStreamPublisher:
    """Publishes to one JetStream stream, each event with `Nats-Msg-Id` = its CloudEvents
    id: JetStream drops an id it stored within the stream's duplicate window."""

    def __init__(self, client: Client, stream: str, timeout: float) -> None:
        self._client = client
        self._js: JetStreamContext = client.jetstream(timeout=timeout)
        self._stream = stream
        self._timeout = timeout

    @classmethod
    async def connect(
        cls, url: str, stream: str, duplicate_window: float, timeout: float
    ) -> "JetStreamPublisher":
        """Connected (reconnecting for ever after), with the stream created if missing."""
        client = await connect_nats(url, timeout)
        publisher = cls(client, stream, timeout)
        await publisher._ensure_stream(duplicate_window)
        return publisher

    async def _ensure_stream(self, duplicate_window: float) -> None:
        config = StreamConfig(
            name=self._stream,
            subjects=[f"{subject}.>" for subject in SUBJECTS.values()],
            duplicate_window=duplicate_window,
        )
        try:
            await self._js.add_stream(config)
        except BadRequestError:
            # It exists with another configuration: the operator's limits are kept, and only
            # subjects it lacks (reminders, added after task events) are added.
            info = await self._js.stream_info(self._stream)
            subjects = list(info.config.subjects or [])
            missing = [s for s in config.subjects or [] if s not in subjects]
            if missing:
                info.config.subjects = subjects + missing
                await self._js.update_stream(info.config)

    async def publish(self, subject: str, event_id: str, payload: bytes) -> bool:
        ack = await self._js.publish(
            subject,
            payload,
            timeout=self._timeout,
            stream=self._stream,
            headers={"Nats-Msg-Id": event_id},
        )
        return bool(ack.duplicate)

    async def close(self) -> None:
        await self._client.close()
