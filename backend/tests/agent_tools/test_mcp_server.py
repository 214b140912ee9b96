"""The MCP server through the official SDK's client, over real HTTP against uvicorn: the
handshake, the tool list and its schemas, each tool's success and error paths, isolation
between users, tokens, concurrency, and REST and tools seeing each other's changes."""

import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any, Literal

import anyio
import httpx
import pytest
from jsonschema import Draft202012Validator
from mcp import Client
from mcp.shared.exceptions import MCPError
from mcp_types import CallToolResult
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Engine, text

from src.models.task import PRIORITIES, TITLE_MAX_LENGTH, TaskCreate, TaskUpdate
from tests.agent_tools.conftest import connect
from tests.support.api_users import ApiUser, hs256_token
from tests.support.live_server import LiveServer

pytestmark = pytest.mark.anyio

TOOL_NAMES = {
    "add_task",
    "list_tasks",
    "get_task",
    "update_task",
    "complete_task",
    "delete_task",
    "list_tags",
}


async def ok(client: Client, tool: str, **arguments: Any) -> dict[str, Any]:
    """The structured result of a call that must succeed (the SDK's client has already
    validated it against the tool's output schema)."""
    result = await client.call_tool(tool, arguments)
    assert not result.is_error, _text(result)
    assert isinstance(result.structured_content, dict)
    assert json.loads(_text(result)) == result.structured_content  # the same, as text
    return result.structured_content


async def refused(client: Client, tool: str, **arguments: Any) -> str:
    """The words of a call that must fail with a tool error."""
    result = await client.call_tool(tool, arguments)
    assert result.is_error, result.structured_content
    assert result.structured_content is None
    return _text(result)


def _text(result: CallToolResult) -> str:
    (content,) = result.content
    assert content.type == "text"
    return content.text


def tasks_in_db(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT * FROM tasks ORDER BY id")).mappings()
        return [dict(row) for row in rows]


# --- the handshake and the tool list ------------------------------------------------------


@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_an_agent_connects_and_lists_the_tools(
    server: LiveServer, alice: ApiUser, mode: Literal["auto", "legacy"]
) -> None:
    async with connect(server, alice.token, mode) as client:
        listed = (await client.list_tools()).tools
        if mode == "legacy":
            assert client.server_info is not None
            assert client.server_info.name == "task-api"

    tools = {tool.name: tool for tool in listed}
    assert set(tools) == TOOL_NAMES
    for tool in listed:
        assert tool.description
        assert tool.title
        Draft202012Validator.check_schema(tool.input_schema)
        assert tool.input_schema["type"] == "object"
        assert tool.input_schema.get("additionalProperties") is False, tool.name
        assert tool.output_schema is not None
        Draft202012Validator.check_schema(tool.output_schema)
        assert tool.annotations is not None
    assert tools["delete_task"].annotations.destructive_hint is True  # type: ignore[union-attr]
    for name in ("list_tasks", "get_task", "list_tags"):
        assert tools[name].annotations.read_only_hint is True  # type: ignore[union-attr]
    for name in ("add_task", "complete_task"):
        assert tools[name].annotations.destructive_hint is False  # type: ignore[union-attr]


async def test_the_tool_schemas_are_the_rest_schemas(
    server: LiveServer, rest: httpx.Client, alice: ApiUser
) -> None:
    """add_task takes what POST /tasks takes and update_task what PATCH takes, field for
    field, as the OpenAPI document says it (one model behind both)."""
    async with connect(server, alice.token) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    components = rest.get("/openapi.json").json()["components"]["schemas"]

    def properties(schema: dict[str, Any]) -> dict[str, Any]:
        raw = json.dumps(schema["properties"]).replace("#/components/schemas/", "#/$defs/")
        return dict(json.loads(raw))

    add = properties(tools["add_task"].input_schema)
    assert add.pop("user_id")["anyOf"][0] == {"maxLength": 255, "type": "string"}
    assert add == properties(components[TaskCreate.__name__])
    update = properties(tools["update_task"].input_schema)
    del update["user_id"], update["task_id"]
    assert update == properties(components[TaskUpdate.__name__])
    assert add["title"]["maxLength"] == TITLE_MAX_LENGTH
    assert add["priority"]["enum"] == list(PRIORITIES)
    assert tools["add_task"].input_schema["required"] == ["title"]
    assert tools["update_task"].input_schema["required"] == ["task_id"]


async def test_an_unknown_tool_is_a_protocol_error(server: LiveServer, alice: ApiUser) -> None:
    async with connect(server, alice.token) as client:
        with pytest.raises(MCPError, match="Unknown tool: drop_table"):
            await client.call_tool("drop_table", {})


# --- each tool ----------------------------------------------------------------------------


async def test_each_tool_does_what_its_rest_route_does(
    server: LiveServer, rest: httpx.Client, committed_engine: Engine, alice: ApiUser
) -> None:
    due = (datetime.now(UTC) + timedelta(days=1)).replace(microsecond=0)
    async with connect(server, alice.token) as client:
        added = await ok(
            client,
            "add_task",
            title="Dentist",
            description="Dr. Who, 3rd floor",
            priority="high",
            tags=["Health", "health", "calls"],
            due_date=due.isoformat(),
        )
        task_id = added["task_id"]
        assert added["status"] == "created"
        assert added["title"] == "Dentist"
        assert added["task"]["tags"] == ["health", "calls"]  # normalized as REST does
        assert added["task"]["due_date"] == due.strftime("%Y-%m-%dT%H:%M:%SZ")

        rest_view = rest.get(alice.task_url(task_id), headers=alice.headers).json()
        assert rest_view == added["task"]  # the same task, in the same words

        assert (await ok(client, "get_task", task_id=task_id))["task"] == rest_view
        await ok(client, "add_task", title="Buy milk")

        found = await ok(client, "list_tasks", q="DENTIST", priority="high,medium")
        assert [task["id"] for task in found["tasks"]] == [task_id]
        tags = await ok(client, "list_tags")
        assert tags["tags"] == [{"tag": "calls", "count": 1}, {"tag": "health", "count": 1}]

        updated = await ok(client, "update_task", task_id=task_id, title="Dentist at 9", tags=[])
        assert updated["status"] == "updated"
        assert updated["task"]["title"] == "Dentist at 9"
        assert updated["task"]["tags"] == []
        assert updated["task"]["description"] == "Dr. Who, 3rd floor"  # not sent: kept

        done = await ok(client, "complete_task", task_id=task_id)
        assert done["status"] == "completed"
        assert done["task"]["is_completed"] is True
        again = await ok(client, "complete_task", task_id=task_id)  # sets, never toggles
        assert again["task"]["is_completed"] is True
        pending = await ok(client, "list_tasks", status="pending")
        assert [task["title"] for task in pending["tasks"]] == ["Buy milk"]
        completed = await ok(client, "list_tasks", status="completed")
        assert [task["id"] for task in completed["tasks"]] == [task_id]
        undone = await ok(client, "complete_task", task_id=task_id, completed=False)
        assert undone["status"] == "uncompleted"
        assert undone["task"]["is_completed"] is False

        deleted = await ok(client, "delete_task", task_id=task_id)
        assert (deleted["status"], deleted["title"]) == ("deleted", "Dentist at 9")
        assert await refused(client, "get_task", task_id=task_id) == "Not Found: no such task"
        assert await refused(client, "delete_task", task_id=task_id) == "Not Found: no such task"

    assert [row["title"] for row in tasks_in_db(committed_engine)] == ["Buy milk"]


async def test_completing_a_recurring_task_creates_one_next_occurrence(
    server: LiveServer, committed_engine: Engine, alice: ApiUser
) -> None:
    async with connect(server, alice.token) as client:
        added = await ok(
            client,
            "add_task",
            title="Weekly review",
            due_date="2026-12-04T17:00:00Z",
            remind_at="2026-12-04T16:30:00Z",
            recurring_rule="weekly",
        )
        task_id = added["task_id"]
        async with anyio.create_task_group() as group:  # a double click
            for _ in range(2):
                group.start_soon(partial(ok, client, "complete_task", task_id=task_id))
        done = await ok(client, "get_task", task_id=task_id)
        next_id = done["task"]["next_occurrence_id"]
        assert next_id is not None
        following = (await ok(client, "get_task", task_id=next_id))["task"]
        assert following["due_date"] == "2026-12-11T17:00:00Z"
        assert following["remind_at"] == "2026-12-11T16:30:00Z"
        assert following["is_completed"] is False
        await ok(client, "complete_task", task_id=task_id, completed=False)
        await ok(client, "complete_task", task_id=task_id)  # un-complete and again: no third

    assert len(tasks_in_db(committed_engine)) == 2


async def test_list_tasks_pages_with_a_cursor_bound_to_its_filters(
    server: LiveServer, alice: ApiUser
) -> None:
    async with connect(server, alice.token) as client:
        for n in range(5):
            await ok(client, "add_task", title=f"task {n}", priority="low" if n % 2 else "high")
        seen: list[str] = []
        page = await ok(client, "list_tasks", sort="title", limit=2)
        while True:
            seen += [task["title"] for task in page["tasks"]]
            if page["next_cursor"] is None:
                break
            page = await ok(client, "list_tasks", sort="title", limit=2, cursor=page["next_cursor"])
        assert seen == [f"task {n}" for n in range(5)]

        first = await ok(client, "list_tasks", sort="title", limit=2)
        words = await refused(
            client, "list_tasks", sort="title", priority="high", cursor=first["next_cursor"]
        )
        assert words.startswith("Validation failed: the request has invalid fields (cursor: ")
        words = await refused(client, "list_tasks", limit=51)
        assert words == (
            "Validation failed: the request has invalid fields "
            "(limit: Input should be less than or equal to 50)"
        )
        # An argument named like a part of an HTTP request is still named (models send
        # `query` for `q`).
        words = await refused(client, "list_tasks", query="milk")
        assert words.endswith("(query: Extra inputs are not permitted)")


# --- who may call -------------------------------------------------------------------------


async def test_a_users_tools_never_reach_another_users_tasks(
    server: LiveServer, committed_engine: Engine, alice: ApiUser, bob: ApiUser
) -> None:
    async with connect(server, alice.token) as client:
        task_id = (await ok(client, "add_task", title="alice's", tags=["secret"]))["task_id"]
    before = tasks_in_db(committed_engine)

    async with connect(server, bob.token) as client:
        for tool in ("get_task", "delete_task", "complete_task"):
            assert await refused(client, tool, task_id=task_id) == "Not Found: no such task"
        words = await refused(client, "update_task", task_id=task_id, title="bob's now")
        assert words == "Not Found: no such task"
        assert (await ok(client, "list_tasks"))["tasks"] == []
        assert (await ok(client, "list_tasks", q="alice"))["tasks"] == []
        assert (await ok(client, "list_tags"))["tags"] == []
        # The assignment's user_id argument cannot name someone else, on any tool...
        arguments: dict[str, dict[str, Any]] = {
            "add_task": {"title": "planted"},
            "update_task": {"task_id": task_id, "title": "bob's now"},
            **{tool: {"task_id": task_id} for tool in ("get_task", "complete_task")},
            "delete_task": {"task_id": task_id},
        }
        for tool in TOOL_NAMES:
            for named in (alice.sub, str(alice.user_id)):
                words = await refused(client, tool, user_id=named, **arguments.get(tool, {}))
                assert words == "Forbidden: user_id names another user than the bearer token's"
        # ...and may name the caller, by the token's sub or by the service's id.
        await ok(client, "list_tasks", user_id=bob.sub)
        await ok(client, "list_tasks", user_id=str(bob.user_id))

    assert tasks_in_db(committed_engine) == before


async def test_tokens_are_checked_on_every_request(
    server: LiveServer, rest: httpx.Client, alice: ApiUser
) -> None:
    expired = hs256_token(sub=alice.sub, email=alice.email, ttl=-60)
    forged = hs256_token(secret="x" * 40, sub=alice.sub, email=alice.email)
    async with connect(server, alice.token) as client:
        await client.list_tools()  # the same user, with a good token
    for token in (expired, forged, "not-a-token"):
        statuses: list[int] = []
        with pytest.raises(ExceptionGroup) as failure:
            async with connect(server, token, statuses=statuses) as client:
                await client.list_tools()
        assert failure.group_contains(MCPError, match="Server returned an error response")
        # The protocol probe and the initialize it falls back to: each refused, nothing served.
        assert statuses == [401, 401]

    for headers in ({}, {"Authorization": f"Bearer {expired}"}):
        response = rest.post(
            "/mcp",
            json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
            headers={"Accept": "application/json, text/event-stream", **headers},
        )
        assert response.status_code == 401
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["www-authenticate"].startswith('Bearer realm="task-api"')


# --- concurrency, and REST and tools together ---------------------------------------------


async def test_twenty_concurrent_tool_calls(
    server: LiveServer, committed_engine: Engine, alice: ApiUser
) -> None:
    results: list[dict[str, Any]] = []

    async def add(n: int) -> None:
        async with connect(server, alice.token) as client:
            results.append(await ok(client, "add_task", title=f"concurrent {n}"))

    async with anyio.create_task_group() as group:
        for n in range(20):
            group.start_soon(add, n)

    assert len({result["task_id"] for result in results}) == 20
    titles = sorted(row["title"] for row in tasks_in_db(committed_engine))
    assert titles == sorted(f"concurrent {n}" for n in range(20))


async def test_rest_and_tools_see_each_others_changes(
    server: LiveServer, rest: httpx.Client, alice: ApiUser
) -> None:
    created = rest.post(alice.tasks_url, json={"title": "from the app"}, headers=alice.headers)
    assert created.status_code == 201
    task_id = created.json()["id"]
    async with connect(server, alice.token) as client:
        listed = await ok(client, "list_tasks")
        assert [task["id"] for task in listed["tasks"]] == [task_id]
        await ok(client, "update_task", task_id=task_id, title="renamed by the agent")
        after_tool = rest.get(alice.task_url(task_id), headers=alice.headers).json()
        assert after_tool["title"] == "renamed by the agent"
        patched = rest.patch(
            alice.task_url(task_id), json={"priority": "high"}, headers=alice.headers
        )
        assert patched.status_code == 200
        assert (await ok(client, "get_task", task_id=task_id))["task"]["priority"] == "high"
        rest.delete(alice.task_url(task_id), headers=alice.headers)
        assert await refused(client, "get_task", task_id=task_id) == "Not Found: no such task"


async def test_tool_calls_are_counted_in_the_metrics(
    server: LiveServer, rest: httpx.Client, alice: ApiUser
) -> None:
    def counts() -> Counter[tuple[str, ...]]:
        found: Counter[tuple[str, ...]] = Counter()
        for family in text_string_to_metric_families(rest.get("/metrics").text):
            for sample in family.samples:
                if sample.name == "taskapi_mcp_tool_calls_total":
                    found[(sample.labels["tool"], sample.labels["outcome"])] = int(sample.value)
                elif (
                    sample.name == "taskapi_http_requests_total"
                    and sample.labels["route"] == "/mcp"
                ):
                    found[("POST /mcp", sample.labels["status"])] = int(sample.value)
        return found

    before = counts()
    async with connect(server, alice.token) as client:
        await ok(client, "add_task", title="counted")
        await refused(client, "get_task", task_id=2_147_483_647)
    after = counts()
    after.subtract(before)
    assert after[("add_task", "ok")] == 1
    assert after[("get_task", "not-found")] == 1
    assert after[("POST /mcp", "200")] >= 2  # the calls, and the handshake's requests
