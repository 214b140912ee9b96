"""The app under test, wired to the per-test rolled-back connection."""

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr

from src.core.settings import Settings
from src.db.session import DbSession
from src.main import create_app
from tests.support.api_users import TEST_SECRET, ApiUser, make_user
from tests.support.db import TestDb


@pytest.fixture
def settings() -> Settings:
    return Settings(
        _env_file=None,
        app_env="test",
        jwt_secret=SecretStr(TEST_SECRET),
        cursor_secret=SecretStr("cursor-secret-for-the-suite-only-0123456789"),
        cors_origins=["https://app.example.com"],
    )


def use_test_db(app: FastAPI, db: TestDb) -> FastAPI:
    """Serve `app`'s requests on the test's connection: a session per request, as in
    production (DbSessionMiddleware finishes it), whose transaction is a savepoint in the
    test's own."""
    app.state.session_factory = lambda: DbSession(connection=db.connection)
    return app


@pytest.fixture
def app(settings: Settings, db: TestDb) -> FastAPI:
    return use_test_db(create_app(settings), db)


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def alice() -> ApiUser:
    return make_user(email="alice@example.com")


@pytest.fixture
def bob() -> ApiUser:
    return make_user(email="bob@example.com")
