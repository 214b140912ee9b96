"""Request ids, the access log line, security headers and the body size limit."""

import json
import logging
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from src.core.logs import configure_logging, request_id_var
from tests.support.api_users import ApiUser, create_task
from tests.support.db import TestDb

MIB = 1_048_576


def test_a_request_id_is_generated_and_returned(client: TestClient, alice: ApiUser) -> None:
    first = client.get(alice.tasks_url, headers=alice.headers).headers["x-request-id"]
    second = client.get(alice.tasks_url, headers=alice.headers).headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second


@pytest.mark.parametrize(
    ("sent", "echoed"),
    [
        ("req-123.abc:1", True),
        ("a" * 128, True),
        ("has space", False),
        ("a" * 129, False),
        ("<script>", False),
        ("", False),
    ],
)
def test_a_sane_client_request_id_is_echoed(
    client: TestClient, alice: ApiUser, sent: str, echoed: bool
) -> None:
    response = client.get(alice.tasks_url, headers={**alice.headers, "X-Request-ID": sent})
    assert (response.headers["x-request-id"] == sent) is echoed


def test_one_access_log_line_per_request_without_secrets(
    client: TestClient, alice: ApiUser, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        response = client.post(alice.tasks_url, json={"title": "logged"}, headers=alice.headers)

    lines = [r for r in caplog.records if r.name == "task_api.access"]
    assert len(lines) == 1
    line = lines[0]
    assert line.__dict__["route"] == "/api/{user_id}/tasks"  # the template, not the raw path
    assert line.__dict__["method"] == "POST"
    assert line.__dict__["status"] == 201
    assert line.__dict__["user_id"] == str(alice.user_id)
    assert line.__dict__["request_id"] == response.headers["x-request-id"]
    assert line.__dict__["duration_ms"] >= 0
    everything = " ".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert alice.token not in everything
    assert alice.token.split(".")[2] not in everything


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers, root.level = handlers, level


@pytest.mark.usefixtures("restore_logging")
def test_json_log_lines_carry_the_request_id(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", "json")
    token = request_id_var.set("rid-42")
    try:
        logging.getLogger("task_api.test").info("hello", extra={"status": 204})
    finally:
        request_id_var.reset(token)

    record = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert record["message"] == "hello"
    assert record["request_id"] == "rid-42"
    assert record["status"] == 204
    assert record["level"] == "INFO"
    assert record["logger"] == "task_api.test"


def test_security_headers(client: TestClient, alice: ApiUser) -> None:
    api = client.get(alice.tasks_url, headers=alice.headers)
    health = client.get("/healthz")
    assert api.headers["x-content-type-options"] == "nosniff"
    assert api.headers["cache-control"] == "no-store"
    assert health.headers["x-content-type-options"] == "nosniff"
    assert "cache-control" not in health.headers


def test_each_added_header_appears_once(client: TestClient, alice: ApiUser) -> None:
    """The edge appends raw headers instead of setting them: none may end up twice."""
    for response in (
        client.get(alice.tasks_url, headers=alice.headers),
        client.get(alice.tasks_url, headers={**alice.headers, "Origin": "http://localhost:3000"}),
        client.get(alice.task_url(999_999), headers=alice.headers),
    ):
        for name in ("x-request-id", "x-content-type-options", "cache-control", "vary"):
            assert len(response.headers.get_list(name)) == 1, (name, response.headers)
        assert response.headers["vary"] == "Origin"


def test_a_refused_body_still_gets_the_request_id_and_security_headers(
    client: TestClient, alice: ApiUser
) -> None:
    response = client.post(
        alice.tasks_url,
        content=b"x" * (MIB + 1),
        headers={**alice.headers, "Content-Type": "application/json", "X-Request-ID": "big-1"},
    )
    assert response.status_code == 413
    assert response.headers["x-request-id"] == "big-1"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"


def _rows(db: TestDb) -> tuple[int, int]:
    """How many users and tasks there are."""
    return db.scalar("SELECT count(*) FROM users"), db.scalar("SELECT count(*) FROM tasks")


def test_a_body_over_1_mib_is_a_413_before_it_is_read(
    client: TestClient, db: TestDb, alice: ApiUser
) -> None:
    body = b'{"title": "x", "description": "' + b"d" * MIB + b'"}'
    response = client.post(
        alice.tasks_url, content=body, headers={**alice.headers, "Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert _rows(db) == (0, 0)  # nothing provisioned, nothing created


def test_a_streamed_body_over_1_mib_is_a_413(
    client: TestClient, db: TestDb, alice: ApiUser
) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"title": "x", "description": "'
        for _ in range(20):
            yield b"d" * 65_536
        yield b'"}'

    response = client.post(
        alice.tasks_url,
        content=chunks(),
        headers={**alice.headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert _rows(db) == (0, 0)  # nothing provisioned, nothing created


def test_a_body_of_exactly_1_mib_is_read(client: TestClient, alice: ApiUser) -> None:
    prefix = b'{"title": "padded"}'
    body = prefix + b" " * (MIB - len(prefix))
    response = client.post(
        alice.tasks_url, content=body, headers={**alice.headers, "Content-Type": "application/json"}
    )
    assert response.status_code == 201
    create_task(client, alice)  # the connection is still usable afterwards
