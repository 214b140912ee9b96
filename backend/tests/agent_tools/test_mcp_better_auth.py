"""An agent of a Better Auth frontend: the tokens the frontend holds (the JWT its JWKS signs,
the session token, signed or raw) work on /mcp as on REST, for one and the same user, and a
signed-out session stops working (integration tier: a real Better Auth server)."""

from collections.abc import Iterator

import pytest
from mcp.shared.exceptions import MCPError
from sqlalchemy.engine import URL

from src.main import create_app
from tests.agent_tools.conftest import connect
from tests.agent_tools.test_mcp_server import ok
from tests.auth.test_better_auth import api_settings
from tests.support.better_auth import BetterAuth
from tests.support.databases import Databases
from tests.support.live_server import LiveServer

pytestmark = [pytest.mark.anyio, pytest.mark.integration]


@pytest.fixture(scope="module")
def better_auth(databases: Databases) -> Iterator[BetterAuth]:
    with BetterAuth(databases.create()) as server:
        yield server


async def test_every_better_auth_token_of_one_person_reaches_their_tasks(
    better_auth: BetterAuth, committed_url: URL
) -> None:
    ada = better_auth.sign_up("ada-agent@example.com")
    # Without the session cache, so that the sign-out takes effect at the next call.
    settings = api_settings(better_auth.url, better_auth_session_cache_seconds=0)
    app = create_app(settings, database_url=committed_url)
    with LiveServer(app) as server:
        async with connect(server, ada.jwt) as client:
            added = await ok(client, "add_task", title="from the JWT")
        for token in (ada.session_token, ada.raw_session_token):
            async with connect(server, token) as client:
                listed = await ok(client, "list_tasks")
                assert [task["id"] for task in listed["tasks"]] == [added["task_id"]]

        better_auth.sign_out(ada.session_token)
        statuses: list[int] = []
        with pytest.raises(ExceptionGroup) as failure:
            async with connect(server, ada.session_token, statuses=statuses) as client:
                await client.list_tools()
        assert failure.group_contains(MCPError)
        assert set(statuses) == {401}
