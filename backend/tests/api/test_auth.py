"""Authentication and authorization on every route: 401 before anything, 403 for another
user's path, and non-UUID subjects (Better Auth's default ids)."""

import time
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlmodel import Session

from src.models import User
from tests.support.api_users import ApiUser, create_task, hs256_token, make_user
from tests.support.jwt_issuer import unsigned_token

# (method, path under the user's tasks URL or absolute, json body)
ROUTES = [
    ("GET", "{tasks}", None),
    ("POST", "{tasks}", {"title": "x"}),
    ("GET", "{tasks}/1", None),
    ("PUT", "{tasks}/1", {"title": "x"}),
    ("PATCH", "{tasks}/1", {"title": "x"}),
    ("PATCH", "{tasks}/1/complete", None),
    ("DELETE", "{tasks}/1", None),
    ("GET", "/api/users/me", None),
    ("DELETE", "/api/users/me", None),
]
USER_PATH_ROUTES = [r for r in ROUTES if "{tasks}" in r[1]]


def _call(
    client: TestClient, route: tuple[str, str, object], tasks_url: str, headers: dict[str, str]
) -> object:
    method, path, body = route
    return client.request(method, path.format(tasks=tasks_url), json=body, headers=headers)


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r[0]} {r[1]}")
@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "Bearer",
        "Bearer ",
        "Basic YWxpY2U6cHc=",
        "Bearer not-a-jwt",
        "Bearer "
        + hs256_token(secret="another-secret-entirely-0123456789", sub="s", email="e@x.io"),
        "Bearer " + hs256_token(ttl=-3600, sub=str(uuid.uuid4()), email="e@x.io"),
        "Bearer " + hs256_token(sub=str(uuid.uuid4()), email="e@x.io", nbf=int(time.time()) + 3600),
        "Bearer " + unsigned_token({"sub": str(uuid.uuid4()), "exp": int(time.time()) + 600}),
        "Bearer " + hs256_token(email="e@x.io"),
        "Bearer " + hs256_token(sub=str(uuid.uuid4()), email="e@x.io", exp=None),
        "Bearer " + hs256_token(sub=str(uuid.uuid4()), email="e@x.io")[:-10],
    ],
    ids=[
        "none",
        "bearer-empty",
        "bearer-space",
        "basic",
        "garbage",
        "other-secret",
        "expired",
        "not-yet-valid",
        "alg-none",
        "no-sub",
        "no-exp",
        "truncated",
    ],
)
def test_bad_credentials_are_a_401_with_a_challenge(
    client: TestClient, session: Session, route: tuple[str, str, object], authorization: str | None
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    response = _call(client, route, f"/api/{uuid.uuid4()}/tasks", headers)

    assert response.status_code == 401  # type: ignore[attr-defined]
    assert response.headers["www-authenticate"].startswith("Bearer")  # type: ignore[attr-defined]
    assert response.headers["content-type"] == "application/problem+json"  # type: ignore[attr-defined]
    assert session.scalar(select(func.count()).select_from(User)) == 0  # nothing provisioned


@pytest.mark.parametrize("route", USER_PATH_ROUTES, ids=lambda r: f"{r[0]} {r[1]}")
def test_another_users_path_is_a_403_before_any_sql(
    client: TestClient,
    session: Session,
    alice: ApiUser,
    bob: ApiUser,
    route: tuple[str, str, object],
) -> None:
    response = _call(client, route, bob.tasks_url, alice.headers)

    assert response.status_code == 403  # type: ignore[attr-defined]
    assert session.scalar(select(func.count()).select_from(User)) == 0


def test_a_non_uuid_subject_maps_to_a_stable_uuid(client: TestClient) -> None:
    better_auth_user = make_user(sub="Xk3mB2LqYp9RzTn4", email="ba@example.com")
    expected = uuid.uuid5(uuid.NAMESPACE_URL, "#Xk3mB2LqYp9RzTn4")

    by_sub = client.post(
        f"/api/{better_auth_user.sub}/tasks", json={"title": "a"}, headers=better_auth_user.headers
    )
    by_uuid = client.get(f"/api/{expected}/tasks", headers=better_auth_user.headers)
    by_upper_uuid = client.get(
        f"/api/{str(expected).upper()}/tasks", headers=better_auth_user.headers
    )

    assert by_sub.status_code == 201
    assert by_sub.json()["user_id"] == str(expected)
    assert by_uuid.status_code == 200
    assert [t["id"] for t in by_uuid.json()] == [by_sub.json()["id"]]
    assert by_upper_uuid.status_code == 200
    me = client.get("/api/users/me", headers=better_auth_user.headers).json()
    assert me["id"] == str(expected)


def test_a_uuid_subject_is_the_user_id(client: TestClient, alice: ApiUser) -> None:
    task = create_task(client, alice)
    assert task["user_id"] == alice.sub


def test_email_changes_follow_the_token(client: TestClient, session: Session) -> None:
    sub = str(uuid.uuid4())
    first = {"Authorization": "Bearer " + hs256_token(sub=sub, email="old@example.com")}
    second = {"Authorization": "Bearer " + hs256_token(sub=sub, email="new@example.com")}

    assert client.get("/api/users/me", headers=first).json()["email"] == "old@example.com"
    assert client.get("/api/users/me", headers=second).json()["email"] == "new@example.com"


def test_an_email_owned_by_another_user_is_a_409(client: TestClient, alice: ApiUser) -> None:
    client.get("/api/users/me", headers=alice.headers)
    impostor = make_user(email=alice.email)

    response = client.get("/api/users/me", headers=impostor.headers)

    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert "email" in response.json()["detail"]


def test_a_token_without_email_cannot_create_the_user(client: TestClient, alice: ApiUser) -> None:
    no_email = {"Authorization": "Bearer " + hs256_token(sub=alice.sub)}
    assert client.get("/api/users/me", headers=no_email).status_code == 401
    # Once the user exists, the email claim is no longer needed.
    client.get("/api/users/me", headers=alice.headers)
    assert client.get("/api/users/me", headers=no_email).status_code == 200


@pytest.mark.parametrize(
    "email", ["nul\u0000@example.com", "lone\ud800@example.com", "x" * 250 + "@e.com"]
)
def test_an_unstorable_email_claim_is_a_401_not_a_500(client: TestClient, email: str) -> None:
    token = hs256_token(sub=str(uuid.uuid4()), email=email)
    response = client.get("/api/users/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert "email" in response.json()["detail"]
