"""The bad-input catalogue: one table, each row a request and the status it must get.

A client that is wrong gets a clear 4xx problem+json, never a 500, and a refused request
changes nothing: every 4xx row compares the whole database before and after. The few rows
at the valid edge of a limit (1 and 500 characters, 5,000 of description, 500 emoji) must
succeed, so that the limits are exactly where the schema puts them.
"""

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from src.core.pagination import CursorCodec, Position
from src.core.settings import Settings
from src.core.sync_tokens import SyncPosition, encode_token
from tests.support.api_users import ApiUser, create_task
from tests.support.db import TestDb

MIB = 1_048_576
JSON = {"Content-Type": "application/json"}


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    path: str  # {tasks} is the caller's tasks URL, {task} one of the caller's tasks
    status: int
    json: Any = None
    raw: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)


def _title(n: int, char: str = "t") -> dict[str, str]:
    return {"title": char * n}


def _key(value: str) -> dict[str, str]:
    return {"Idempotency-Key": value}


def _q(key: str) -> str:
    return f'"{key}"'


CATALOGUE = [
    # bodies that are not what the contract says
    Row("malformed JSON", "POST", "{tasks}", 400, raw=b'{"title": "x",', headers=JSON),
    Row("body not UTF-8", "POST", "{tasks}", 400, raw=b'{"title": "\xff"}', headers=JSON),
    Row("body is an array", "POST", "{tasks}", 422, raw=b'[{"title": "x"}]', headers=JSON),
    Row("body is a string", "POST", "{tasks}", 422, raw=b'"x"', headers=JSON),
    Row("body is null", "POST", "{tasks}", 422, raw=b"null", headers=JSON),
    Row("title is a number", "POST", "{tasks}", 422, json={"title": 42}),
    Row("title is a list", "POST", "{tasks}", 422, json={"title": ["x"]}),
    Row("is_completed 'yes'", "POST", "{tasks}", 422, json={"title": "x", "is_completed": "yes"}),
    Row("is_completed 1", "POST", "{tasks}", 422, json={"title": "x", "is_completed": 1}),
    Row("title missing", "POST", "{tasks}", 422, json={"description": "d"}),
    # task organization
    Row("unknown priority", "POST", "{tasks}", 422, json={"title": "x", "priority": "urgent"}),
    Row("priority null", "POST", "{tasks}", 422, json={"title": "x", "priority": None}),
    Row("empty tag", "POST", "{tasks}", 422, json={"title": "x", "tags": [" "]}),
    Row("tag too long", "POST", "{tasks}", 422, json={"title": "x", "tags": ["t" * 51]}),
    Row(
        "21 tags", "POST", "{tasks}", 422, json={"title": "x", "tags": [str(i) for i in range(21)]}
    ),
    Row("tags a string", "POST", "{tasks}", 422, json={"title": "x", "tags": "work"}),
    Row("due_date malformed", "POST", "{tasks}", 422, json={"title": "x", "due_date": "31/12"}),
    Row(
        "due_date out of range",
        "POST",
        "{tasks}",
        422,
        json={"title": "x", "due_date": "9999-12-31T23:00:00-05:00"},
    ),
    Row("remind_at a number", "POST", "{tasks}", 422, json={"title": "x", "remind_at": 1}),
    Row(
        "recurrence without due_date",
        "POST",
        "{tasks}",
        422,
        json={"title": "x", "recurring_rule": "daily"},
    ),
    Row(
        "recurrence interval 0",
        "POST",
        "{tasks}",
        422,
        json={
            "title": "x",
            "recurring_rule": "daily",
            "due_date": "2026-12-01T00:00:00Z",
            "recurring_interval": 0,
        },
    ),
    Row("empty object", "POST", "{tasks}", 422, json={}),
    Row("unknown field", "POST", "{tasks}", 422, json={"title": "x", "priority": 1}),
    Row("server field id", "POST", "{tasks}", 422, json={"title": "x", "id": 1}),
    Row(
        "server field user_id",
        "POST",
        "{tasks}",
        422,
        json={"title": "x", "user_id": str(uuid.uuid4())},
    ),
    Row(
        "server field created_at",
        "POST",
        "{tasks}",
        422,
        json={"title": "x", "created_at": "2020-01-01T00:00:00Z"},
    ),
    Row(
        "server field updated_at",
        "PUT",
        "{task}",
        422,
        json={"title": "x", "updated_at": "2020-01-01T00:00:00Z"},
    ),
    # lengths, counted in characters as PostgreSQL counts them
    Row("title 0 chars", "POST", "{tasks}", 422, json=_title(0)),
    Row("title 1 char", "POST", "{tasks}", 201, json=_title(1)),
    Row("title 500 chars", "POST", "{tasks}", 201, json=_title(500)),
    Row("title 501 chars", "POST", "{tasks}", 422, json=_title(501)),
    Row("title whitespace only", "POST", "{tasks}", 422, json={"title": " \t\n "}),
    Row("title 500 emoji", "POST", "{tasks}", 201, json=_title(500, "😀")),
    Row("title 501 emoji", "POST", "{tasks}", 422, json=_title(501, "😀")),
    Row("description 5000", "POST", "{tasks}", 201, json={"title": "x", "description": "d" * 5000}),
    Row("description 5001", "POST", "{tasks}", 422, json={"title": "x", "description": "d" * 5001}),
    Row("NUL in title", "POST", "{tasks}", 422, json={"title": "a\u0000b"}),
    Row("NUL in description", "PATCH", "{task}", 422, json={"description": "a\u0000b"}),
    Row("lone surrogate", "POST", "{tasks}", 422, raw=b'{"title": "\\ud800"}', headers=JSON),
    Row("PATCH title null", "PATCH", "{task}", 422, json={"title": None}),
    Row("PATCH is_completed null", "PATCH", "{task}", 422, json={"is_completed": None}),
    Row("PUT without title", "PUT", "{task}", 422, json={"is_completed": True}),
    Row("complete with 'yes'", "PATCH", "{task}/complete", 422, json={"is_completed": "yes"}),
    # size and media type
    Row(
        "body over 1 MiB",
        "POST",
        "{tasks}",
        413,
        raw=b'{"title": "' + b"x" * MIB + b'"}',
        headers=JSON,
    ),
    Row(
        "Content-Type text/plain",
        "POST",
        "{tasks}",
        415,
        raw=b'{"title": "x"}',
        headers={"Content-Type": "text/plain"},
    ),
    Row("Content-Type missing", "POST", "{tasks}", 415, raw=b'{"title": "x"}'),
    Row(
        "form-encoded body",
        "PUT",
        "{task}",
        415,
        raw=b"title=x",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    ),
    # path parameters
    Row("user_id not a UUID nor the sub", "GET", "/api/not-a-uuid/tasks", 403),
    Row("user_id of somebody else", "GET", f"/api/{uuid.uuid4()}/tasks", 403),
    Row("task_id 0", "GET", "{tasks}/0", 422),
    Row("task_id negative", "GET", "{tasks}/-1", 422),
    Row("task_id past int4", "GET", "{tasks}/2147483648", 422),
    Row("task_id not a number", "GET", "{tasks}/abc", 422),
    Row("task_id that does not exist", "DELETE", "{tasks}/2147483647", 404),
    # query parameters
    Row("limit 0", "GET", "{tasks}?limit=0", 422),
    Row("limit -1", "GET", "{tasks}?limit=-1", 422),
    Row("limit 10^9", "GET", "{tasks}?limit=1000000000", 422),
    Row("limit text", "GET", "{tasks}?limit=ten", 422),
    Row("unknown sort", "GET", "{tasks}?sort=importance", 422),
    Row("unknown priority filter", "GET", "{tasks}?priority=urgent", 422),
    Row("empty tag filter", "GET", "{tasks}?tag=work,", 422),
    Row("due_before not a date", "GET", "{tasks}?due_before=soon", 422),
    Row("due_after without offset", "GET", "{tasks}?due_after=2026-01-01T00:00:00", 422),
    Row("overdue 'maybe'", "GET", "{tasks}?overdue=maybe", 422),
    Row("unknown parameter", "GET", "{tasks}?page=2", 422),
    Row("completed 'maybe'", "GET", "{tasks}?completed=maybe", 422),
    Row("duplicate limit", "GET", "{tasks}?limit=1&limit=200", 422),
    Row("duplicate sort", "GET", "{tasks}?sort=id&sort=-id", 422),
    Row("forged cursor", "GET", "{tasks}?cursor={cursor:forged}", 400),
    Row("truncated cursor", "GET", "{tasks}?cursor={cursor:truncated}", 400),
    Row("other user's cursor", "GET", "{tasks}?cursor={cursor:other-user}", 400),
    Row("cursor of another sort", "GET", "{tasks}?sort=title&cursor={cursor:valid}", 422),
    Row("cursor of other filters", "GET", "{tasks}?priority=high&cursor={cursor:valid}", 422),
    # Idempotency-Key (an RFC 8941 string of 1-255 characters)
    Row("idempotency key empty", "POST", "{tasks}", 422, _title(1), headers=_key('""')),
    Row("idempotency key unquoted", "POST", "{tasks}", 422, _title(1), headers=_key("abc")),
    Row("idempotency key 255", "POST", "{tasks}", 201, _title(1), headers=_key(_q("k" * 255))),
    Row("idempotency key 256", "DELETE", "{task}", 422, headers=_key(_q("k" * 256))),
    Row("idempotency key parameters", "PATCH", "{task}", 422, _title(1), headers=_key('"a";p=1')),
    Row("idempotency key control char", "PUT", "{task}", 422, _title(1), headers=_key('"a\tb"')),
    # incremental sync
    Row("sync limit 0", "GET", "{sync}?limit=0", 422),
    Row("sync limit 501", "GET", "{sync}?limit=501", 422),
    Row("sync limit text", "GET", "{sync}?limit=ten", 422),
    Row("sync unknown parameter", "GET", "{sync}?since=1", 422),
    Row("sync token malformed", "GET", "{sync}?token=garbage", 400),
    Row("sync token empty", "GET", "{sync}?token=", 422),
    Row("sync token tampered", "GET", "{sync}?token={sync:tampered}", 400),
    Row("sync token forged", "GET", "{sync}?token={sync:forged}", 400),
    Row("sync token of another user", "GET", "{sync}?token={sync:other-user}", 400),
    Row("list cursor as sync token", "GET", "{sync}?token={cursor:valid}", 400),
    Row("sync token as list cursor", "GET", "{tasks}?cursor={sync:valid}", 400),
    Row("sync token from the future", "GET", "{sync}?token={sync:ahead}", 410),
]


def _snapshot(db: TestDb) -> list[dict[str, Any]]:
    return [
        *db.fetch_all("SELECT id, email, created_at, updated_at FROM users ORDER BY id"),
        *db.fetch_all("SELECT * FROM tasks ORDER BY id"),
        *db.fetch_all("SELECT * FROM task_counts ORDER BY user_id"),
        *db.fetch_all("SELECT * FROM task_tombstones ORDER BY user_id, change_seq"),
        *db.fetch_all("SELECT user_id, key, status FROM idempotency_keys ORDER BY user_id, key"),
    ]


def sync_tokens_for(settings: Settings, alice: ApiUser) -> dict[str, str]:
    codec = CursorCodec(settings.cursor_secret.get_secret_value())
    valid = encode_token(codec, alice.user_id, SyncPosition(seq=1))
    forger = CursorCodec("a-secret-the-server-does-not-have-0123456789")
    return {
        "valid": valid,
        "tampered": valid[:-3] + ("AAA" if not valid.endswith("AAA") else "BBB"),
        "forged": encode_token(forger, alice.user_id, SyncPosition(seq=1)),
        "other-user": encode_token(codec, uuid.uuid4(), SyncPosition(seq=1)),
        "ahead": encode_token(codec, alice.user_id, SyncPosition(seq=10**9)),
    }


def cursors_for(settings: Settings, alice: ApiUser) -> dict[str, str]:
    position = Position(key=datetime(2026, 1, 1), task_id=1)
    valid = CursorCodec(settings.cursor_secret.get_secret_value()).encode(
        alice.user_id, "-created_at", position
    )
    forger = CursorCodec("a-secret-the-server-does-not-have-0123456789")
    return {
        "valid": valid,
        "truncated": valid[:-6],
        "forged": forger.encode(alice.user_id, "-created_at", position),
        "other-user": CursorCodec(settings.cursor_secret.get_secret_value()).encode(
            uuid.uuid4(), "-created_at", position
        ),
    }


@pytest.mark.parametrize("row", CATALOGUE, ids=[row.name for row in CATALOGUE])
def test_catalogue(
    client: TestClient, db: TestDb, settings: Settings, alice: ApiUser, row: Row
) -> None:
    task = create_task(client, alice, title="existing", description="kept as it is")
    path = row.path
    for kind, cursor in cursors_for(settings, alice).items():
        path = path.replace(f"{{cursor:{kind}}}", cursor)
    for kind, token in sync_tokens_for(settings, alice).items():
        path = path.replace(f"{{sync:{kind}}}", token)
    sync = f"/api/{alice.sub}/sync"
    path = path.format(tasks=alice.tasks_url, task=alice.task_url(task["id"]), sync=sync)
    before = _snapshot(db)

    response = client.request(
        row.method,
        path,
        json=row.json if row.raw is None else None,
        content=row.raw,
        headers={**alice.headers, **row.headers},
    )

    assert response.status_code == row.status, response.text
    if row.status >= 400:
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert problem["status"] == row.status
        assert {"type", "title", "detail"} <= set(problem)
        if row.status == 422:
            assert problem["errors"], "a 422 names the bad field"
        assert _snapshot(db) == before, "a refused request changed the database"


def test_the_catalogue_covers_what_the_issue_lists() -> None:
    statuses = {row.status for row in CATALOGUE}
    assert {400, 403, 404, 410, 413, 415, 422, 201} <= statuses
    assert len(CATALOGUE) >= 50
