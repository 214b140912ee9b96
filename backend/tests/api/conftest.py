"""The app under test, wired to the per-test rolled-back session."""

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlmodel import Session

from src.db import get_session
from src.main import create_app
from src.settings import Settings
from tests.support.api_users import TEST_SECRET, ApiUser, make_user


@pytest.fixture
def settings() -> Settings:
    return Settings(
        _env_file=None,
        app_env="test",
        jwt_secret=SecretStr(TEST_SECRET),
        cursor_secret=SecretStr("cursor-secret-for-the-suite-only-0123456789"),
        cors_origins=["https://app.example.com"],
    )


@pytest.fixture
def app(settings: Settings, session: Session) -> FastAPI:
    app = create_app(settings)

    def test_session() -> Iterator[Session]:
        yield session

    app.dependency_overrides[get_session] = test_session
    return app


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def alice() -> ApiUser:
    return make_user(email="alice@example.com")


@pytest.fixture
def bob() -> ApiUser:
    return make_user(email="bob@example.com")
