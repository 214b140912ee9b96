"""405 names every method the path serves, whichever route Starlette matched first."""

import pytest
from fastapi.testclient import TestClient

from tests.support.api_users import ApiUser


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/api/{sub}/tasks", "GET, POST"),
        ("/api/{sub}/tasks/1", "DELETE, GET, PATCH, PUT"),
        ("/api/{sub}/tasks/1/complete", "PATCH"),
        ("/api/users/me", "DELETE, GET"),
        ("/mcp", "POST"),
    ],
)
def test_allow_lists_every_method_of_the_path(
    client: TestClient, alice: ApiUser, path: str, allowed: str
) -> None:
    response = client.request("TRACE", path.format(sub=alice.sub), headers=alice.headers)
    assert response.status_code == 405
    assert response.headers["allow"] == allowed
    assert response.headers["content-type"] == "application/problem+json"
