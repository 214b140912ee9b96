"""The bad-input catalogue (tests/api/test_bad_input_catalogue.py), sent to the tools: every
row that a tool can express (a body, a query, a task id, a user id) becomes that tool's
arguments. A refused call is a tool error in the REST problem's words, and the database is
unchanged; the rows at the valid edge of a limit succeed, as they do in REST."""

from typing import Any
from urllib.parse import parse_qsl

import pytest
from sqlalchemy import Engine, text

from src.core.settings import Settings
from tests.agent_tools.conftest import connect
from tests.api.test_bad_input_catalogue import CATALOGUE, Row, cursors_for
from tests.support.api_users import ApiUser
from tests.support.live_server import LiveServer

pytestmark = pytest.mark.anyio

# The first words of a tool error, by the status REST answers.
WORDS = {
    400: "Invalid request: ",
    403: "Forbidden: ",
    404: "Not Found: ",
    422: "Validation failed: ",
}


def tool_call(row: Row, task_id: int, cursors: dict[str, str]) -> tuple[str, dict[str, Any]] | None:
    """The tool and arguments that say what `row` says; None for what only HTTP can say
    (raw bytes, media types, a parameter given twice, PUT)."""
    if row.raw is not None or row.method == "PUT":
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


async def test_the_catalogue_through_the_tools(
    server: LiveServer, committed_engine: Engine, settings: Settings, alice: ApiUser
) -> None:
    failures: list[str] = []
    tried = 0
    async with connect(server, alice.token) as client:
        added = await client.call_tool("add_task", {"title": "existing", "description": "kept"})
        assert added.structured_content is not None
        task_id = added.structured_content["task_id"]
        for row in CATALOGUE:
            call = tool_call(row, task_id, cursors_for(settings, alice))
            if call is None:
                continue
            tried += 1
            tool, arguments = call
            before = snapshot(committed_engine)
            result = await client.call_tool(tool, arguments)
            words = result.content[0].text if result.content else ""  # type: ignore[union-attr]
            if row.status < 400:
                if result.is_error:
                    failures.append(f"{row.name}: refused: {words}")
                continue
            expected = WORDS[row.status]
            if "user_id" in arguments and tool == "add_task":
                expected = WORDS[403]  # a tool's user_id names the caller; REST's is a field
            if not result.is_error or not words.startswith(expected):
                failures.append(f"{row.name}: {tool}({arguments!r}) -> {words!r}")
            elif snapshot(committed_engine) != before:
                failures.append(f"{row.name}: refused, but the database changed")

    assert not failures, "\n".join(failures)
    assert tried >= 50  # most of the catalogue has a tool form
