"""The MCP server (official `mcp` SDK), served at /mcp inside the API's own ASGI app.

Streamable HTTP in stateless JSON mode: every POST is complete in itself (no session held by a
worker, no server-sent stream), so any worker serves any call, behind the same middleware as
the REST routes (request id, access log, metrics, body-size limit, CORS).

Each HTTP request is authenticated like a REST request before the SDK sees it: the bearer
token (HS256, JWKS or a Better Auth session), the caller's rate limit, the schema check. A
tool then runs for that caller on a session of its own (a tool that writes, in one
transaction: committed when the tool succeeds, rolled back when it fails) and reports failures
as tool errors in the words of the REST problem details, never a stack trace.
"""

import json
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from mcp.server.context import ServerRequestContext
from mcp.server.lowlevel import Server
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from mcp.shared.exceptions import MCPError
from mcp_types import (
    INVALID_PARAMS,
    CallToolRequestParams,
    CallToolResult,
    ListToolsResult,
    PaginatedRequestParams,
    TextContent,
    Tool,
)
from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.routing import Match, Route
from starlette.types import Receive, Scope, Send

from src.agent_tools.tools import TOOLS, Call, ToolSpec
from src.api.deps import authenticate, get_db_session, names_caller, require_current_schema
from src.api.problems import (
    DATABASE_FAULTS,
    DATABASE_UNREACHABLE,
    INTERNAL_FAILURE,
    argument_name,
    field_errors,
    problem_words,
)
from src.auth import Claims
from src.core.errors import (
    DomainError,
    ForbiddenError,
    InvalidFieldError,
    ServiceUnavailableError,
)
from src.core.metrics import observe_tool_call
from src.db.replica import route_session
from src.db.session import session_scope
from src.repositories import TaskRepository, UserRepository

log = logging.getLogger(__name__)

_CALLER = "mcp_caller"  # where McpEndpoint leaves the verified claims, in the request's state

INSTRUCTIONS = (
    "Tools for the signed-in user's task list (the user of the bearer token). Find a task's "
    "id with list_tasks before changing it; dates are RFC 3339 with an offset."
)


async def _list_tools(
    _: ServerRequestContext[Any, Any], __: PaginatedRequestParams | None
) -> ListToolsResult:
    return ListToolsResult(tools=_TOOL_LIST)


def _describe(spec: ToolSpec) -> Tool:
    return Tool(
        name=spec.name,
        title=spec.title,
        description=spec.description,
        input_schema=spec.arguments.model_json_schema(),
        output_schema=spec.result.model_json_schema(mode="serialization"),
        annotations=spec.annotations,
    )


_TOOL_LIST = [_describe(spec) for spec in TOOLS.values()]
_INPUT_SCHEMAS = {tool.name: tool.input_schema for tool in _TOOL_LIST}


async def _call_tool(
    ctx: ServerRequestContext[Any, Any], params: CallToolRequestParams
) -> CallToolResult:
    spec = TOOLS.get(params.name)
    if spec is None:
        raise MCPError(INVALID_PARAMS, f"Unknown tool: {params.name}")
    request = ctx.request
    if not isinstance(request, Request):  # only McpEndpoint's HTTP requests reach this server
        raise MCPError(INVALID_PARAMS, "tools are served over HTTP only")
    started = time.perf_counter()
    try:
        outcome, result = await _attempt(spec, request, params.arguments or {})
    except Exception:  # a bug: the SDK would send the exception's own message to the model
        log.exception("unhandled error in tool %s", spec.name)
        outcome, result = (
            "internal",
            _tool_error(problem_words("Internal Server Error", INTERNAL_FAILURE)),
        )
    observe_tool_call(spec.name, outcome, time.perf_counter() - started)
    return result


async def _attempt(
    spec: ToolSpec, request: Request, arguments: dict[str, Any]
) -> tuple[str, CallToolResult]:
    """The call's outcome (the metrics' label) and its result: the tool's, or a tool error in
    the words of the REST problem the same failure gets. Anything else raised is a bug, and
    _call_tool answers it."""
    try:
        args = spec.arguments.model_validate(arguments)
    except ValidationError as exc:
        # Only the arguments' own errors: a ValidationError inside a tool is a bug (a 500).
        words = problem_words(
            InvalidFieldError.title, InvalidFieldError.summary, field_errors(exc.errors())
        )
        return "validation", _tool_error(words)
    try:
        result = await _run(spec, request, args)
        text = json.dumps(result, separators=(",", ":"))
    except DomainError as exc:
        errors = []
        if isinstance(exc, InvalidFieldError):
            errors = [{"field": argument_name(exc.field), "message": exc.message}]
        return exc.slug, _tool_error(problem_words(exc.title, exc.detail, errors))
    except DATABASE_FAULTS as exc:
        log.warning("database unavailable in tool %s: %s", spec.name, type(exc).__name__)
        return "unavailable", _tool_error(
            problem_words(ServiceUnavailableError.title, DATABASE_UNREACHABLE)
        )
    return "ok", CallToolResult(content=[TextContent(text=text)], structured_content=result)


async def _run(spec: ToolSpec, request: Request, args: BaseModel) -> dict[str, Any]:
    """The tool, on a session of its own (the SDK may run it in a task of its own, which the
    request's session must not be shared with), in one transaction for a tool that writes:
    it commits when the tool succeeds and rolls back when it raises."""
    caller: Claims = request.scope["state"][_CALLER]
    named = getattr(args, "user_id", None)
    if named is not None and not names_caller(named, caller):
        raise ForbiddenError("user_id names another user than the bearer token's")
    state = request.app.state
    writes = not spec.annotations.read_only_hint
    async with session_scope(state.session_factory()) as session:
        if state.read_router is not None:
            await route_session(session, state.read_router, caller.user_id, writes=writes)
        if writes:
            await session.begin()
        call = Call(caller, TaskRepository(session), UserRepository(session), state.cursor_codec)
        return await spec.run(call, args)


def _tool_error(text: str) -> CallToolResult:
    return CallToolResult(content=[TextContent(text=text)], is_error=True)


SERVER = Server(
    "task-api",
    version="1.0.0",
    title="Task API",
    instructions=INSTRUCTIONS,
    # For the 2026-07-28 protocol's Mcp-Param-* header check on every tool call; without it
    # the SDK builds and serializes the whole tool list per call (a third of a call's CPU).
    get_tool_input_schema=_INPUT_SCHEMAS.get,
    on_list_tools=_list_tools,
    on_call_tool=_call_tool,
)


class McpRoute(Route):
    """/mcp, named in the access log and the metrics like a FastAPI route (FastAPI's own
    routes put themselves in the scope; Starlette's do not)."""

    def __init__(self, path: str) -> None:
        # POST only: a stateless server has no session to stream on (GET) or to end (DELETE);
        # the protocol lets it answer 405 to both, and the SDK's clients expect that.
        super().__init__(path, McpEndpoint(), methods=["POST"], include_in_schema=False)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child_scope = super().matches(scope)
        if match != Match.NONE:
            child_scope["route"] = self
        return match, child_scope


class McpEndpoint:
    """The ASGI endpoint at /mcp: the REST checks, then the SDK's transport.

    A refusal here (401, 429, 503) is raised as the domain error it is, and the app's
    exception handlers answer it as problem+json, as on every route."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        caller = await authenticate(request)
        session = await get_db_session(request)
        await require_current_schema(request, session)
        # The schema check's connection goes back before the tool takes one: a request never
        # holds two (N concurrent calls holding N and waiting for N more would starve the pool).
        await session.finish(None)
        scope["state"][_CALLER] = caller
        manager: StreamableHTTPSessionManager = request.app.state.mcp_sessions
        await manager.handle_request(scope, receive, send)


@asynccontextmanager
async def serving(app: FastAPI) -> AsyncIterator[None]:
    """The SDK's request manager for one run of the app (a manager runs only once)."""
    manager = StreamableHTTPSessionManager(
        SERVER,
        stateless=True,
        json_response=True,
        # The Host / Origin checks against DNS rebinding protect servers that trust whoever
        # reaches them; this one trusts only the bearer token, which a rebound page never
        # has. Browser origins are checked by the CORS middleware, as for the REST routes.
        security_settings=None,
    )
    app.state.mcp_sessions = manager
    async with manager.run():
        yield
