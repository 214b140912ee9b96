"""The work done around every HTTP request, in one pure ASGI layer (RequestEdgeMiddleware).

One layer rather than one per concern: each ASGI layer costs a coroutine call and a wrapped
`send` per request, and the four this replaced (request context, body size, security headers,
CORS) took 30% of the API's cheapest request (docs/performance.md, "Price list"). They read
the request headers in one pass and add their response headers in one. Still pure ASGI:
BaseHTTPMiddleware would buffer bodies and break streaming.
"""

import logging
import re
import secrets
import time
from typing import Any

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from src.api.problems import problem_response
from src.core.logs import request_id_var
from src.core.metrics import observe_request

access_log = logging.getLogger("task_api.access")
cors_log = logging.getLogger("task_api.cors")

_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
_NOSNIFF = (b"x-content-type-options", b"nosniff")
_NO_STORE = (b"cache-control", b"no-store")


class RequestEdgeMiddleware:
    """Around every HTTP request:

    - **request id**: the client's X-Request-ID when it is sane, else a new one; returned in
      the response and set in the log context (src/core/logs.py);
    - **body size**: 413 for bodies over `max_body_bytes`, at once when Content-Length says
      so, or as soon as a chunked body passes it, without ever holding more than the limit;
    - **security headers**: `nosniff` on every response, `no-store` on the API's (they carry
      a user's data);
    - **CORS**: requests with an Origin go through Starlette's CORS (LoggedCORSMiddleware);
      the others only get `Vary: Origin`, which is all Starlette would add to them;
    - **access log and metrics**: one log line with the route template, status, duration and
      user id, and the request counted in the Prometheus metrics;
    - headers that dependencies left in `state["response_headers"]` (rate-limit headers) are
      added to whatever response the route produced.
    """

    def __init__(self, app: ASGIApp, max_body_bytes: int, cors: dict[str, Any]) -> None:
        self.app = app
        self.cors = LoggedCORSMiddleware(app, **cors)
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = origin = declared = chunked = None
        for name, value in scope["headers"]:
            if name == b"x-request-id":
                request_id = _sane_request_id(value)
            elif name == b"origin":
                origin = value
            elif name == b"content-length":
                declared = value
            elif name == b"transfer-encoding":
                chunked = value
        if request_id is None:
            request_id = secrets.token_hex(16)
        token = request_id_var.set(request_id)
        state: dict[str, Any] = scope.setdefault("state", {})
        started = time.perf_counter()
        status = 500
        added = [(b"x-request-id", request_id.encode()), _NOSNIFF]
        if scope["path"].startswith("/api/"):
            added.append(_NO_STORE)

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = message.setdefault("headers", [])
                headers.extend(added)
                for name, value in state.get("response_headers", {}).items():
                    headers.append((name.lower().encode(), value.encode()))
                if origin is None:
                    _vary_on_origin(headers)
            await send(message)

        try:
            if declared is not None and declared.isdigit() and int(declared) > self.max_body_bytes:
                await self._too_large()(scope, receive, send_with_headers)
            else:
                if chunked is not None and declared is None:  # else the server stops at the length
                    receive = self._counting(receive)
                inner = self.app if origin is None else self.cors
                await inner(scope, receive, send_with_headers)
        finally:
            route = getattr(scope.get("route"), "path_format", None)
            seconds = time.perf_counter() - started
            observe_request(scope["method"], route, status, seconds)
            if access_log.isEnabledFor(logging.INFO):  # the arguments cost when it is not
                access_log.info(
                    "%s %s %s %.1fms user=%s",
                    scope["method"],
                    route or "<unmatched>",
                    status,
                    seconds * 1000,
                    state.get("user_id"),
                    extra={
                        "method": scope["method"],
                        "route": route,
                        "status": status,
                        "duration_ms": round(seconds * 1000, 2),
                        "user_id": state.get("user_id"),
                        "request_id": request_id,
                    },
                )
            request_id_var.reset(token)

    def _counting(self, receive: Receive) -> Receive:
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    # FastAPI turns an HTTPException raised while reading the body into its
                    # response; the problem handler renders it.
                    raise HTTPException(413, self._detail())
            return message

        return counting_receive

    def _detail(self) -> str:
        return f"the body is larger than {self.max_body_bytes} bytes"

    def _too_large(self) -> Response:
        return problem_response(413, "http-413", "Content Too Large", self._detail())


def _sane_request_id(value: bytes) -> str | None:
    text = value.decode("latin-1")
    return text if _SANE_REQUEST_ID.fullmatch(text) else None


def _vary_on_origin(headers: list[tuple[bytes, bytes]]) -> None:
    """What Starlette's CORS adds to a response to a request without Origin: the answer
    depends on the Origin header, so caches must keep one copy per origin."""
    for index, (name, value) in enumerate(headers):
        if name == b"vary":
            headers[index] = (name, value + b", Origin")
            return
    headers.append((b"vary", b"Origin"))


class LoggedCORSMiddleware(CORSMiddleware):
    """Starlette's CORS, except that a refused preflight grants nothing (Starlette's 400
    still carries Allow-Methods, Allow-Credentials...) and is logged as a warning: the
    browser shows the user only "blocked by CORS policy", so the server's log is where the
    cause must be."""

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code != 200:
            # Starlette's body names what failed: "Disallowed CORS origin, headers".
            text = bytes(response.body).decode()
            reason = text.removeprefix("Disallowed CORS ")
            cors_log.warning(
                "CORS preflight refused (%s): origin=%r method=%r headers=%r",
                reason,
                request_headers.get("origin"),
                request_headers.get("access-control-request-method"),
                request_headers.get("access-control-request-headers"),
                extra={
                    "cors_refused": reason,
                    "origin": request_headers.get("origin"),
                    "allowed_origins": self.allow_origins,
                },
            )
            vary = response.headers.get("vary")
            return PlainTextResponse(text, 400, headers={"Vary": vary} if vary else None)
        return response
