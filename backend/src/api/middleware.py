"""Pure ASGI middleware (BaseHTTPMiddleware would buffer bodies and break streaming).

Order, outermost first: RequestContext (request id, access log line, rate-limit headers)
-> BodySizeLimit -> SecurityHeaders -> CORS -> routes.
"""

import logging
import re
import time
import uuid
from typing import Any

from starlette.datastructures import Headers, MutableHeaders
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


class RequestContextMiddleware:
    """Gives each request an id (the client's X-Request-ID when it is sane), returns it in
    the response, writes one access-log line with the route template, status, duration
    and user id, and counts the request in the metrics. Headers that dependencies left in
    `state["response_headers"]` (rate-limit headers) are added to whatever response the
    route produced."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        sent = _incoming_request_id(scope)
        request_id = sent if sent is not None else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        state: dict[str, Any] = scope.setdefault("state", {})
        started = time.perf_counter()
        status = 500

        async def send_with_context(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = MutableHeaders(scope=message)
                headers["X-Request-ID"] = request_id
                for name, value in state.get("response_headers", {}).items():
                    headers[name] = value
            await send(message)

        try:
            await self.app(scope, receive, send_with_context)
        finally:
            route = scope.get("route")
            seconds = time.perf_counter() - started
            observe_request(scope["method"], getattr(route, "path_format", None), status, seconds)
            access_log.info(
                "%s %s %s %.1fms user=%s",
                scope["method"],
                getattr(route, "path_format", "<unmatched>"),
                status,
                seconds * 1000,
                state.get("user_id"),
                extra={
                    "method": scope["method"],
                    "route": getattr(route, "path_format", None),
                    "status": status,
                    "duration_ms": round(seconds * 1000, 2),
                    "user_id": state.get("user_id"),
                    "request_id": request_id,
                },
            )
            request_id_var.reset(token)


def _incoming_request_id(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            text = value.decode("latin-1")
            return text if _SANE_REQUEST_ID.fullmatch(text) else None
    return None


class BodySizeLimitMiddleware:
    """413 for bodies over the limit: at once when Content-Length says so, or as soon as a
    streamed (chunked) body passes it, without ever holding more than the limit."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # FastAPI turns an HTTPException raised while reading the body into its
                    # response; the problem handler renders it.
                    raise HTTPException(413, self._detail())
            return message

        await self.app(scope, counting_receive, send)

    def _detail(self) -> str:
        return f"the body is larger than {self.max_bytes} bytes"

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem_response(413, "http-413", "Content Too Large", self._detail())
        await response(scope, receive, send)


class SecurityHeadersMiddleware:
    """`nosniff` on every response; `no-store` on the API's, which carry a user's data."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        private = scope["path"].startswith("/api/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["X-Content-Type-Options"] = "nosniff"
                if private:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


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
