"""The OpenAPI document: every route, every response (errors included), the bearer scheme."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from openapi_spec_validator import validate

from src.api.problems import BEARER_SCHEME
from src.db.schema_state import expected_revisions

EXPECTED_OPERATIONS = {
    ("get", "/api/{user_id}/tasks"),
    ("post", "/api/{user_id}/tasks"),
    ("get", "/api/{user_id}/tasks/{task_id}"),
    ("put", "/api/{user_id}/tasks/{task_id}"),
    ("patch", "/api/{user_id}/tasks/{task_id}"),
    ("patch", "/api/{user_id}/tasks/{task_id}/complete"),
    ("delete", "/api/{user_id}/tasks/{task_id}"),
    ("get", "/api/{user_id}/tags"),
    ("get", "/api/{user_id}/sync"),
    ("get", "/api/{user_id}/events"),
    ("get", "/api/users/me"),
    ("delete", "/api/users/me"),
}


@pytest.fixture
def spec(client: TestClient) -> dict[str, Any]:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def _operations(spec: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method, path): op
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if path.startswith("/api/")
    }


def test_is_a_valid_openapi_document(spec: dict[str, Any]) -> None:
    assert spec["openapi"].startswith("3.1")
    validate(spec)  # raises on any violation of the OpenAPI schema


def test_lists_every_route(spec: dict[str, Any]) -> None:
    assert set(_operations(spec)) == EXPECTED_OPERATIONS


def test_every_operation_requires_the_bearer_scheme(spec: dict[str, Any]) -> None:
    # Declared by src/api/problems.py (no HTTPBearer dependency): one scheme, named BearerJWT.
    assert BEARER_SCHEME == "BearerJWT"
    schemes = spec["components"]["securitySchemes"]
    assert set(schemes) == {"BearerJWT"}
    assert schemes["BearerJWT"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": schemes["BearerJWT"]["description"],
    }
    assert schemes["BearerJWT"]["description"]
    for key, op in _operations(spec).items():
        assert op["security"] == [{"BearerJWT": []}], key


def test_probes_need_no_token(spec: dict[str, Any]) -> None:
    for path in ("/healthz", "/readyz"):
        assert "security" not in spec["paths"][path]["get"], path
    assert "security" not in spec  # no global requirement either


def test_the_readiness_example_names_the_head_revision(spec: dict[str, Any]) -> None:
    example = spec["paths"]["/readyz"]["get"]["responses"]["200"]["content"]["application/json"]
    assert example["example"]["revision"] == sorted(expected_revisions())


def test_errors_are_documented_as_problem_json_with_examples(spec: dict[str, Any]) -> None:
    for key, op in _operations(spec).items():
        errors = {code: r for code, r in op["responses"].items() if code.startswith(("4", "5"))}
        assert "401" in errors, key
        if key[1].startswith("/api/{user_id}"):
            assert "422" in errors, key
        for code, response in errors.items():
            content = response["content"]
            assert set(content) == {"application/problem+json"}, (key, code)
            assert content["application/problem+json"]["example"]["status"] == int(code)
            assert "schema" in content["application/problem+json"], (key, code)


def test_task_routes_document_404_403_and_preconditions(spec: dict[str, Any]) -> None:
    ops = _operations(spec)
    for key, op in ops.items():
        if "{task_id}" in key[1]:
            assert "404" in op["responses"], key
        if key[1].startswith("/api/{user_id}"):
            assert "403" in op["responses"], key
    for method in ("put", "patch", "delete"):
        assert "412" in ops[(method, "/api/{user_id}/tasks/{task_id}")]["responses"]
    assert "304" in ops[("get", "/api/{user_id}/tasks/{task_id}")]["responses"]


def test_success_responses_document_their_headers(spec: dict[str, Any]) -> None:
    ops = _operations(spec)
    listing = ops[("get", "/api/{user_id}/tasks")]["responses"]["200"]
    assert {"Link", "X-Total-Count"} <= set(listing["headers"])
    created = ops[("post", "/api/{user_id}/tasks")]["responses"]["201"]
    assert {"Location", "ETag"} <= set(created["headers"])


def test_the_task_schema_has_every_field(spec: dict[str, Any]) -> None:
    task = spec["components"]["schemas"]["TaskPublic"]
    assert set(task["required"]) >= {"id", "user_id", "title", "created_at", "updated_at"}
    assert set(task["required"]) >= {"tags", "due_date", "remind_at", "next_occurrence_id"}
    assert set(task["properties"]) == {
        "id",
        "user_id",
        "title",
        "description",
        "is_completed",
        "priority",
        "tags",
        "due_date",
        "remind_at",
        "recurring_rule",
        "recurring_interval",
        "next_occurrence_id",
        "created_at",
        "updated_at",
    }
    assert task["properties"]["priority"]["enum"] == ["low", "medium", "high"]
    create = spec["components"]["schemas"]["TaskCreate"]
    assert create["additionalProperties"] is False
    assert create["properties"]["title"]["maxLength"] == 500


def test_patch_fields_that_refuse_null_do_not_advertise_it(spec: dict[str, Any]) -> None:
    update = spec["components"]["schemas"]["TaskUpdate"]["properties"]
    assert update["title"].get("type") == "string"
    assert update["is_completed"].get("type") == "boolean"
    assert {"type": "null"} in update["description"]["anyOf"]


def test_routes_with_a_body_document_400_413_415(spec: dict[str, Any]) -> None:
    for key, op in _operations(spec).items():
        if "requestBody" in op:
            assert {"400", "413", "415"} <= set(op["responses"]), key
