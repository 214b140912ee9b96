"""The ASGI application: `uvicorn src.main:app` from backend/."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import RedirectResponse
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from src.api import docs, problems
from src.api.middleware import (
    BodySizeLimitMiddleware,
    RequestContextMiddleware,
    SecurityHeadersMiddleware,
)
from src.api.routes import health, metrics, tasks, users
from src.auth import TokenVerifier
from src.database_url import mask
from src.db import create_db_engine, pool_capacity, resolve_database_url
from src.logs import configure_logging
from src.metrics import instrument_pool, worker_exited
from src.pagination import CursorCodec
from src.rate_limit import RateLimiter
from src.repositories.schema import SchemaRepository
from src.schema_state import SchemaGate, read_status
from src.settings import Settings, get_settings

log = logging.getLogger(__name__)

DESCRIPTION = """
REST backend for multi-user task apps. Every route needs `Authorization: Bearer <JWT>`;
press **Authorize** and paste a token (locally: `make token EMAIL=you@example.com`).

Errors are `application/problem+json` (RFC 9457). Lists are paginated with a cursor announced
in the `Link` header; writes honour `If-Match` with the task's `ETag`.
"""


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owns_engine = app.state.engine is None
        if owns_engine:
            url = resolve_database_url(settings)
            log.info("database: %s", mask(url))
            app.state.engine = create_db_engine(url, settings)
        instrument_pool(app.state.engine)
        app.state.session_limiter = anyio.CapacityLimiter(pool_capacity(app.state.engine))
        _log_schema_status(app.state.engine)
        yield
        if owns_engine:
            app.state.engine.dispose()
        worker_exited()

    app = FastAPI(
        title="Task API",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        # /docs and /redoc come from src/api/docs.py, with local assets instead of a CDN.
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.token_verifier = TokenVerifier(settings)
    app.state.cursor_codec = CursorCodec(settings.cursor_secret.get_secret_value())
    app.state.schema_gate = SchemaGate()
    app.state.rate_limiter = (
        RateLimiter(settings.redis_url, settings.rate_limit_per_minute)
        if settings.rate_limit_per_minute is not None and settings.redis_url is not None
        else None
    )

    problems.install(app)
    app.openapi = problems.problem_json_openapi(app)  # type: ignore[method-assign]
    # add_middleware wraps: the last one added is the outermost.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        allow_headers=["Authorization", "Content-Type", "If-Match", "If-None-Match"],
        expose_headers=[
            "ETag",
            "Link",
            "Location",
            "X-Total-Count",
            "X-Request-ID",
            "Retry-After",
            "RateLimit-Limit",
            "RateLimit-Remaining",
            "RateLimit-Reset",
            "RateLimit-Policy",
        ],
        max_age=600,
    )
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(RequestContextMiddleware)
    app.include_router(tasks.router)
    app.include_router(users.router)
    app.include_router(health.router)
    app.include_router(metrics.router)
    app.include_router(docs.router)

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/docs")

    return app


def _log_schema_status(engine: Engine) -> None:
    """Say at start-up whether the schema fits this code; never refuse to start over it."""
    try:
        with engine.connect() as connection:
            status = read_status(SchemaRepository(connection))
    except DBAPIError as exc:
        log.error(
            "database unreachable at start-up (%s); serving 503 until it is back",
            type(exc).__name__,
        )
        return
    if status.current:
        log.info("database schema at %s", ", ".join(sorted(status.found)))
    else:
        log.warning("%s; API requests get 503 until `make migrate` runs", status.describe())


def _default_app() -> FastAPI:
    settings = get_settings()
    configure_logging(settings.log_level, settings.effective_log_format)
    return create_app(settings)


app = _default_app()
