"""An MCP agent's view of the API: the official SDK's client (`mcp.Client`) over real HTTP
against the app served by uvicorn, on a fresh database whose commits the test can read."""

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Literal

import httpx
import httpx2
import pytest
from fastapi import FastAPI
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from sqlalchemy.engine import URL

from src.core.settings import Settings
from src.main import create_app
from tests.support.api_users import ApiUser, make_user
from tests.support.live_server import LiveServer
from tests.support.settings import suite_settings

WAIT = 60.0  # seconds: a bound against hangs, never an expectation of speed


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def settings() -> Settings:
    return suite_settings()


@pytest.fixture
def live_app(settings: Settings, committed_url: URL) -> FastAPI:
    return create_app(settings, database_url=committed_url)


@pytest.fixture
def server(live_app: FastAPI) -> Iterator[LiveServer]:
    with LiveServer(live_app) as live:
        yield live


@pytest.fixture
def rest(server: LiveServer) -> Iterator[httpx.Client]:
    """A plain HTTP client on the same server, for the REST side of a test."""
    with httpx.Client(base_url=server.url, timeout=WAIT) as client:
        yield client


@pytest.fixture
def alice() -> ApiUser:
    return make_user(email="alice@example.com")


@pytest.fixture
def bob() -> ApiUser:
    return make_user(email="bob@example.com")


@asynccontextmanager
async def connect(
    server: LiveServer,
    token: str,
    mode: Literal["auto", "legacy"] = "auto",
    statuses: list[int] | None = None,
) -> AsyncIterator[Client]:
    """An MCP client session as an agent opens one: the endpoint URL and a bearer token.
    `mode`: "auto" negotiates the current protocol; "legacy" the initialize handshake that
    agents built on older SDKs use. `statuses` collects the HTTP status of every response."""

    async def record(response: httpx2.Response) -> None:
        if statuses is not None:
            statuses.append(response.status_code)

    http = httpx2.AsyncClient(
        headers={"Authorization": f"Bearer {token}"},
        timeout=WAIT,
        event_hooks={"response": [record]},
    )
    transport = streamable_http_client(f"{server.url}/mcp", http_client=http)
    async with http, Client(transport, mode=mode, read_timeout_seconds=WAIT) as client:
        yield client
