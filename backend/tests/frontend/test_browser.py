"""A Next.js-style frontend with a real Better Auth, in headless Chromium (integration tier).

The page (tests/frontend/node/page.html) is served by the Better Auth server, on its origin,
as a Next.js app serves both; this API runs on another origin under uvicorn. In the browser,
the page signs a user up with Better Auth, then calls this API with `credentials: "include"`
and a bearer token, once with the JWT from /api/auth/token and once with the bearer plugin's
session token: who am I, create, list, complete, rename with the title alone (still
completed afterwards), toggle back, delete. A second user sees none of it. Every step's
status is asserted; the steps and their times are printed (pytest -s) for the record.
"""

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from selenium import webdriver
from sqlalchemy.engine import URL

from src.core.settings import Settings
from src.main import create_app
from tests.support.better_auth import BetterAuth
from tests.support.browser import chromium
from tests.support.databases import Databases
from tests.support.live_server import LiveServer

pytestmark = pytest.mark.integration

WAIT = 60.0  # seconds: a bound against hangs, never an expectation of speed
RUN = """
const [api, email, kind, done] = arguments;
runScenario(api, email, kind).then(done, (error) => done({error: String(error)}));
"""
OTHER_USER = """
const [api, email, kind, victim, done] = arguments;
otherUserReads(api, email, kind, victim).then(done, (error) => done({error: String(error)}));
"""


@pytest.fixture(scope="module")
def better_auth(databases: Databases) -> Iterator[BetterAuth]:
    with BetterAuth(databases.create()) as server:
        yield server


@pytest.fixture(scope="module")
def api(better_auth: BetterAuth, databases: Databases, migrated_template: URL) -> Iterator[str]:
    """The API as the frontend's docs configure it (docs/frontend.md), on its own origin."""
    settings = Settings(
        _env_file=None,
        app_env="test",
        cursor_secret="cursor-secret-for-the-suite-only-0123456789",
        cors_origins=[better_auth.url],  # the page's origin, exactly
        jwt_jwks_url=better_auth.jwks_url,
        jwt_issuer=better_auth.url,
        jwt_audience=better_auth.url,
        better_auth_url=better_auth.url,
    )
    url = databases.create(template=migrated_template)
    with LiveServer(create_app(settings, database_url=url)) as server:
        yield server.url


@pytest.fixture(scope="module")
def page(better_auth: BetterAuth) -> Iterator[webdriver.Chrome]:
    with chromium() as driver:
        driver.set_script_timeout(WAIT)
        driver.get(better_auth.url + "/")
        yield driver


def run(driver: webdriver.Chrome, script: str, *arguments: Any) -> dict[str, Any]:
    result: dict[str, Any] = driver.execute_async_script(script, *arguments)
    assert "error" not in result, result
    print()
    for step in result["steps"]:
        print(f"  {step['step']:<45} {step['status']}  {step['ms']:>4} ms")
    return result


def statuses(result: dict[str, Any]) -> dict[str, int]:
    return {step["step"]: step["status"] for step in result["steps"]}


def body(result: dict[str, Any], step: str) -> Any:
    [found] = [s for s in result["steps"] if s["step"] == step]
    return found["body"]


EXPECTED = {
    "sign up (Better Auth)": 200,
    "session (Better Auth /api/auth/get-session)": 200,
    "who am I": 200,
    "create": 201,
    "list": 200,
    "complete (toggle)": 200,
    "rename (PUT title only)": 200,
    "toggle back": 200,
    "create another": 201,
    "delete": 204,
    "list after delete": 200,
}


@pytest.mark.parametrize("kind", ["jwt", "session"])
def test_a_frontend_works_with_either_token_kind(
    page: webdriver.Chrome, api: str, kind: str
) -> None:
    result = run(page, RUN, api, f"{kind}-user@example.com", kind)

    expected = dict(EXPECTED)
    if kind == "jwt":
        expected["JWT (Better Auth /api/auth/token)"] = 200
    assert statuses(result) == expected
    if kind == "jwt":
        assert result["token"].count(".") == 2
    else:
        assert result["token"].count(".") == 1  # the bearer plugin's signed session token
    assert result["me"]["email"] == f"{kind}-user@example.com"
    created = body(result, "create")
    assert [t["id"] for t in body(result, "list")] == [created["id"]]
    assert body(result, "complete (toggle)")["is_completed"] is True
    renamed = body(result, "rename (PUT title only)")
    assert (renamed["title"], renamed["is_completed"]) == ("Buy oat milk", True)
    assert body(result, "toggle back")["is_completed"] is False
    assert body(result, "delete") is None
    assert [t["title"] for t in body(result, "list after delete")] == ["Keep me"]
    [listed] = [s for s in result["steps"] if s["step"] == "list after delete"]
    assert listed["total"] == "1"  # X-Total-Count is exposed to the page


def test_a_second_user_sees_none_of_the_first_users_tasks(page: webdriver.Chrome, api: str) -> None:
    first = run(page, RUN, api, "first@example.com", "session")
    second = run(page, OTHER_USER, api, "second@example.com", "jwt", first["userId"])

    assert second["victimStatus"] == 403
    assert [t["title"] for t in body(second, "list after delete")] == ["Keep me"]
    assert second["me"]["id"] != first["me"]["id"]


def test_the_preflight_grants_the_frontend_credentials(better_auth: BetterAuth, api: str) -> None:
    response = httpx.options(
        api + "/api/someone/tasks",
        headers={
            "Origin": better_auth.url,
            "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Headers": "authorization,content-type",
        },
    )
    print("\n" + "\n".join(f"  {k}: {v}" for k, v in response.headers.items()))

    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == better_auth.url
    assert response.headers["access-control-allow-credentials"] == "true"
    assert "PUT" in response.headers["access-control-allow-methods"]
