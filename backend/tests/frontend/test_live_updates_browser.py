"""Live updates in headless Chromium: a page signed in with a real Better Auth reads
GET /api/{user_id}/events with fetch() (EventSource cannot send a bearer token), and sees the
task it creates arrive as a Server-Sent Event, across origins (CORS), with the relay and a
real NATS JetStream server behind the API (integration tier)."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import URL

from src.core.settings import Settings
from src.main import create_app
from tests.events.test_relay_live import RelayProcess
from tests.support.better_auth import BetterAuth
from tests.support.browser import chromium
from tests.support.databases import Databases
from tests.support.live_server import LiveServer
from tests.support.nats_server import NatsServer

pytestmark = pytest.mark.integration

WAIT = 60.0  # seconds: a bound against hangs
WATCH = """
const [api, email, done] = arguments;
watchLiveUpdates(api, email).then(done, (error) => done({error: String(error)}));
"""


@pytest.fixture
def served(
    databases: Databases, migrated_template: URL, tmp_path: Path
) -> Iterator[tuple[BetterAuth, str]]:
    """Better Auth (the page's origin), and the API on another origin with a relay and a
    broker; the relay has created the stream before the page opens one."""
    url = databases.create(template=migrated_template)
    with (
        BetterAuth(databases.create()) as better_auth,
        NatsServer(tmp_path / "jetstream") as broker,
    ):
        relay = RelayProcess(url, broker)
        broker.wait_for_stream("TASK_EVENTS")
        settings = Settings(
            _env_file=None,
            app_env="test",
            cursor_secret="cursor-secret-for-the-suite-only-0123456789",
            cors_origins=[better_auth.url],
            jwt_jwks_url=better_auth.jwks_url,
            jwt_issuer=better_auth.url,
            jwt_audience=better_auth.url,
            better_auth_url=better_auth.url,
            nats_url=broker.url,
        )
        try:
            with LiveServer(create_app(settings, database_url=url)) as api:
                yield better_auth, api.url
        finally:
            relay.stop()


def test_a_page_sees_the_task_it_creates_arrive_on_its_live_stream(
    served: tuple[BetterAuth, str],
) -> None:
    better_auth, api = served
    with chromium() as page:
        page.set_script_timeout(WAIT)
        page.get(better_auth.url + "/")
        result: dict[str, Any] = page.execute_async_script(WATCH, api, "live@example.com")

    assert "error" not in result, result
    assert result["status"] == 200
    assert result["contentType"].startswith("text/event-stream")
    [received] = result["events"]
    assert received["event"]["type"] == "com.taskapi.task.created"
    assert received["event"]["data"]["task_data"] == result["created"]
    print(f"\nChromium read its live stream: event {received['id']}, {received['event']['type']}")
