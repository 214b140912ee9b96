"""The settings the API tests run with: test environment, the suite's secrets."""

from typing import Any

from pydantic import SecretStr

from src.core.settings import Settings
from tests.support.api_users import TEST_SECRET


def suite_settings(**values: Any) -> Settings:
    return Settings(
        _env_file=None,
        app_env="test",
        jwt_secret=SecretStr(TEST_SECRET),
        cursor_secret=SecretStr("cursor-secret-for-the-suite-only-0123456789"),
        cors_origins=["https://app.example.com"],
        # No broker unless a test starts one (tests/support/nats_server.py): live updates
        # answer 503, whatever this machine runs on NATS's default port.
        **{"nats_url": "nats://127.0.0.1:1", **values},
    )
