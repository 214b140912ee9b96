"""The app under test, wired to the per-test rolled-back connection."""

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from src.core.settings import Settings
from src.db.session import DbSession
from src.main import create_app
from tests.support.api_users import ApiUser, make_user
from tests.support.db import TestDb
from tests.support.settings import suite_settings


@pytest.fixture
def settings() -> Settings:
    return suite_settings()


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
