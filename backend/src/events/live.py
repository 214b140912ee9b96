"""Live updates for open pages: the caller's task events as Server-Sent Events
(GET /api/{user_id}/events, docs/events.md "Live updates").

Fed by the broker, not the database: each worker holds one JetStream ordered consumer of
`task-events.>` (what the relay publishes, as it commits), started at the first stream it
serves, and hands each event to the open streams of its user. An open stream holds no
database connection and no consumer of its own: a queue in this process.

An event's SSE id is its JetStream stream sequence. A client that reconnects with
`Last-Event-ID` first gets the user's events after that sequence, read from the stream
(`get_msg(..., next=True)` on the user's subject), then the live ones, none twice. When
the events after it are no longer in the stream (its retention), the stream starts with an
`event: reset`: the client reloads its list (or syncs) before it goes on.
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js.api import DeliverPolicy
from nats.js.errors import NotFoundError

from src.core.errors import ServiceUnavailableError
from src.core.metrics import LIVE_STREAMS
from src.core.settings import Settings
from src.events.cloudevents import SUBJECTS
from src.events.publisher import connect_nats

_TASKS = SUBJECTS["task"]
# Events a stream may have waiting before it is closed (a client that does not read): it
# reconnects with Last-Event-ID and loses nothing.
_QUEUE_SIZE = 1000
_CLOSED = (0, b"")  # in a queue: the stream ends
_CONNECT_TIMEOUT = 2.0  # seconds a stream's request waits for the broker, then 503


@dataclass(frozen=True)
class LiveEvent:
    sequence: int
    data: bytes


# Yielded first when events after a client's Last-Event-ID are gone from the stream.
RESET = LiveEvent(0, b"")


class LiveEvents:
    """One per worker (app.state.live_events)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._client: Client | None = None
        self._queues: dict[str, set[asyncio.Queue[tuple[int, bytes]]]] = {}
        self._open = 0
        self._starting = asyncio.Lock()

    async def _started(self) -> Client:
        async with self._starting:
            if self._client is None:
                try:
                    client = await connect_nats(self.settings.nats_url, _CONNECT_TIMEOUT)
                except Exception as error:  # nats-py raises several kinds
                    raise ServiceUnavailableError(_unavailable(error)) from None
                try:
                    await client.jetstream().subscribe(
                        f"{_TASKS}.>",
                        stream=self.settings.events_stream,
                        ordered_consumer=True,
                        deliver_policy=DeliverPolicy.NEW,
                        cb=self._deliver,
                    )
                except Exception as error:  # no stream yet: no relay ever ran
                    await client.close()
                    raise ServiceUnavailableError(_unavailable(error)) from None
                self._client = client
            return self._client

    async def _deliver(self, message: Msg) -> None:
        user = message.subject.partition(".")[2]
        for queue in self._queues.get(user, ()):
            try:
                queue.put_nowait((message.metadata.sequence.stream, message.data))
            except asyncio.QueueFull:  # a client that does not read: close its stream
                with contextlib.suppress(asyncio.QueueEmpty):
                    queue.get_nowait()
                queue.put_nowait(_CLOSED)

    async def open(self, user_id: str) -> "LiveStream":
        """A stream of the user's events, registered now (nothing published from here on is
        missed). 503 (ServiceUnavailableError) when the broker cannot be reached or this
        worker serves SSE_MAX_STREAMS already."""
        if self._open >= self.settings.sse_max_streams:
            raise ServiceUnavailableError(f"this worker serves {self._open} live streams", 5)
        client = await self._started()
        queue: asyncio.Queue[tuple[int, bytes]] = asyncio.Queue(_QUEUE_SIZE)
        self._queues.setdefault(user_id, set()).add(queue)
        self._open += 1
        LIVE_STREAMS.inc()
        return LiveStream(self, client, user_id, queue)

    def _close(self, user_id: str, queue: "asyncio.Queue[tuple[int, bytes]]") -> None:
        queues = self._queues.get(user_id)
        if queues is None or queue not in queues:
            return
        queues.discard(queue)
        if not queues:
            del self._queues[user_id]
        self._open -= 1
        LIVE_STREAMS.dec()

    async def close(self) -> None:
        for queues in self._queues.values():
            for queue in queues:
                with contextlib.suppress(asyncio.QueueFull):
                    queue.put_nowait(_CLOSED)
        if self._client is not None:
            await self._client.close()
            self._client = None
        self._starting = asyncio.Lock()  # the next start may be on another event loop


class LiveStream:
    """One open stream: its queue in LiveEvents until `close()`."""

    def __init__(
        self,
        live: LiveEvents,
        client: Client,
        user_id: str,
        queue: "asyncio.Queue[tuple[int, bytes]]",
    ) -> None:
        self._live, self._client, self._user_id, self._queue = live, client, user_id, queue
        self._heartbeat = live.settings.sse_heartbeat_seconds
        self._stream = live.settings.events_stream

    async def events(self, last_event_id: int | None) -> AsyncIterator[LiveEvent | None]:
        """The user's events: after `last_event_id` first, when given, then live. None is a
        heartbeat due (SSE_HEARTBEAT_SECONDS without an event); RESET, a gap before them."""
        sent = 0
        if last_event_id is not None:
            async for event in self._after(last_event_id):
                sent = max(sent, event.sequence)
                yield event
        while True:
            try:
                sequence, data = await asyncio.wait_for(self._queue.get(), self._heartbeat)
            except TimeoutError:
                yield None
                continue
            if (sequence, data) == _CLOSED:
                return
            if sequence > sent:  # not already read from the stream
                sent = sequence
                yield LiveEvent(sequence, data)

    async def _after(self, last: int) -> AsyncIterator[LiveEvent]:
        """The user's events after stream sequence `last`, from the stream."""
        js = self._client.jetstream()
        stream = self._stream
        info = await js.stream_info(stream)
        if info.state.first_seq > last + 1 or last > info.state.last_seq:
            yield RESET  # some of what followed is gone, or the id is from another stream
        sequence = max(last + 1, info.state.first_seq)
        while True:
            try:
                message = await js.get_msg(
                    stream, sequence, subject=f"{_TASKS}.{self._user_id}", next=True
                )
            except NotFoundError:
                return
            assert message.seq is not None
            yield LiveEvent(message.seq, message.data or b"")
            sequence = message.seq + 1

    def close(self) -> None:
        self._live._close(self._user_id, self._queue)


def _unavailable(error: BaseException) -> str:
    reason = str(error) or type(error).__name__
    return f"live updates are unavailable: the broker cannot be reached ({reason})"
