"""Annotated dependency aliases, in one place: routes declare what they need by type.

FastAPI resolves every dependency of a route on every request, at about 20 µs of CPU each, so
a route gets one dependency that does all its checks in order (request shape, bearer token,
path owner, schema) plus the session (docs/performance.md). Nothing here leaves the event
loop, except a JWKS fetch and a Redis call, which may block. The bearer scheme is declared
in the OpenAPI document by src/api/problems.py rather than by a HTTPBearer dependency.
"""

import uuid
from dataclasses import dataclass
from typing import Annotated, Any

import anyio.to_thread
from fastapi import Depends, Path, Request
from fastapi.exceptions import RequestValidationError

from src.api.idempotency import claim_key
from src.api.task_actions import provision
from src.auth import (
    Claims,
    InvalidTokenError,
    SessionResolver,
    SessionsUnavailableError,
    SigningKeysUnavailableError,
    TokenVerifier,
    looks_like_jwt,
)
from src.core.errors import (
    ForbiddenError,
    ServiceUnavailableError,
    TooManyRequestsError,
    UnauthorizedError,
    UnsupportedMediaTypeError,
)
from src.core.pagination import CursorCodec
from src.core.settings import Settings
from src.db.replica import ReadRouter, route_session
from src.db.schema_state import SchemaGate
from src.db.session import DbSession
from src.repositories import TaskRepository, UserRepository
from src.repositories.schema import SchemaRepository


async def get_db_session(request: Request) -> DbSession:
    """The request's session (DbSessionMiddleware made it)."""
    session: DbSession = request.scope["state"]["db_session"]
    return session


SessionDep = Annotated[DbSession, Depends(get_db_session)]


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_cursor_codec(request: Request) -> CursorCodec:
    codec: CursorCodec = request.app.state.cursor_codec
    return codec


SettingsDep = Annotated[Settings, Depends(get_settings)]
CursorCodecDep = Annotated[CursorCodec, Depends(get_cursor_codec)]


def _bearer_token(request: Request) -> str:
    """The token of `Authorization: Bearer <token>` (the scheme is case-insensitive)."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        raise UnauthorizedError("a bearer token is required", credentials_sent=False)
    token = token.strip()
    if not token:
        raise UnauthorizedError("a bearer token is required", credentials_sent=False)
    return token


async def authenticate(request: Request) -> Claims:
    """The verified claims of the bearer token, after counting the request against the
    caller's rate limit (when one is configured). Nothing here touches the database."""
    state = request.app.state
    claims = await _verify(state.token_verifier, state.session_resolver, _bearer_token(request))
    request.state.user_id = str(claims.user_id)  # for the access log line
    if request.app.state.rate_limiter is not None:
        await _count_request(request, claims)
    return claims


async def _verify(verifier: TokenVerifier, sessions: SessionResolver | None, token: str) -> Claims:
    """A JWT's claims, or (with BETTER_AUTH_URL) the user of a Better Auth session token."""
    try:
        if not looks_like_jwt(token):
            if sessions is None:
                raise InvalidTokenError(
                    "malformed token: not a JWT (a Better Auth session token needs "
                    "BETTER_AUTH_URL on this API)"
                )
            return await sessions.resolve(token)
        claims = verifier.remembered(token)
        if claims is not None:
            return claims
        if verifier.may_fetch_keys:  # a JWKS refetch is network I/O: keep it off the loop
            return await anyio.to_thread.run_sync(verifier.verify, token)
        return verifier.verify(token)
    except SessionsUnavailableError as exc:
        raise ServiceUnavailableError(str(exc), exc.retry_after_seconds) from None
    except SigningKeysUnavailableError as exc:
        raise ServiceUnavailableError(str(exc)) from None
    except InvalidTokenError as exc:
        raise UnauthorizedError(str(exc)) from None


async def _count_request(request: Request, claims: Claims) -> None:
    """429 past the caller's limit. Redis unavailable, it fails open."""
    decision = await request.app.state.rate_limiter.check(str(claims.user_id))
    if decision is None:
        return
    request.state.response_headers = decision.headers()
    if not decision.allowed:
        raise TooManyRequestsError(
            f"more than {decision.limit} requests a minute", decision.reset_seconds
        )


def names_caller(path_user: str, claims: Claims) -> bool:
    """Does the path's {user_id} name the caller: the token's `sub`, or its UUID?"""
    if path_user == claims.subject:
        return True
    try:
        return uuid.UUID(path_user) == claims.user_id
    except ValueError:
        return False


async def require_current_schema(request: Request, session: DbSession) -> None:
    """503 while the database's schema is not the one this code was written for."""
    gate: SchemaGate = request.app.state.schema_gate
    status = gate.fresh_status()
    if status is None:
        status = await gate.status(SchemaRepository(session))
    if not status.current:
        raise ServiceUnavailableError(status.describe(), 30)


@dataclass(frozen=True)
class CallerTasks:
    """What a task route works with: the caller the path names, and the repositories on the
    request's session."""

    caller: Claims
    tasks: TaskRepository
    users: UserRepository

    @property
    def user_id(self) -> uuid.UUID:
        return self.caller.user_id


# The path's {user_id}, as every per-user route declares it.
PathUserId = Annotated[
    str,
    Path(
        max_length=255,
        description="The caller: the token's `sub`, or the UUID the service derives from it.",
    ),
]


async def get_caller_tasks(
    request: Request,
    user_id: PathUserId,
) -> CallerTasks:
    """In order: the request's shape (415, 422), the token (401), the path's owner (403,
    before any SQL), the schema (503), a write's Idempotency-Key (pending, for its first write)."""
    session = await get_db_session(request)  # not a sub-dependency: each costs ~10 µs
    check_request(request)
    claims = await authenticate(request)
    if not names_caller(user_id, claims):
        raise ForbiddenError("the path names another user")
    router: ReadRouter | None = request.app.state.read_router
    if router is not None:
        writes = request.method not in ("GET", "HEAD")
        await route_session(session, router, claims.user_id, writes=writes)
    await require_current_schema(request, session)
    await claim_key(request, session, request.app.state.settings, claims.user_id)
    return CallerTasks(claims, TaskRepository(session), UserRepository(session))


TaskAccess = Annotated[CallerTasks, Depends(get_caller_tasks)]


async def get_path_caller(
    request: Request,
    user_id: PathUserId,
) -> Claims:
    """The caller the path names (401, 403), without the database: for a route that reads
    none (live updates hold no connection)."""
    check_request(request)
    claims = await authenticate(request)
    if not names_caller(user_id, claims):
        raise ForbiddenError("the path names another user")
    return claims


PathCaller = Annotated[Claims, Depends(get_path_caller)]


@dataclass(frozen=True)
class CallerUser:
    """The caller's users row (provisioned), and the repository on the request's session."""

    user: dict[str, Any]
    users: UserRepository


async def get_caller_user(request: Request) -> CallerUser:
    session = await get_db_session(request)
    claims = await authenticate(request)
    router: ReadRouter | None = request.app.state.read_router
    if router is not None and request.method != "GET":  # GET provisions: on the primary
        await route_session(session, router, claims.user_id, writes=True)
    await require_current_schema(request, session)
    await claim_key(request, session, request.app.state.settings, claims.user_id, at_once=True)
    users = UserRepository(session)
    return CallerUser(await provision(claims, users), users)


CurrentUser = Annotated[CallerUser, Depends(get_caller_user)]


def check_request(request: Request) -> None:
    """Refusals that need no route: a body that is not JSON (415), and a query parameter given
    twice (`?limit=1&limit=500` is ambiguous, so 422 rather than an arbitrary pick)."""
    if request.method in ("POST", "PUT", "PATCH"):
        headers = request.headers
        has_body = headers.get("content-length", "0") != "0" or "transfer-encoding" in headers
        media_type = headers.get("content-type", "").split(";")[0].strip().lower()
        if has_body and not (media_type == "application/json" or media_type.endswith("+json")):
            raise UnsupportedMediaTypeError("send the body as application/json")
    if request.scope["query_string"]:
        names = [name for name, _ in request.query_params.multi_items()]
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            raise RequestValidationError(
                [
                    {"loc": ("query", name), "msg": "given more than once", "type": "duplicate"}
                    for name in repeated
                ]
            )
