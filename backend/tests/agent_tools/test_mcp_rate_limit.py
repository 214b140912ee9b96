"""Tool calls count against the caller's rate limit like REST requests, in a real Redis
(integration tier: make test-integration)."""

import httpx
import pytest
from mcp.shared.exceptions import MCPError
from sqlalchemy.engine import URL

from src.core.settings import Settings
from src.main import create_app
from tests.agent_tools.conftest import connect
from tests.support.api_users import make_user
from tests.support.live_server import LiveServer

pytestmark = [pytest.mark.integration, pytest.mark.anyio]

LIMIT = 6


async def test_tool_calls_and_requests_share_the_callers_limit(
    settings: Settings, committed_url: URL
) -> None:
    limited = settings.model_copy(
        update={"rate_limit_per_minute": LIMIT, "redis_url": "redis://127.0.0.1:6379/0"}
    )
    user, other = make_user(), make_user()
    with LiveServer(create_app(limited, database_url=committed_url)) as server:
        rest = httpx.Client(base_url=server.url)
        assert rest.get(user.tasks_url, headers=user.headers).status_code == 200

        statuses: list[int] = []

        async def call_until_refused() -> None:
            async with connect(server, user.token, statuses=statuses) as client:
                for _ in range(LIMIT):
                    await client.call_tool("list_tasks", {})

        with pytest.raises(ExceptionGroup) as failure:
            await call_until_refused()
        assert failure.group_contains(MCPError)
        # Every request of the session counted (the handshake's too), until the limit.
        assert statuses == [200] * (LIMIT - 1) + [429]

        refused = rest.get(user.tasks_url, headers=user.headers)
        assert refused.status_code == 429  # the tools spent the REST budget too
        assert 1 <= int(refused.headers["retry-after"]) <= 61
        assert rest.get(other.tasks_url, headers=other.headers).status_code == 200
