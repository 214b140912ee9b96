"""The one place where errors become HTTP responses: application/problem+json (RFC 9457).

Domain exceptions carry their status; request validation becomes 422 with an `errors` list
naming each bad field (400 when the body is not JSON at all); anything unexpected is a bare
500 that says nothing about the internals (the details go to the log).
"""

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from psycopg import InterfaceError, OperationalError
from psycopg_pool import PoolTimeout
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException
from starlette.routing import Route, compile_path

from src.api.idempotency import ReplayedResponse
from src.core.errors import (
    DomainError,
    InvalidFieldError,
    KeyInUseError,
    ServiceUnavailableError,
    TooManyRequestsError,
    UnauthorizedError,
)
from src.core.metrics import count_error

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
BEARER_SCHEME = "BearerJWT"
TYPE_PREFIX = "urn:task-api:problem:"


class Problem(BaseModel):
    type: str = Field(examples=[TYPE_PREFIX + "not-found"])
    title: str = Field(examples=["Not Found"])
    status: int = Field(examples=[404])
    detail: str = Field(examples=["no such task"])


class FieldError(BaseModel):
    field: str = Field(description="Dotted location of the bad value", examples=["body.title"])
    message: str = Field(examples=["String should have at most 500 characters"])
    type: str = Field(examples=["string_too_long"])


class ValidationProblem(Problem):
    errors: list[FieldError]


def problem_response(
    status: int,
    slug: str,
    title: str,
    detail: str,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body = {"type": TYPE_PREFIX + slug, "title": title, "status": status, "detail": detail}
    count_error(slug)
    return JSONResponse(
        {**body, **extra}, status_code=status, media_type=PROBLEM_JSON, headers=headers
    )


def _domain_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    headers = None
    if isinstance(exc, UnauthorizedError):
        headers = {"WWW-Authenticate": _www_authenticate(exc)}
    elif isinstance(exc, ServiceUnavailableError | TooManyRequestsError | KeyInUseError):
        headers = {"Retry-After": str(exc.retry_after_seconds)}
    elif isinstance(exc, InvalidFieldError):
        error = {"field": exc.field, "message": exc.message, "type": "value_error"}
        return problem_response(exc.status, exc.slug, exc.title, exc.detail, errors=[error])
    return problem_response(exc.status, exc.slug, exc.title, exc.detail, headers)


def _www_authenticate(exc: UnauthorizedError) -> str:
    if not exc.credentials_sent:
        return 'Bearer realm="task-api"'
    safe = exc.detail.replace('"', "'")
    return f'Bearer realm="task-api", error="invalid_token", error_description="{safe}"'


def field_errors(errors: Sequence[Any]) -> list[dict[str, str]]:
    """pydantic's errors as a problem's `errors`: each bad value's dotted location, message
    and type (the MCP tools report theirs in the same words)."""
    return [
        {
            "field": ".".join(str(part) for part in err["loc"]),
            "message": err["msg"],
            "type": err["type"],
        }
        for err in _without_null_branches(errors)
    ]


def problem_words(title: str, detail: str, errors: Sequence[Mapping[str, str]] = ()) -> str:
    """A problem in one line, for clients that read text rather than JSON (the MCP tools):
    `<title>: <detail>`, then each bad value in brackets, `(<field>: <message>; ...)`."""
    named = [
        f"{error['field']}: {error['message']}" if error["field"] else error["message"]
        for error in errors
    ]
    return f"{title}: {detail} ({'; '.join(named)})" if named else f"{title}: {detail}"


def argument_name(field: str) -> str:
    """A REST error's field as the name of a tool's argument: without the part of the request
    it came in (`query.cursor` is `cursor`; `body` alone, the whole body, is no field)."""
    part, _, name = field.partition(".")
    return name if part in ("body", "query", "path") else field


def _without_null_branches(errors: Sequence[Any]) -> list[Any]:
    """A field typed `X | None` that gets a bad value fails both members of the union, and
    pydantic reports both, each under the member's tag: `priority.literal['low','medium',
    'high']: Input should be ...` and `priority.none: Input should be None`. The second says
    nothing a client can act on: drop it, and name the field alone in the first."""
    unions = [
        tuple(err["loc"][:-1])
        for err in errors
        if err["type"] == "none_required" and err["loc"][-1:] == ("none",)
    ]

    def member_of(loc: tuple[Any, ...]) -> tuple[Any, ...] | None:
        """The union field whose non-null member `loc` is under, if another member failed."""
        return next((u for u in unions if loc[: len(u)] == u and loc[len(u) :] != ("none",)), None)

    kept = []
    for err in errors:
        loc = tuple(err["loc"])
        union = member_of(loc)
        if union is not None:  # X's error, named after the field
            kept.append({**err, "loc": union + loc[len(union) + 1 :]})
        elif not (
            loc[:-1] in unions and any(member_of(tuple(e["loc"])) == loc[:-1] for e in errors)
        ):
            kept.append(err)
    return kept


def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = field_errors(exc.errors())
    if any(err["type"] == "json_invalid" for err in errors):
        return problem_response(
            400, "malformed-json", "Malformed JSON", "the body is not valid JSON"
        )
    return problem_response(
        422,
        InvalidFieldError.slug,
        InvalidFieldError.title,
        InvalidFieldError.summary,
        errors=errors,
    )


def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 400:
        # The only 400 raised as HTTPException is FastAPI's own "error parsing the body"
        # (e.g. bytes that are not UTF-8); our 400s are domain errors.
        return _malformed_json()
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = ", ".join(_allowed_methods(request))
    title = _PHRASES.get(exc.status_code, "Error")
    detail = exc.detail if isinstance(exc.detail, str) else title
    return problem_response(exc.status_code, f"http-{exc.status_code}", title, detail, headers)


def _allowed_methods(request: Request) -> list[str]:
    """Every method the API serves at this path, from the app's own OpenAPI paths (Starlette
    would name only the methods of the first route whose path matched), and from the routes
    the document leaves out (/mcp)."""
    path = request.url.path
    methods = {
        method.upper()
        for template, item in request.app.openapi()["paths"].items()
        if compile_path(template)[0].match(path)
        for method in item
    }
    for route in request.app.router.routes:
        unlisted = isinstance(route, Route) and not route.include_in_schema
        if unlisted and route.path_regex.match(path):
            methods |= route.methods or set()
    return sorted(methods)


def _malformed_json() -> JSONResponse:
    return problem_response(400, "malformed-json", "Malformed JSON", "the body is not valid JSON")


DATABASE_UNREACHABLE = "the database is unreachable; retry shortly"
# What reaches the database's driver or pool when the database cannot answer (ConnectionError:
# src/db/pool.py found every pooled connection dead at once).
DATABASE_FAULTS = (OperationalError, InterfaceError, PoolTimeout, ConnectionError)


def _database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    # Connection refused or lost, server restarting, statement timeout, pool exhausted: the
    # client can retry. Only the class name is logged; the message may quote SQL.
    log.warning(
        "database unavailable on %s %s: %s", request.method, request.url.path, type(exc).__name__
    )
    return problem_response(
        503,
        "unavailable",
        "Service Unavailable",
        DATABASE_UNREACHABLE,
        {"Retry-After": "5"},
    )


def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem_response(500, "internal", "Internal Server Error", INTERNAL_FAILURE)


INTERNAL_FAILURE = "the server failed; the error was logged"


_PHRASES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    500: "Internal Server Error",
}


def _replayed(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, ReplayedResponse)
    return exc.response


def install(app: FastAPI) -> None:
    app.add_exception_handler(ReplayedResponse, _replayed)
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    for database_fault in DATABASE_FAULTS:
        app.add_exception_handler(database_fault, _database_unavailable)
    app.add_exception_handler(Exception, _unexpected_error)


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error statuses a route can answer, with examples.

    FastAPI documents a response `model` as application/json; `problem_json_openapi` below
    moves error bodies to application/problem+json, which is what the handlers send.
    """
    return {status: _entry(status, _EXAMPLES[status]) for status in statuses}


def body_errors() -> dict[int | str, dict[str, Any]]:
    """What a route that reads a JSON body can also answer: 400, 413, 415."""
    return {
        400: _entry(
            400, _example(400, "malformed-json", "Malformed JSON", "the body is not valid JSON")
        ),
        413: _entry(413, _EXAMPLES[413]),
        415: _entry(415, _EXAMPLES[415]),
    }


def _entry(status: int, example: dict[str, Any]) -> dict[str, Any]:
    return {
        "model": ValidationProblem if status == 422 else Problem,
        "description": example["title"],
        "content": {PROBLEM_JSON: {"example": example}},
    }


def problem_json_openapi(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """An `app.openapi` that documents every 4xx/5xx body as application/problem+json."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            schemes = schema.setdefault("components", {}).setdefault("securitySchemes", {})
            schemes[BEARER_SCHEME] = {
                "type": "http",
                "scheme": "bearer",
                "bearerFormat": "JWT",
                "description": "A JWT from your identity provider (Better Auth) or "
                "`make token` locally.",
            }
            for path, item in schema.get("paths", {}).items():
                for operation in item.values():
                    if path.startswith("/api/"):  # src/api/deps.py checks the token
                        operation["security"] = [{BEARER_SCHEME: []}]
                    for code, response in operation.get("responses", {}).items():
                        content = response.get("content", {})
                        if code[0] in "45" and "application/json" in content:
                            json_schema = content.pop("application/json")["schema"]
                            content.setdefault(PROBLEM_JSON, {})["schema"] = json_schema
            app.openapi_schema = schema
        return app.openapi_schema

    return openapi


def _example(status: int, slug: str, title: str, detail: str, **extra: Any) -> dict[str, Any]:
    return {"type": TYPE_PREFIX + slug, "title": title, "status": status, "detail": detail, **extra}


_EXAMPLES = {
    415: _example(
        415, "unsupported-media-type", "Unsupported Media Type", "send the body as application/json"
    ),
    400: _example(400, "invalid-request", "Invalid request", "cursor is malformed or was altered"),
    413: _example(413, "http-413", "Content Too Large", "the body is larger than 1048576 bytes"),
    401: _example(401, "unauthorized", "Unauthorized", "token expired"),
    403: _example(403, "forbidden", "Forbidden", "the path names another user"),
    404: _example(404, "not-found", "Not Found", "no such task"),
    409: _example(
        409, "conflict", "Conflict", "this email address already belongs to another user"
    ),
    429: _example(
        429, "rate-limited", "Too Many Requests", "too many requests; retry after the reset"
    ),
    503: _example(503, "unavailable", "Service Unavailable", DATABASE_UNREACHABLE),
    410: _example(
        410,
        "sync-token-expired",
        "Gone",
        "the sync token is older than the deletions kept (30 days): sync in full, without one",
    ),
    412: _example(
        412,
        "precondition-failed",
        "Precondition Failed",
        "the task changed since the version in If-Match; fetch it again",
    ),
    422: _example(
        422,
        "validation",
        "Validation failed",
        "the request has invalid fields",
        errors=[
            {
                "field": "body.title",
                "message": "String should have at most 500 characters",
                "type": "string_too_long",
            }
        ],
    ),
}
