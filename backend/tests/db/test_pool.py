"""The pool's connections: what every connection is set up with."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import URL

from src.main import create_app
from tests.support.api_users import make_user
from tests.support.databases import Databases, upgrade
from tests.support.settings import suite_settings


@pytest.fixture
def sql_ascii_database(databases: Databases) -> Iterator[URL]:
    """A database made by an initdb without a UTF-8 locale (pg_autoctl's nodes, by
    default): encoding SQL_ASCII, in which psycopg returns text as bytes unless told."""
    url = databases.create(encoding="SQL_ASCII")
    upgrade(url)
    yield url
    databases.drop(url)


def test_the_api_serves_a_sql_ascii_database(sql_ascii_database: URL) -> None:
    user = make_user()
    with TestClient(create_app(suite_settings(), database_url=sql_ascii_database)) as client:
        assert client.get("/readyz").status_code == 200  # the schema's revision read as text
        created = client.post(user.tasks_url, headers=user.headers, json={"title": "Café ☕"})
        assert created.status_code == 201, created.text
        read = client.get(user.task_url(created.json()["id"]), headers=user.headers)
    assert read.json()["title"] == "Café ☕"
