"""The ASGI application: `uvicorn src.main:app` from backend/."""

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from psycopg import Error as DatabaseError
from sqlalchemy.engine import URL

from src import agent_tools
from src.api import docs, problems
from src.api.middleware import RequestEdgeMiddleware
from src.api.rate_limit import RateLimiter
from src.api.routes import events, health, metrics, sync, tags, tasks, users
from src.auth import SessionResolver, TokenVerifier
from src.core.logs import configure_logging
from src.core.metrics import worker_exited
from src.core.pagination import CursorCodec
from src.core.settings import Settings, get_settings
from src.db.pool import Pool, connect_directly, create_db_pool, resolve_database_url
from src.db.replica import ReadRouter
from src.db.schema_state import SchemaGate, read_status
from src.db.session import DbSession, DbSessionMiddleware, pool_session_factory
from src.db.urls import mask, normalize_database_url
from src.events.live import LiveEvents
from src.repositories.schema import SchemaRepository

log = logging.getLogger(__name__)

DESCRIPTION = """
REST backend for multi-user task apps. Every route needs `Authorization: Bearer <JWT>`;
press **Authorize** and paste a token (locally: `make token EMAIL=you@example.com`).

Errors are `application/problem+json` (RFC 9457). Lists are paginated with a cursor announced
in the `Link` header; writes honour `If-Match` with the task's `ETag`.
"""


def create_app(settings: Settings | None = None, database_url: URL | None = None) -> FastAPI:
    """The app, on `database_url` when given (tests), else on the settings' database."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # A pool per start, on the loop that serves: a closed pool cannot be opened again.
        url = database_url or resolve_database_url(settings)
        log.info("database: %s", mask(url))
        pool = app.state.db_pool = create_db_pool(url, settings)
        await _log_schema_status(pool)
        # Without waiting: a database that is down must not stop the app from starting.
        await pool.open(wait=False)
        router = app.state.read_router = _read_router(settings)
        if router is not None:
            await router.standby.open(wait=False)
        # Everything alive now (modules, routes, models) lives as long as the process: keep it
        # out of the cyclic collector's full passes, which otherwise walk it all every few
        # thousand requests and stall every request in flight (tail latency, performance.md).
        gc.collect()
        gc.freeze()
        try:
            async with agent_tools.serving(app):
                yield
        finally:
            gc.unfreeze()
            await app.state.live_events.close()  # its broker connection is on this loop
            if app.state.session_resolver is not None:  # its HTTP client is on this loop
                await app.state.session_resolver.aclose()
            if app.state.rate_limiter is not None:  # so is its Redis client
                await app.state.rate_limiter.aclose()
            await pool.close()
            if router is not None:
                await router.standby.close()
                await router.aclose()
            worker_exited()

    app = FastAPI(
        title="Task API",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        # /docs and /redoc come from src/api/docs.py, with local assets instead of a CDN.
        docs_url=None,
        redoc_url=None,
        # FastAPI's OpenTelemetry instrumentation, off: this API's metrics are Prometheus'
        # (src/core/metrics.py) and no OpenTelemetry provider is configured, yet checking for
        # one on every request cost 12 µs, a sixth of the cheapest request.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.settings = settings
    app.state.db_pool = None  # set by the lifespan
    app.state.read_router = None  # set by the lifespan when DATABASE_READ_URL is
    app.state.session_factory = pool_session_factory(app)
    app.state.token_verifier = TokenVerifier(settings)
    app.state.session_resolver = (
        SessionResolver(
            settings.better_auth_url,
            issuer=settings.session_issuer or settings.better_auth_url,
            cache_seconds=settings.better_auth_session_cache_seconds,
        )
        if settings.better_auth_url is not None
        else None
    )
    app.state.cursor_codec = CursorCodec(settings.cursor_secret.get_secret_value())
    app.state.schema_gate = SchemaGate()
    app.state.live_events = LiveEvents(settings)  # connects at its first stream
    app.state.rate_limiter = (
        RateLimiter(settings.redis_url, settings.rate_limit_per_minute)
        if settings.rate_limit_per_minute is not None and settings.redis_url is not None
        else None
    )

    problems.install(app)
    app.openapi = problems.problem_json_openapi(app)  # type: ignore[method-assign]
    # add_middleware wraps: the last one added is the outermost.
    app.add_middleware(DbSessionMiddleware)  # inside the edge: finishes before it logs
    app.add_middleware(
        RequestEdgeMiddleware,
        max_body_bytes=settings.max_body_bytes,
        cors=dict(
            allow_origins=settings.cors_origins,
            allow_credentials=settings.cors_credentials,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=[
                "Authorization",
                "Content-Type",
                "If-Match",
                "If-None-Match",
                "Idempotency-Key",
            ],
            expose_headers=[
                "ETag",
                "Idempotency-Replayed",
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
        ),
    )
    app.include_router(tasks.router)
    app.include_router(tags.router)
    app.include_router(sync.router)
    app.include_router(events.router)
    app.include_router(users.router)
    app.include_router(health.router)
    app.include_router(metrics.router)
    app.include_router(docs.router)
    # Not a FastAPI route: the SDK's transport reads and answers the request itself.
    app.router.routes.append(agent_tools.McpRoute(agent_tools.PATH))

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/docs")

    return app


def _read_router(settings: Settings) -> ReadRouter | None:
    """Reads on the standby of DATABASE_READ_URL, if set (src/db/replica.py)."""
    if settings.database_read_url is None:
        return None
    assert settings.redis_url is not None  # the settings refuse one without the other
    url = normalize_database_url(settings.database_read_url.get_secret_value())
    log.info("database for reads: %s", mask(url))
    standby = create_db_pool(url, settings, name="task-api-standby")
    return ReadRouter(settings.redis_url, standby, settings.database_read_sticky_seconds)


async def _log_schema_status(pool: Pool) -> None:
    """Say at start-up whether the schema fits this code; never refuse to start over it.

    On a connection of its own, so that a refused connection is reported at once rather than
    after the pool's timeout."""
    try:
        async with await connect_directly(pool) as connection:
            status = await read_status(SchemaRepository(DbSession(connection=connection)))
    except DatabaseError as exc:
        log.error(
            "database unreachable at start-up (%s); serving 503 until it is back",
            type(exc).__name__,
        )
        return
    if status.current:
        log.info("database schema at %s", ", ".join(sorted(status.found)))
    else:
        log.warning("%s; API requests get 503 until then", status.describe())


def _default_app() -> FastAPI:
    settings = get_settings()
    configure_logging(settings.log_level, settings.effective_log_format)
    return create_app(settings)


app = _default_app()
