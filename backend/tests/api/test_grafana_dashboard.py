"""docs/grafana-dashboard.json only charts metrics the service really exports."""

import json
import re

from fastapi.testclient import TestClient

from src.core.settings import REPO_ROOT


def test_every_charted_metric_is_exported(client: TestClient) -> None:
    dashboard = json.loads((REPO_ROOT / "docs" / "grafana-dashboard.json").read_text())
    expressions = [t["expr"] for p in dashboard["panels"] for t in p["targets"]]
    charted = {name for e in expressions for name in re.findall(r"taskapi_[a-z_]+", e)}
    client.get("/api/x/tasks")  # at least one request and one error, so every family has samples
    exported = set(re.findall(r"^(taskapi_[a-z_]+)", client.get("/metrics").text, re.MULTILINE))

    assert charted
    assert charted <= exported
