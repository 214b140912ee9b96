"""Authentication and authorization on every route: 401 before anything, 403 for another
user's path, and non-UUID subjects (Better Auth's default ids)."""

import time
import uuid

import pytest
from fastapi.testclient import TestClient

from tests.support.api_users import ApiUser, Response, create_task, hs256_token, make_user
from tests.support.db import TestDb
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
) -> Response:
    method, path, body = route
    response: Response = client.request(
        method, path.format(tasks=tasks_url), json=body, headers=headers
    )
    return response


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
    client: TestClient, db: TestDb, route: tuple[str, str, object], authorization: str | None
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    response = _call(client, route, f"/api/{uuid.uuid4()}/tasks", headers)

    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.headers["content-type"] == "application/problem+json"
    assert db.scalar("SELECT count(*) FROM users") == 0  # nothing provisioned


@pytest.mark.parametrize("route", USER_PATH_ROUTES, ids=lambda r: f"{r[0]} {r[1]}")
def test_another_users_path_is_a_403_before_any_sql(
    client: TestClient,
    db: TestDb,
    alice: ApiUser,
    bob: ApiUser,
    route: tuple[str, str, object],
) -> None:
    response = _call(client, route, bob.tasks_url, alice.headers)

    assert response.status_code == 403
    assert db.scalar("SELECT count(*) FROM users") == 0


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


def _email_of(db: TestDb, user: ApiUser) -> str | None:
    email: str | None = db.scalar("SELECT email FROM users WHERE id = %s", (user.user_id,))
    return email


def _bearer(sub: str, email: str | None) -> dict[str, str]:
    return {"Authorization": "Bearer " + hs256_token(sub=sub, email=email)}


def test_email_changes_follow_the_token(client: TestClient, db: TestDb) -> None:
    user = make_user(email="old@example.com")
    new = _bearer(user.sub, "new@example.com")

    assert client.get("/api/users/me", headers=user.headers).json()["email"] == "old@example.com"
    assert client.get("/api/users/me", headers=new).json()["email"] == "new@example.com"
    assert _email_of(db, user) == "new@example.com"


def test_task_routes_leave_the_email_alone_and_users_me_applies_it(
    client: TestClient, db: TestDb
) -> None:
    user = make_user(email="old@example.com")
    task = create_task(client, user)  # the first POST provisions with the token's email
    new = _bearer(user.sub, "new@example.com")

    assert client.get(user.tasks_url, headers=new).status_code == 200
    assert client.get(user.task_url(task["id"]), headers=new).status_code == 200
    assert (
        client.patch(user.task_url(task["id"]), json={"title": "y"}, headers=new).status_code == 200
    )
    assert _email_of(db, user) == "old@example.com"  # task routes never touch the users row

    assert client.get("/api/users/me", headers=new).json()["email"] == "new@example.com"
    assert _email_of(db, user) == "new@example.com"


def test_a_first_post_after_delete_me_provisions_the_new_email(
    client: TestClient, db: TestDb, alice: ApiUser
) -> None:
    # The user was deleted (DELETE /users/me), then comes back with another email.
    client.get("/api/users/me", headers=alice.headers)
    assert client.delete("/api/users/me", headers=alice.headers).status_code == 204
    changed = _bearer(alice.sub, "alice.new@example.com")

    assert client.post(alice.tasks_url, json={"title": "x"}, headers=changed).status_code == 201
    assert _email_of(db, alice) == "alice.new@example.com"


# The routes that provision the caller (create the users row or bring its email up to date).
PROVISIONING = [
    ("GET", "/api/users/me", None),
    ("DELETE", "/api/users/me", None),
    ("POST", "{tasks}", {"title": "x"}),
]


@pytest.mark.parametrize("route", PROVISIONING, ids=lambda r: f"{r[0]} {r[1]}")
def test_an_email_owned_by_another_user_is_a_409(
    client: TestClient, db: TestDb, alice: ApiUser, route: tuple[str, str, object]
) -> None:
    client.get("/api/users/me", headers=alice.headers)
    impostor = make_user(email=alice.email)

    response = _call(client, route, impostor.tasks_url, impostor.headers)

    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert "email" in response.json()["detail"]
    assert db.fetch_all("SELECT id, email FROM users") == [
        {"id": alice.user_id, "email": alice.email}
    ]
    assert db.scalar("SELECT count(*) FROM tasks") == 0


@pytest.mark.parametrize("route", PROVISIONING, ids=lambda r: f"{r[0]} {r[1]}")
def test_taking_another_users_email_later_is_a_409_on_users_me_and_ignored_by_post(
    client: TestClient, db: TestDb, alice: ApiUser, bob: ApiUser, route: tuple[str, str, object]
) -> None:
    for user in (alice, bob):
        client.get("/api/users/me", headers=user.headers)
    bob_as_alice = _bearer(bob.sub, alice.email)

    # POST provisions only a caller without a row: bob has one, so his task is created
    # and his email is left as it was; /users/me applies the change, and refuses it.
    response = _call(client, route, bob.tasks_url, bob_as_alice)

    expected = 201 if route[0] == "POST" else 409
    assert response.status_code == expected, response.text
    assert _email_of(db, alice) == alice.email
    assert _email_of(db, bob) == bob.email


def test_a_token_without_email_cannot_create_the_user(client: TestClient, alice: ApiUser) -> None:
    no_email = _bearer(alice.sub, None)
    assert client.get("/api/users/me", headers=no_email).status_code == 401
    assert client.delete("/api/users/me", headers=no_email).status_code == 401
    # Once the user exists, the email claim is no longer needed.
    client.get("/api/users/me", headers=alice.headers)
    assert client.get("/api/users/me", headers=no_email).status_code == 200
    created = client.post(alice.tasks_url, json={"title": "x"}, headers=no_email)
    assert created.status_code == 201


@pytest.mark.parametrize(
    "email", ["nul\u0000@example.com", "lone\ud800@example.com", "x" * 250 + "@e.com"]
)
@pytest.mark.parametrize("route", PROVISIONING, ids=lambda r: f"{r[0]} {r[1]}")
def test_an_unstorable_email_claim_is_a_401_not_a_500(
    client: TestClient, db: TestDb, email: str, route: tuple[str, str, object]
) -> None:
    sub = str(uuid.uuid4())
    response = _call(client, route, f"/api/{sub}/tasks", _bearer(sub, email))
    assert response.status_code == 401
    assert "email" in response.json()["detail"]
    assert db.scalar("SELECT count(*) FROM users") == 0
