"""Better Auth's default set-up through the HTTP layer: EdDSA tokens checked against a JWKS
served by a real local issuer, with iss/aud enforced, non-UUID subjects and a key rotation."""

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from src.main import create_app
from tests.api.conftest import use_test_db
from tests.support.db import TestDb
from tests.support.jwt_issuer import LocalIssuer, auth_settings, claims, hs256_token


@pytest.fixture
def issuer() -> Iterator[LocalIssuer]:
    with LocalIssuer() as issuer:
        yield issuer


@pytest.fixture
def jwks_client(issuer: LocalIssuer, db: TestDb) -> TestClient:
    settings = auth_settings(
        jwt_jwks_url=issuer.jwks_url, jwt_issuer=issuer.url, jwt_audience=issuer.url
    )
    app: FastAPI = use_test_db(create_app(settings), db)
    return TestClient(app, raise_server_exceptions=False)


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _token(issuer: LocalIssuer, sub: str = "ba_user_8HqL2x") -> str:
    return issuer.mint(claims(sub, iss=issuer.url, aud=issuer.url, email=f"{sub}@example.com"))


def test_an_eddsa_token_from_the_jwks_works_on_the_raw_sub_path(
    jwks_client: TestClient, issuer: LocalIssuer
) -> None:
    sub = "ba_user_8HqL2x"
    created = jwks_client.post(
        f"/api/{sub}/tasks", json={"title": "from Better Auth"}, headers=_bearer(_token(issuer))
    )
    assert created.status_code == 201, created.text
    expected_id = uuid.uuid5(uuid.NAMESPACE_URL, f"{issuer.url}#{sub}")
    assert created.json()["user_id"] == str(expected_id)
    listed = jwks_client.get(f"/api/{expected_id}/tasks", headers=_bearer(_token(issuer)))
    assert [t["id"] for t in listed.json()] == [created.json()["id"]]


def test_key_rotation_is_picked_up_without_a_restart(
    jwks_client: TestClient, issuer: LocalIssuer
) -> None:
    assert jwks_client.get("/api/users/me", headers=_bearer(_token(issuer))).status_code == 200
    fetches = issuer.fetch_count

    issuer.rotate(remove_old=True)
    rotated = _token(issuer)

    assert jwks_client.get("/api/users/me", headers=_bearer(rotated)).status_code == 200
    assert issuer.fetch_count == fetches + 1


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"iss": "https://evil.example"}, "issuer"),
        ({"aud": "https://other-app.example"}, "audience"),
        ({"exp": None}, "exp"),
    ],
)
def test_wrong_issuer_audience_or_no_exp_is_a_401(
    jwks_client: TestClient, issuer: LocalIssuer, overrides: dict[str, Any], reason: str
) -> None:
    token = issuer.mint(claims("ba_user_x", **{"iss": issuer.url, "aud": issuer.url, **overrides}))
    response = jwks_client.get("/api/users/me", headers=_bearer(token))
    assert response.status_code == 401
    assert reason in response.json()["detail"]


def test_hs256_is_refused_when_keys_are_asymmetric(
    jwks_client: TestClient, issuer: LocalIssuer
) -> None:
    forged = hs256_token(
        b"any-secret-an-attacker-might-try-0123456789",
        **claims("ba_user_x", iss=issuer.url, aud=issuer.url, email="x@example.com"),
    )
    response = jwks_client.get("/api/users/me", headers=_bearer(forged))
    assert response.status_code == 401
    assert response.json()["detail"] == "algorithm not allowed"


def test_unreachable_keys_are_a_503_not_a_401(jwks_client: TestClient, issuer: LocalIssuer) -> None:
    with issuer.down():
        response = jwks_client.get("/api/users/me", headers=_bearer(_token(issuer)))
    assert response.status_code == 503
    assert response.headers["retry-after"].isdigit()
