"""scripts/serve, the production command, as a real multi-process server: metrics add up
across workers, and SIGTERM lets an in-flight request finish."""

import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import NullPool, create_engine, text
from sqlalchemy.engine import URL

from tests.support.api_users import make_user
from tests.support.databases import Databases
from tests.support.production_server import production_server

ROUTE = "/api/{user_id}/tasks"


@pytest.fixture
def served_database(databases: Databases, migrated_template: URL) -> Iterator[URL]:
    url = databases.create(template=migrated_template)
    yield url
    databases.drop(url)


def _created_count(metrics_text: str) -> float:
    for family in text_string_to_metric_families(metrics_text):
        for sample in family.samples:
            if sample.name == "taskapi_http_requests_total" and sample.labels == {
                "method": "POST",
                "route": ROUTE,
                "status": "201",
            }:
                return sample.value
    return 0.0


def _samples(metrics_text: str, name: str) -> list[float]:
    return [
        sample.value
        for family in text_string_to_metric_families(metrics_text)
        for sample in family.samples
        if sample.name == name
    ]


def test_metrics_add_up_across_worker_processes(served_database: URL, tmp_path: Path) -> None:
    user = make_user()
    with (
        production_server(
            served_database, workers=2, PROMETHEUS_MULTIPROC_DIR=str(tmp_path)
        ) as server,
        httpx.Client(base_url=server.url) as client,
    ):
        for i in range(40):
            # A new connection each time, so both workers get requests.
            response = httpx.post(
                server.url + user.tasks_url, json={"title": f"t{i}"}, headers=user.headers
            )
            assert response.status_code == 201
        scrapes = [client.get("/metrics") for _ in range(4)]

    assert all(s.status_code == 200 for s in scrapes)
    assert [_created_count(s.text) for s in scrapes] == [40.0] * 4
    writers = {path.name.split("_")[-1] for path in tmp_path.glob("counter_*.db")}
    assert len(writers) >= 2, "only one worker process served requests"
    # Every worker gave back each connection it took: the sum over live workers is 0.
    assert [_samples(s.text, "taskapi_db_pool_checked_out") for s in scrapes] == [[0.0]] * 4
    assert all(_samples(s.text, "taskapi_db_pool_connections")[0] > 0 for s in scrapes)
    assert "taskapi_http_request_duration_seconds_bucket" in scrapes[0].text


def test_sigterm_lets_the_in_flight_request_finish(served_database: URL) -> None:
    user = make_user()
    with production_server(served_database, workers=1, DB_STATEMENT_TIMEOUT_MS="0") as server:
        task = httpx.post(server.url + user.tasks_url, json={"title": "v1"}, headers=user.headers)
        task_id = task.json()["id"]
        lock_engine = create_engine(served_database, poolclass=NullPool)
        locker = lock_engine.connect()
        locker.begin()
        locker.execute(text("SELECT 1 FROM tasks WHERE id = :id FOR UPDATE"), {"id": task_id})

        result: dict[str, httpx.Response] = {}

        def update() -> None:
            result["put"] = httpx.put(
                f"{server.url}{user.tasks_url}/{task_id}",
                json={"title": "v2"},
                headers=user.headers,
                timeout=60,
            )

        in_flight = threading.Thread(target=update)
        in_flight.start()
        time.sleep(1.0)  # the PUT is now waiting on the row lock inside the server
        assert in_flight.is_alive()
        server.terminate()
        time.sleep(1.0)  # shutdown has begun: the server waits for the request
        assert server.process.poll() is None
        locker.rollback()
        locker.close()
        lock_engine.dispose()
        in_flight.join(timeout=30)
        exit_code = server.process.wait(timeout=30)

    assert result["put"].status_code == 200
    assert result["put"].json()["title"] == "v2"
    # uvicorn re-raises the signal it handled once shutdown is complete.
    assert exit_code in (0, -signal.SIGTERM)
