"""Annotated dependency aliases, in one place: routes declare what they need by type.

Dependencies that only compute are `async def`: FastAPI runs a plain `def` dependency on a
worker thread, and those hops were most of a request's cost (bench/, docs/performance.md).
Whatever waits on I/O (the database, Redis, a JWKS fetch) still runs on a thread.
"""

import uuid
from typing import Annotated

import anyio.to_thread
from fastapi import Depends, Path, Request
from fastapi.exceptions import RequestValidationError
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from src.auth import Claims, InvalidTokenError, SigningKeysUnavailableError, TokenVerifier
from src.db import get_session
from src.errors import (
    ForbiddenError,
    ServiceUnavailableError,
    TooManyRequestsError,
    UnauthorizedError,
    UnsupportedMediaTypeError,
)
from src.models import User
from src.pagination import CursorCodec
from src.repositories import TaskRepository, UserRepository
from src.repositories.schema import SchemaRepository
from src.schema_state import SchemaGate
from src.settings import Settings

# scope="function": the session's commit runs before the response is sent (see src/db.py).
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_token_verifier(request: Request) -> TokenVerifier:
    verifier: TokenVerifier = request.app.state.token_verifier
    return verifier


async def get_cursor_codec(request: Request) -> CursorCodec:
    codec: CursorCodec = request.app.state.cursor_codec
    return codec


SettingsDep = Annotated[Settings, Depends(get_settings)]
CursorCodecDep = Annotated[CursorCodec, Depends(get_cursor_codec)]

_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="BearerJWT",
    bearerFormat="JWT",
    description="A JWT from your identity provider (Better Auth) or `make token` locally.",
)


async def get_claims(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    verifier: Annotated[TokenVerifier, Depends(get_token_verifier)],
) -> Claims:
    """The verified claims of the bearer token. Nothing here touches the database."""
    if credentials is None or not credentials.credentials:
        raise UnauthorizedError("a bearer token is required", credentials_sent=False)
    try:
        if verifier.may_fetch_keys:  # a JWKS refetch is network I/O: keep it off the loop
            claims = await anyio.to_thread.run_sync(verifier.verify, credentials.credentials)
        else:
            claims = verifier.verify(credentials.credentials)
        request.state.user_id = str(claims.user_id)  # for the access log line
        return claims
    except SigningKeysUnavailableError as exc:
        raise ServiceUnavailableError(str(exc)) from None
    except InvalidTokenError as exc:
        raise UnauthorizedError(str(exc)) from None


ClaimsDep = Annotated[Claims, Depends(get_claims)]


async def get_path_claims(
    user_id: Annotated[
        str,
        Path(
            max_length=255,
            description="The caller: the token's `sub`, or the UUID the service derives from it.",
        ),
    ],
    claims: ClaimsDep,
) -> Claims:
    """The claims, when the path's {user_id} names the caller; 403 otherwise (before any SQL)."""
    if user_id == claims.subject or _same_uuid(user_id, claims.user_id):
        return claims
    raise ForbiddenError("the path names another user")


def _same_uuid(text: str, user_id: uuid.UUID) -> bool:
    try:
        return uuid.UUID(text) == user_id
    except ValueError:
        return False


async def require_current_schema(request: Request, session: SessionDep) -> None:
    """503 while the database's schema is not the one this code was written for."""
    gate: SchemaGate = request.app.state.schema_gate
    status = gate.fresh_status()
    if status is None:  # re-read from the database, on a thread
        status = await anyio.to_thread.run_sync(gate.status, SchemaRepository(session))
    if not status.current:
        raise ServiceUnavailableError(status.describe() + "; run `make migrate`", 30)


CurrentSchema = Annotated[None, Depends(require_current_schema, scope="function")]


async def get_user_repo(session: SessionDep, _: CurrentSchema) -> UserRepository:
    return UserRepository(session)


async def get_task_repo(session: SessionDep, _: CurrentSchema) -> TaskRepository:
    return TaskRepository(session)


UserRepo = Annotated[UserRepository, Depends(get_user_repo, scope="function")]
TaskRepo = Annotated[TaskRepository, Depends(get_task_repo, scope="function")]


def _provision(claims: Claims, users: UserRepository) -> User:
    if claims.email is None:
        existing = users.get(claims.user_id)
        if existing is None:
            raise UnauthorizedError("the token has no email claim, needed to create the user")
        return existing
    return users.ensure(claims.user_id, claims.email)


def get_current_user(claims: ClaimsDep, users: UserRepo) -> User:
    return _provision(claims, users)


def get_path_user(claims: Annotated[Claims, Depends(get_path_claims)], users: UserRepo) -> User:
    return _provision(claims, users)


CurrentUser = Annotated[User, Depends(get_current_user, scope="function")]
PathUser = Annotated[User, Depends(get_path_user, scope="function")]


async def require_json_body(request: Request) -> None:
    """A request that carries a body must say it is JSON (application/json or +json): 415
    otherwise, rather than guessing and failing later with a confusing validation error."""
    if request.method not in ("POST", "PUT", "PATCH"):
        return
    has_body = request.headers.get("content-length", "0") != "0" or (
        "transfer-encoding" in request.headers
    )
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if has_body and not (media_type == "application/json" or media_type.endswith("+json")):
        raise UnsupportedMediaTypeError("send the body as application/json")


async def enforce_rate_limit(request: Request, claims: ClaimsDep) -> None:
    """Count the caller's request; 429 past the limit. Off when no limiter is configured."""
    limiter = request.app.state.rate_limiter
    if limiter is None:
        return
    decision = await anyio.to_thread.run_sync(limiter.check, str(claims.user_id))
    if decision is None:  # Redis unavailable: fail open
        return
    request.state.response_headers = decision.headers()
    if not decision.allowed:
        raise TooManyRequestsError(
            f"more than {decision.limit} requests a minute", decision.reset_seconds
        )


async def reject_duplicate_query_params(request: Request) -> None:
    """`?limit=1&limit=500` is ambiguous (which one wins is an accident of the framework):
    422 naming the parameter, rather than silently picking one."""
    names = [name for name, _ in request.query_params.multi_items()]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise RequestValidationError(
            [
                {"loc": ("query", name), "msg": "given more than once", "type": "duplicate"}
                for name in repeated
            ]
        )
