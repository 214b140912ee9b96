"""The bad-input catalogue (tests/api/test_bad_input_catalogue.py), sent to the tools: every
row that a tool can express (a body, a query, a task id, a user id) becomes that tool's
arguments. A refused call is a tool error in the words of the problem REST answers the same
row with (title, detail, each bad field and its message), and the database is unchanged;
the rows at the valid edge of a limit succeed, as they do in REST."""

from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
from sqlalchemy import Engine, text

from src.api.problems import argument_name, problem_words
from src.core.settings import Settings
from tests.agent_tools.conftest import connect
from tests.api.test_bad_input_catalogue import CATALOGUE, Row, cursors_for
from tests.support.api_users import ApiUser
from tests.support.live_server import LiveServer

pytestmark = pytest.mark.anyio


_INVALID = "Validation failed: the request has invalid fields"
# Rows whose tool form is refused in other words than REST's, each for a reason of the tool's.
TOOL_WORDS = {
    # complete_task's argument is `completed` (the REST body's is `is_completed`).
    "complete with 'yes'": f"{_INVALID} (completed: Input should be a valid boolean)",
    # A tool's arguments are JSON: "abc" is a string where an integer belongs, not a path
    # segment to parse.
    "task_id not a number": f"{_INVALID} (task_id: Input should be a valid integer)",
    # A tool's page is at most 50 tasks (a model's context), REST's 200.
    "limit 10^9": f"{_INVALID} (limit: Input should be less than or equal to 50)",
    # list_tasks says it with `status`; `completed` is not one of its arguments.
    "completed 'maybe'": f"{_INVALID} (completed: Extra inputs are not permitted)",
}


def tool_call(row: Row, task_id: int, cursors: dict[str, str]) -> tuple[str, dict[str, Any]] | None:
    """The tool and arguments that say what `row` says; None for what only HTTP can say
    (raw bytes, media types, a parameter given twice, PUT, the Idempotency-Key header, the
    sync route, which no tool has)."""
    if row.raw is not None or row.method == "PUT" or "Idempotency-Key" in row.headers:
        return None
    if "{sync" in row.path:
        return None
    path = row.path
    for kind, cursor in cursors.items():
        path = path.replace(f"{{cursor:{kind}}}", cursor)
    if path == "{tasks}" and row.method == "POST":
        return "add_task", dict(row.json)
    if path == "{task}" and row.method == "PATCH":
        return "update_task", {"task_id": task_id, **row.json}
    if path == "{task}/complete":
        return "complete_task", {"task_id": task_id, "completed": row.json["is_completed"]}
    if path.startswith("{tasks}?"):
        query = parse_qsl(path.partition("?")[2])
        if len({name for name, _ in query}) < len(query):
            return None
        return "list_tasks", dict(query)
    if path.startswith("{tasks}/"):
        value = path.removeprefix("{tasks}/")
        tool = "delete_task" if row.method == "DELETE" else "get_task"
        return tool, {"task_id": int(value) if value.lstrip("-").isdigit() else value}
    if path.startswith("/api/"):
        return "list_tasks", {"user_id": path.split("/")[2]}
    raise AssertionError(f"no tool for {row}")


def snapshot(engine: Engine) -> list[Any]:
    with engine.connect() as connection:
        return [
            *connection.execute(text("SELECT * FROM users ORDER BY id")).all(),
            *connection.execute(text("SELECT * FROM tasks ORDER BY id")).all(),
            *connection.execute(text("SELECT * FROM task_counts ORDER BY user_id")).all(),
        ]


def rest_words(rest: httpx.Client, row: Row, alice: ApiUser, task_id: int, path: str) -> str:
    """The REST problem `row` gets, in the one-line words a tool error uses."""
    url = path.format(tasks=alice.tasks_url, task=alice.task_url(task_id))
    response = rest.request(row.method, url, json=row.json, headers=alice.headers)
    assert response.status_code == row.status, response.text
    problem = response.json()
    errors = [
        {**error, "field": argument_name(error["field"])} for error in problem.get("errors", [])
    ]
    return problem_words(problem["title"], problem["detail"], errors)


async def test_the_catalogue_through_the_tools(
    server: LiveServer,
    rest: httpx.Client,
    committed_engine: Engine,
    settings: Settings,
    alice: ApiUser,
) -> None:
    failures: list[str] = []
    tried = 0
    cursors = cursors_for(settings, alice)
    async with connect(server, alice.token) as client:
        added = await client.call_tool("add_task", {"title": "existing", "description": "kept"})
        assert added.structured_content is not None
        task_id = added.structured_content["task_id"]
        for row in CATALOGUE:
            call = tool_call(row, task_id, cursors)
            if call is None:
                continue
            tried += 1
            tool, arguments = call
            if row.status < 400:
                result = await client.call_tool(tool, arguments)
                if result.is_error:
                    failures.append(f"{row.name}: refused: {result.content}")
                continue
            path = row.path
            for kind, cursor in cursors.items():
                path = path.replace(f"{{cursor:{kind}}}", cursor)
            expected = rest_words(rest, row, alice, task_id, path)
            expected = TOOL_WORDS.get(row.name, expected)
            if "user_id" in arguments:  # REST: another user in the path, or a field it lacks
                expected = "Forbidden: user_id names another user than the bearer token's"
            before = snapshot(committed_engine)
            result = await client.call_tool(tool, arguments)
            words = result.content[0].text if result.content else ""  # type: ignore[union-attr]
            if not result.is_error or words != expected:
                failures.append(f"{row.name}: {tool}({arguments!r})\n  {words!r}\n  {expected!r}")
            elif snapshot(committed_engine) != before:
                failures.append(f"{row.name}: refused, but the database changed")

    assert not failures, "\n".join(failures)
    assert tried >= 50  # most of the catalogue has a tool form
