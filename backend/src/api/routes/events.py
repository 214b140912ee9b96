"""Live updates: the caller's task events, as they commit, as Server-Sent Events
(docs/events.md, "Live updates"; src/events/live.py)."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi.responses import StreamingResponse

from src.api.deps import PathCaller
from src.api.problems import responses
from src.events.live import RESET, LiveEvent, LiveEvents, LiveStream

router = APIRouter(
    prefix="/api/{user_id}/events", tags=["events"], responses=responses(401, 403, 422, 429, 503)
)

_STREAM_HEADERS = {
    "Cache-Control": "no-cache",
    # nginx buffers a proxied response unless told not to: events would arrive in bursts.
    "X-Accel-Buffering": "no",
}


@router.get(
    "",
    summary="The caller's task events as they commit (Server-Sent Events)",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": (
                "`text/event-stream`: each task event (a CloudEvent, as on `task-events`) as "
                "`id: <sequence>` and `data: <JSON>`; `: heartbeat` comments while idle; "
                "`event: reset` when events after `Last-Event-ID` are no longer kept."
            ),
            "content": {"text/event-stream": {"schema": {"type": "string"}}},
        }
    },
)
async def live_events(
    request: Request,
    caller: PathCaller,
    last_event_id: Annotated[
        int | None,
        Header(
            alias="Last-Event-ID",
            ge=0,
            description="The `id` of the last event received: the stream resumes after it.",
        ),
    ] = None,
) -> StreamingResponse:
    live: LiveEvents = request.app.state.live_events
    stream = await live.open(str(caller.user_id))
    return StreamingResponse(
        _frames(stream, last_event_id), media_type="text/event-stream", headers=_STREAM_HEADERS
    )


async def _frames(stream: LiveStream, last_event_id: int | None) -> AsyncIterator[bytes]:
    try:
        yield b"retry: 3000\n: connected\n\n"  # opens the stream at once, through proxies
        async for event in stream.events(last_event_id):
            yield _frame(event)
    finally:
        stream.close()


def _frame(event: LiveEvent | None) -> bytes:
    if event is None:
        return b": heartbeat\n\n"
    if event is RESET:
        return b"event: reset\ndata: {}\n\n"
    return b"id: %d\ndata: %s\n\n" % (event.sequence, event.data)
