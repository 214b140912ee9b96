"""The ASGI application: `uvicorn src.main:app` from backend/."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import RedirectResponse
from sqlalchemy import Engine

from src.api import problems
from src.api.middleware import SecurityHeadersMiddleware
from src.api.routes import tasks, users
from src.auth import TokenVerifier
from src.db import create_db_engine, resolve_database_url
from src.pagination import CursorCodec
from src.settings import Settings, get_settings

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
            app.state.engine = create_db_engine(resolve_database_url(settings), settings)
        yield
        if owns_engine:
            app.state.engine.dispose()

    app = FastAPI(title="Task API", version="1.0.0", description=DESCRIPTION, lifespan=lifespan)
    app.state.settings = settings
    app.state.engine = engine
    app.state.token_verifier = TokenVerifier(settings)
    app.state.cursor_codec = CursorCodec(settings.cursor_secret.get_secret_value())

    problems.install(app)
    app.openapi = problems.problem_json_openapi(app)  # type: ignore[method-assign]
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        allow_headers=["Authorization", "Content-Type", "If-Match", "If-None-Match"],
        expose_headers=["ETag", "Link", "Location", "X-Total-Count"],
        max_age=600,
    )
    app.add_middleware(SecurityHeadersMiddleware)
    app.include_router(tasks.router)
    app.include_router(users.router)

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/docs")

    return app


app = create_app()
