"""GET /healthz (the process is alive) and GET /readyz (the database is reachable and its
schema is at the Alembic head this code expects), and the schema gate in front of the API:
while the database is behind the code, API requests get 503 and nothing is written.

Each schema state is a real database: a copy of the migrated template, downgraded by Alembic,
or an empty one that Alembic never touched. The database being unreachable is covered in
tests/api/test_database_faults.py.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, pool, text
from sqlalchemy.engine import URL

import src.db.schema_state
from src.core.settings import Settings
from src.main import create_app
from tests.migrations.helpers import SEED_DDL, execute
from tests.support.api_users import ApiUser, Response, make_user
from tests.support.databases import Databases, alembic_config

PROBLEM_JSON = "application/problem+json"
FIRST_REVISION = "001"
HEAD_REVISION = "013"  # the trigram indexes' pending lists capped


def head_revisions() -> list[str]:
    """The heads of the migrations folder, read by Alembic itself (not by src/)."""
    return sorted(ScriptDirectory.from_config(alembic_config()).get_heads())


def count_rows(engine: Engine, user: ApiUser) -> dict[str, int]:
    with engine.connect() as conn:
        users = conn.scalar(text("SELECT count(*) FROM users WHERE id = :id"), {"id": user.user_id})
        tasks = conn.scalar(
            text("SELECT count(*) FROM tasks WHERE user_id = :id"), {"id": user.user_id}
        )
    return {"users": int(users or 0), "tasks": int(tasks or 0)}


def assert_problem(response: Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    problem: dict[str, Any] = response.json()
    assert problem["status"] == status
    return problem


@pytest.fixture
def fresh_copy(databases: Databases, migrated_template: URL) -> Iterator[URL]:
    """A database of its own, at head, for a test that changes its schema."""
    url = databases.create(template=migrated_template)
    yield url
    databases.drop(url)


@pytest.fixture
def downgraded(fresh_copy: URL) -> URL:
    command.downgrade(alembic_config(fresh_copy), FIRST_REVISION)
    return fresh_copy


@pytest.fixture
def never_migrated(databases: Databases) -> Iterator[URL]:
    url = databases.create()
    yield url
    databases.drop(url)


def served(settings: Settings, url: URL) -> Iterator[tuple[TestClient, Engine]]:
    """The app on `url`, lifespan included (its own connection pool, as in production), and
    a SQLAlchemy engine of the test's own on the same database, for its assertions."""
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with TestClient(create_app(settings, database_url=url)) as client:
            yield client, engine
    finally:
        engine.dispose()


@pytest.fixture
def at_head(settings: Settings, committed_url: URL) -> Iterator[TestClient]:
    with TestClient(create_app(settings, database_url=committed_url)) as client:
        yield client


@pytest.fixture
def behind_head(settings: Settings, downgraded: URL) -> Iterator[tuple[TestClient, Engine]]:
    yield from served(settings, downgraded)


@pytest.fixture
def without_alembic(settings: Settings, never_migrated: URL) -> Iterator[tuple[TestClient, Engine]]:
    yield from served(settings, never_migrated)


@pytest.fixture
def stamped_past_its_objects(
    settings: Settings, never_migrated: URL
) -> Iterator[tuple[TestClient, Engine]]:
    """The guide's troubleshooting advice as it used to end: the seed's tables made by hand,
    then `alembic stamp head` (alembic_version written as a stamp writes it)."""
    execute(never_migrated, SEED_DDL)
    execute(
        never_migrated,
        "CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY);"
        f"INSERT INTO alembic_version VALUES ('{HEAD_REVISION}')",
    )
    yield from served(settings, never_migrated)


@pytest.fixture
def ahead_of_the_code(settings: Settings, fresh_copy: URL) -> Iterator[tuple[TestClient, Engine]]:
    """A newer release's revision applied while this code serves."""
    execute(fresh_copy, "UPDATE alembic_version SET version_num = '999'")
    yield from served(settings, fresh_copy)


# --- /healthz ------------------------------------------------------------------------------


def test_healthz_answers_ok_without_a_token_or_a_database(settings: Settings) -> None:
    # No database and no lifespan (no pool): liveness says nothing about the database.
    client = TestClient(create_app(settings))

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"status": "ok"}


# --- /readyz -------------------------------------------------------------------------------


def test_readyz_is_200_with_the_head_revision_on_a_migrated_database(
    at_head: TestClient, committed_engine: Engine
) -> None:
    with committed_engine.connect() as conn:
        in_database = sorted(conn.scalars(text("SELECT version_num FROM alembic_version")))

    response = at_head.get("/readyz")  # no Authorization header

    assert response.status_code == 200, response.text
    assert response.json() == {"status": "ready", "revision": [HEAD_REVISION]}
    assert in_database == head_revisions() == [HEAD_REVISION]


def test_readyz_is_503_naming_the_revision_found_when_the_database_is_behind(
    behind_head: tuple[TestClient, Engine],
) -> None:
    client, _ = behind_head

    response = client.get("/readyz")

    problem = assert_problem(response, 503)
    assert problem["type"] == "urn:task-api:problem:schema-mismatch"
    assert problem["found"] == [FIRST_REVISION]
    assert problem["expected"] == head_revisions()
    assert FIRST_REVISION in problem["detail"]
    assert int(response.headers["retry-after"]) > 0


def test_readyz_is_503_with_nothing_found_when_alembic_never_ran(
    without_alembic: tuple[TestClient, Engine],
) -> None:
    client, _ = without_alembic

    response = client.get("/readyz")

    problem = assert_problem(response, 503)
    assert problem["type"] == "urn:task-api:problem:schema-mismatch"
    assert problem["found"] == []
    assert problem["expected"] == head_revisions()
    assert "alembic never ran" in problem["detail"]


# --- the schema gate in front of the API ---------------------------------------------------


def api_requests(user: ApiUser) -> list[tuple[str, str, dict[str, Any] | None]]:
    """Requests that would read or write (provisioning the caller, creating, deleting) if
    served; the gate stops them all, reads included."""
    return [
        ("GET", "/api/users/me", None),
        ("POST", user.tasks_url, {"title": "written through an unknown schema"}),
        ("GET", user.tasks_url, None),
        ("PUT", user.task_url(1), {"title": "replaced"}),
        ("DELETE", "/api/users/me", None),
        ("POST", "/mcp", _tool_call("add_task", {"title": "written through an unknown schema"})),
    ]


def _tool_call(tool: str, arguments: dict[str, Any]) -> dict[str, Any]:
    """An MCP agent's tools/call, as JSON-RPC."""
    params = {"name": tool, "arguments": arguments}
    return {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": params}


def test_readyz_names_what_a_database_stamped_past_its_objects_lacks(
    stamped_past_its_objects: tuple[TestClient, Engine],
) -> None:
    client, _ = stamped_past_its_objects

    response = client.get("/readyz")

    problem = assert_problem(response, 503)
    assert problem["type"] == "urn:task-api:problem:schema-mismatch"
    assert problem["found"] == [HEAD_REVISION]
    assert problem["missing"][:2] == ["set_updated_at()", "ix_tasks_user_id_created_at_id"]
    assert "task_counts" in problem["missing"]
    assert problem["detail"].startswith(
        f"database is stamped at revision {HEAD_REVISION} but lacks"
    )
    assert problem["detail"].endswith(
        "its objects are those of revision 001: run `alembic stamp 001 && alembic upgrade head` "
        "from backend/ (docs/migrations.md)"
    )


def test_readyz_tells_a_database_ahead_of_the_code_from_one_behind(
    ahead_of_the_code: tuple[TestClient, Engine], caplog: pytest.LogCaptureFixture
) -> None:
    client, _ = ahead_of_the_code

    problem = assert_problem(client.get("/readyz"), 503)

    assert problem["found"] == ["999"]
    assert problem["detail"] == (
        f"database schema is at revision 999, newer than this code (which needs {HEAD_REVISION}): "
        "a newer release migrated it; deploy that release here, or restart this process if it "
        "is already deployed"
    )
    assert "make migrate" not in problem["detail"]
    api = assert_problem(client.get("/api/users/me", headers=make_user().headers), 503)
    assert api["detail"] == problem["detail"]


def test_the_start_up_log_says_the_database_is_ahead(
    settings: Settings, fresh_copy: URL, caplog: pytest.LogCaptureFixture
) -> None:
    execute(fresh_copy, "UPDATE alembic_version SET version_num = '999'")
    with (
        caplog.at_level("WARNING", logger="src.main"),
        TestClient(create_app(settings, database_url=fresh_copy)),
    ):
        pass
    [warning] = [r.getMessage() for r in caplog.records if r.name == "src.main"]
    assert "newer than this code" in warning
    assert "make migrate" not in warning


@pytest.mark.parametrize(
    "database", ["behind_head", "without_alembic", "stamped_past_its_objects", "ahead_of_the_code"]
)
def test_api_answers_503_and_writes_nothing_until_the_schema_is_current(
    database: str, request: pytest.FixtureRequest
) -> None:
    client, engine = request.getfixturevalue(database)
    user = make_user()

    for method, url, body in api_requests(user):
        response = client.request(method, url, json=body, headers=user.headers)

        problem = assert_problem(response, 503)
        assert problem["type"] == "urn:task-api:problem:unavailable"
        advice = {
            "stamped_past_its_objects": "alembic stamp 001 && alembic upgrade head",
            "ahead_of_the_code": "restart this process",
        }
        assert advice.get(database, "make migrate") in problem["detail"], problem
        assert int(response.headers["retry-after"]) > 0, f"{method} {url}"

    if database != "without_alembic":  # the tables exist: they stayed empty
        assert count_rows(engine, user) == {"users": 0, "tasks": 0}
    else:
        with engine.connect() as conn:
            tables = conn.scalars(
                text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            ).all()
        assert tables == []


def test_api_serves_again_once_migrated_without_restarting(
    behind_head: tuple[TestClient, Engine], downgraded: URL, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, engine = behind_head
    user = make_user()
    # The gate remembers the schema status it read; first for longer than this test lasts...
    monkeypatch.setattr(src.db.schema_state, "RECHECK_SECONDS", 3600.0)
    assert_problem(client.get("/api/users/me", headers=user.headers), 503)

    command.upgrade(alembic_config(downgraded), "head")

    # ...so the API still answers from the status it read (503), while /readyz reads afresh.
    assert client.get("/readyz").json() == {"status": "ready", "revision": head_revisions()}
    assert_problem(client.get("/api/users/me", headers=user.headers), 503)
    assert count_rows(engine, user) == {"users": 0, "tasks": 0}

    # Once the gate re-reads the database, the same app serves the same requests.
    monkeypatch.setattr(src.db.schema_state, "RECHECK_SECONDS", 0.0)
    me = client.get("/api/users/me", headers=user.headers)
    created = client.post(user.tasks_url, json={"title": "after migrate"}, headers=user.headers)

    assert me.status_code == 200, me.text
    assert me.json()["id"] == str(user.user_id)
    assert created.status_code == 201, created.text
    assert count_rows(engine, user) == {"users": 1, "tasks": 1}
    listed = client.get(user.tasks_url, headers=user.headers)
    assert [task["title"] for task in listed.json()] == ["after migrate"]
