"""What an agent gets when a tool fails inside (a bug, the database gone mid-call), and the
HTTP edges of /mcp (tokens on every method, the body limit): each failure is a tool error or a
problem+json, in the words REST uses, and a tool that fails has written nothing."""

import dataclasses
from typing import Any

import httpx
import pytest
from psycopg import OperationalError
from sqlalchemy import Engine, text
from sqlalchemy.engine import URL

import src.db.schema_state
from src.agent_tools.tools import TOOLS, Call
from src.core.settings import Settings
from src.main import create_app
from tests.agent_tools.conftest import connect
from tests.agent_tools.test_mcp_server import ok, refused
from tests.support.api_users import ApiUser, hs256_token
from tests.support.live_server import LiveServer

pytestmark = pytest.mark.anyio

MCP_ACCEPT = {"Accept": "application/json, text/event-stream"}


def database(engine: Engine) -> list[Any]:
    with engine.connect() as connection:
        return [
            *connection.execute(text("SELECT id, email FROM users ORDER BY id")).all(),
            *connection.execute(text("SELECT * FROM tasks ORDER BY id")).all(),
            *connection.execute(text("SELECT * FROM task_counts ORDER BY user_id")).all(),
        ]


@pytest.fixture
def fail_after_writing(
    monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Exception:
    """add_task, complete_task and delete_task do their writes (add_task's first one
    provisions the caller), then raise `request.param`, as a bug or a lost connection
    would."""
    error: Exception = request.param

    for name in ("add_task", "complete_task", "delete_task"):
        spec = TOOLS[name]

        async def write_then_fail(call: Call, args: Any, run: Any = spec.run) -> dict[str, Any]:
            await run(call, args)
            raise error

        monkeypatch.setitem(TOOLS, name, dataclasses.replace(spec, run=write_then_fail))
    return error


@pytest.mark.parametrize(
    ("fail_after_writing", "words"),
    [
        (
            RuntimeError("a bug, with internals: SELECT secret"),
            "Internal Server Error: the server failed; the error was logged",
        ),
        (
            OperationalError("server closed the connection unexpectedly"),
            "Service Unavailable: the database is unreachable; retry shortly",
        ),
    ],
    indirect=["fail_after_writing"],
)
async def test_a_tool_that_fails_after_writing_writes_nothing(
    server: LiveServer,
    committed_engine: Engine,
    alice: ApiUser,
    fail_after_writing: Exception,
    words: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async with connect(server, alice.token) as client:
        # The caller's first write: the users row and the task, both undone.
        assert await refused(client, "add_task", title="half written") == words
        assert database(committed_engine) == []

    # A recurring task's completion: neither the completion nor the next occurrence stays.
    created = httpx.post(
        f"{server.url}{alice.tasks_url}",
        json={"title": "weekly", "due_date": "2026-12-07T09:00:00Z", "recurring_rule": "weekly"},
        headers=alice.headers,
    )
    assert created.status_code == 201, created.text
    before = database(committed_engine)
    async with connect(server, alice.token) as client:
        assert await refused(client, "complete_task", task_id=created.json()["id"]) == words
        # A delete is one statement: only the transaction around the tool can undo it.
        assert await refused(client, "delete_task", task_id=created.json()["id"]) == words
    assert database(committed_engine) == before

    # The model got only `words` (checked above); the log has the internals.
    if isinstance(fail_after_writing, RuntimeError):
        assert any("SELECT secret" in str(r.exc_info) for r in caplog.records if r.exc_info)


def test_a_call_needs_a_token(server: LiveServer, alice: ApiUser) -> None:
    expired = hs256_token(sub=alice.sub, email=alice.email, ttl=-60)
    for headers in ({}, {"Authorization": f"Bearer {expired}"}):
        response = httpx.post(f"{server.url}/mcp", headers={**MCP_ACCEPT, **headers}, json={})
        assert response.status_code == 401, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["title"] == "Unauthorized"


@pytest.mark.parametrize("method", ["GET", "DELETE"])
def test_a_stateless_server_has_no_stream_or_session_to_end(
    server: LiveServer, alice: ApiUser, method: str
) -> None:
    """GET (a server-sent stream) and DELETE (end a session): 405, as the protocol allows a
    server without sessions to answer, before the token is even read."""
    response = httpx.request(method, f"{server.url}/mcp", headers={**MCP_ACCEPT, **alice.headers})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.headers["content-type"] == "application/problem+json"


def test_a_body_over_the_limit_is_refused_before_the_tool_runs(
    server: LiveServer, committed_engine: Engine, settings: Settings, alice: ApiUser
) -> None:
    call = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "tools/call",
        "params": {"name": "add_task", "arguments": {"title": "big", "description": ""}},
    }
    call["params"]["arguments"]["description"] = "x" * settings.max_body_bytes  # type: ignore[index]
    response = httpx.post(f"{server.url}/mcp", json=call, headers={**MCP_ACCEPT, **alice.headers})
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert database(committed_engine) == []


async def test_a_call_holds_one_connection_at_a_time(
    settings: Settings,
    committed_url: URL,
    alice: ApiUser,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A pool of one connection, and the schema re-read on every request: a call that kept
    the schema check's connection while its tool took another would wait for itself until
    the pool timed out (a 503 tool error)."""
    monkeypatch.setattr(src.db.schema_state, "RECHECK_SECONDS", 0.0)
    one = settings.model_copy(
        update={"db_pool_size": 1, "db_max_overflow": 0, "db_pool_timeout_seconds": 1.0}
    )
    with LiveServer(create_app(one, database_url=committed_url)) as server:
        async with connect(server, alice.token) as client:
            added = await ok(client, "add_task", title="one connection")
            assert (await ok(client, "get_task", task_id=added["task_id"]))["title"] == (
                "one connection"
            )
