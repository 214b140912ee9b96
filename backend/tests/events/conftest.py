"""The app on the test's rolled-back connection (as in tests/api), for the outbox's tests."""

from tests.api.conftest import alice, app, client, settings

__all__ = ["alice", "app", "client", "settings"]
