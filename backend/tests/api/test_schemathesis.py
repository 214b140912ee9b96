"""The running API honours its own OpenAPI document: property-based tests with schemathesis.

The app is served for real: `create_app` on a fresh copy of the migrated database
(`committed_url`: real commits), behind uvicorn on loopback (`LiveServer`). schemathesis
loads the LIVE /openapi.json, so what is tested is what clients download, and generates
requests for every operation it documents: the examples, the coverage phase's boundary and
invalid values (wrong types, missing fields, undocumented methods, bad media types), then
random valid and invalid requests (fuzzing).

Every request carries a valid HS256 token of one caller whose `sub` is a UUID (but for the
ignored_auth probes, which drop or spoil it on purpose). `{user_id}` is that caller most of
the time, another (generated) value otherwise, so the 403 paths run too; `{task_id}` is one
of the caller's live tasks half of the time (200/204/412 paths), a generated id otherwise
(mostly 404).

Checks (schemathesis's defaults, all of them; `CHECKS_CONFIG` below):
- not_a_server_error: no 5xx;
- status_code_conformance: no undocumented status code;
- content_type_conformance, response_schema_conformance, response_headers_conformance: the
  documented media type (application/problem+json for errors), body schema and headers;
- negative_data_rejection / positive_data_acceptance: invalid requests get a 4xx, valid ones
  are accepted (the statuses a valid request may still get are listed below, with why);
- ignored_auth, missing_required_header, unsupported_method, allow_header_conformance,
  use_after_free, ensure_resource_availability, object_level_authorization.

Bounded for CI: a fixed seed, deterministic generation, no example database, and
MAX_EXAMPLES fuzzed requests per operation on top of the fixed example and coverage cases.
A failure prints a curl command to replay it (the token is filtered: mint one with
tests.support.api_users.hs256_token(sub=CALLER_SUB, email=CALLER_EMAIL)).
"""

import uuid
import zlib
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from schemathesis import Case, HookContext, Response
from schemathesis.config import SchemathesisConfig
from schemathesis.schemas import BaseSchema
from sqlalchemy.engine import URL

from src.core.settings import Settings
from src.main import create_app
from tests.support.api_users import ApiUser, make_user
from tests.support.live_server import LiveServer

# The operation type of a generated case does not matter here (OpenAPI operations).
ApiCase = Case[Any]

LIVE_EVENTS = "/api/{user_id}/events"
CALLER_SUB = "5c4e0a2e-3f57-4c1a-9a56-2f7d3c1b9e01"
CALLER_EMAIL = "schemathesis@example.com"

SEED = 20261124
# Fuzzed requests per operation (the example and coverage phases add their fixed cases).
MAX_EXAMPLES = 50
# Live tasks of the caller that `{task_id}` points at half of the time.
POOL_SIZE = 3
# Headers that say how the message is framed, which the HTTP client sets (see map_case).
FRAMING_HEADERS = {"content-length", "transfer-encoding", "host", "connection"}
# `{user_id}` is the caller for 4 generated values out of 5.
OTHER_USER_ONE_IN = 5

# Every schemathesis check runs (its default). The issue's own are spelled out, so that no
# future default or config file can turn them off.
CHECKS_CONFIG: dict[str, Any] = {
    "not_a_server_error": {"enabled": True},
    "status_code_conformance": {"enabled": True},
    "content_type_conformance": {"enabled": True},
    "response_schema_conformance": {"enabled": True},
    "response_headers_conformance": {"enabled": True},
    # A schema-valid request may still be refused because of the server's state, which a
    # JSON schema cannot describe: 400 for a `cursor` the server did not sign, 404 for a task
    # that does not exist, 409 for an email owned by another user, 412 for an If-Match that is
    # not the task's current ETag. 401/403: schemathesis's own defaults.
    # 410 for a sync token below what the service keeps (it expires, or is ahead of a
    # restored database): state, too.
    "positive_data_acceptance": {
        "expected-statuses": ["2xx", "3xx", 400, 401, 403, 404, 409, 410, 412, 429]
    },
}


class TaskPool:
    """A few tasks of the caller, created through the API and re-created when deleted."""

    def __init__(self, base_url: str, caller: ApiUser) -> None:
        self.caller = caller
        self.http = httpx.Client(base_url=base_url, headers=caller.headers, timeout=30)
        self.ids: list[int] = []

    def fill(self) -> None:
        while len(self.ids) < POOL_SIZE:
            response = self.http.post(self.caller.tasks_url, json={"title": "pooled task"})
            assert response.status_code == 201, response.text
            self.ids.append(response.json()["id"])

    def forget(self, task_id: int | None = None) -> None:
        """`task_id` was deleted (None: all of them, with the user); make new ones."""
        self.ids = [] if task_id is None else [i for i in self.ids if i != task_id]
        self.fill()

    def pick(self, generated: object) -> int | None:
        """A pooled id for half of the generated values (deterministically), else None."""
        slot = _spread(generated, 2 * POOL_SIZE)
        return self.ids[slot] if slot < len(self.ids) else None

    def close(self) -> None:
        self.http.close()


def _spread(value: object, buckets: int) -> int:
    """A stable bucket for a generated value: the same input always lands in the same one."""
    return zlib.crc32(repr(value).encode()) % buckets


def _label(case: ApiCase) -> str:
    """The documented operation, e.g. `GET /api/users/me` (also for a probe sent as OPTIONS)."""
    return f"{case.operation.method.upper()} {case.operation.path}"


def _valid_task_id(value: object) -> bool:
    try:
        return 1 <= int(str(value)) <= 2_147_483_647
    except ValueError:
        return False


def _valid_user_id(value: object) -> bool:
    return isinstance(value, str) and 0 < len(value) <= 255


@pytest.fixture
def caller() -> ApiUser:
    return make_user(email=CALLER_EMAIL, sub=CALLER_SUB)


@pytest.fixture
def server(settings: Settings, committed_url: URL) -> Iterator[LiveServer]:
    with LiveServer(create_app(settings, database_url=committed_url)) as live:
        yield live


@pytest.fixture
def pool(server: LiveServer, caller: ApiUser) -> Iterator[TaskPool]:
    pool = TaskPool(server.url, caller)
    pool.fill()
    yield pool
    pool.close()


@pytest.fixture
def statuses() -> dict[str, list[int]]:
    """Every status each operation answered, for the reach check at the end."""
    return defaultdict(list)


@pytest.fixture
def failed_operations() -> set[str]:
    return set()


@pytest.fixture
def api_schema(
    server: LiveServer,
    caller: ApiUser,
    pool: TaskPool,
    statuses: dict[str, list[int]],
    failed_operations: set[str],
) -> Iterator[BaseSchema]:
    config = SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            "generation": {
                "max-examples": MAX_EXAMPLES,
                "deterministic": True,
                "database": "none",
            },
            # The bearer scheme of the document (BearerJWT), filled with a valid token.
            "auth": {"openapi": {"BearerJWT": {"bearer": caller.token}}},
            "checks": CHECKS_CONFIG,
        }
    )
    schema = schemathesis.openapi.from_url(server.url + "/openapi.json", config=config)

    # map_case runs in every phase (examples, coverage, fuzzing). Values that are invalid for
    # the parameter's schema are left alone: they test the 422s.
    def map_case(context: HookContext, case: ApiCase) -> ApiCase:
        if case.headers:
            # The framing headers are the HTTP client's to write, not the caller's: a
            # malformed one (Content-Length: "#>u@") is refused by uvicorn's parser, before
            # the app, with a bare 400 that no API document describes.
            for name in [n for n in case.headers if n.lower() in FRAMING_HEADERS]:
                del case.headers[name]
            # An Idempotency-Key is one per write, which a schema cannot say: every generated
            # key becomes a unique valid one, so that two generated requests never share one
            # (a 422 by design, tests/api/test_idempotency.py) and every write runs through
            # the key's claim and record. Malformed keys are the bad-input catalogue's rows
            # (schemathesis's coverage phase sends values such as `0` as schema-valid).
            for name in [n for n in case.headers if n.lower() == "idempotency-key"]:
                case.headers[name] = f'"{uuid.uuid4()}"'
        params = dict(case.path_parameters or {})
        if not params:
            return case
        user_id = params.get("user_id")
        if _valid_user_id(user_id) and _spread(user_id, OTHER_USER_ONE_IN) != 0:
            params["user_id"] = caller.sub
        task_id = params.get("task_id")
        if task_id is not None and _valid_task_id(task_id):
            pooled = pool.pick(task_id)
            if pooled is not None:
                params["task_id"] = pooled
        case.path_parameters = params
        return case

    def after_call(context: HookContext, case: ApiCase, response: Response) -> None:
        statuses[_label(case)].append(response.status_code)
        if case.method == "DELETE" and response.status_code == 204:
            if "task_id" in (case.path_parameters or {}):
                pool.forget(int(str(case.path_parameters["task_id"])))
            else:  # DELETE /api/users/me took the caller's tasks with it
                pool.forget()

    schema.hook(map_case)
    schema.hook(after_call)
    yield schema

    # The run must have reached the handlers, not stopped at 401/403/404/422 everywhere:
    # every operation that found no failure answered at least one 2xx.
    documented = [
        f"{method.upper()} {path}"
        for path, item in schema.raw_schema["paths"].items()
        if path != LIVE_EVENTS
        for method in item
        if method in {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
    ]
    unreached = [
        (op, sorted(set(statuses[op])))
        for op in documented
        if op not in failed_operations and not any(200 <= s < 300 for s in statuses[op])
    ]
    assert not unreached, f"operations that never answered a 2xx: {unreached}"


# A live-update stream never ends (text/event-stream), which a request/response check cannot
# read to its end: left out. Its refusals are tests/api/routes/test_events.py's, its stream
# tests/events/test_live_updates.py's (with a broker, which this suite does not start).
schema = schemathesis.pytest.from_fixture("api_schema").exclude(path=LIVE_EVENTS)


@schema.parametrize()
def test_api_honours_its_openapi_document(case: ApiCase, failed_operations: set[str]) -> None:
    try:
        case.call_and_validate()
    except BaseException:
        failed_operations.add(_label(case))
        raise
