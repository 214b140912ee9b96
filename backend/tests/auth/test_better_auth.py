"""Better Auth session tokens (src/auth/better_auth.py).

The refusals that need no Better Auth run in the main tier, against a port where nothing
listens (a real refused connection). The rest run a real Better Auth server (integration
tier, tests/support/better_auth.py) and the API under uvicorn, called over HTTP.
"""

import logging
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import create_engine, pool, text
from sqlalchemy.engine import URL

from src.core.settings import Settings
from src.main import create_app
from tests.api.conftest import use_test_db
from tests.support.better_auth import BetterAuth, SignedUp
from tests.support.databases import Databases
from tests.support.db import TestDb
from tests.support.live_server import LiveServer
from tests.support.services import free_port

CURSOR_SECRET = SecretStr("cursor-secret-for-the-suite-only-0123456789")


def api_settings(better_auth_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "app_env": "test",
        "cursor_secret": CURSOR_SECRET,
        "better_auth_url": better_auth_url,
        "jwt_jwks_url": better_auth_url + "/api/auth/jwks",
        "jwt_issuer": better_auth_url,
        "jwt_audience": better_auth_url,
        **overrides,
    }
    return Settings(_env_file=None, **values)


def me(server: LiveServer, token: str) -> httpx.Response:
    return httpx.get(
        server.url + "/api/users/me", headers={"Authorization": f"Bearer {token}"}, timeout=30
    )


# --- without Better Auth (main tier) ---------------------------------------------------------


@pytest.fixture
def nowhere() -> str:
    return f"http://127.0.0.1:{free_port()}"  # nothing listens there


@pytest.fixture
def server_without_better_auth(nowhere: str, committed_url: URL) -> Iterator[LiveServer]:
    with LiveServer(create_app(api_settings(nowhere), database_url=committed_url)) as live:
        yield live


def test_better_auth_unreachable_is_a_503_not_a_401(
    server_without_better_auth: LiveServer, committed_url: URL
) -> None:
    response = me(server_without_better_auth, "hCSwrUlpoPxQSLgtZt5DZxAbL5BRynEQ")

    assert response.status_code == 503
    assert response.json()["detail"] == "the session service (Better Auth) is unavailable"
    assert "retry-after" in response.headers
    assert _users(committed_url) == 0


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        ("a" * 10_000, "token too large"),  # refused before Better Auth is asked (no 503)
        ("not<a>token", "malformed token"),
        ("tok%0d%0aX-Evil:%20yes\u00e9", "malformed token"),
    ],
)
def test_tokens_that_cannot_be_session_tokens_are_401_without_asking_better_auth(
    server_without_better_auth: LiveServer,
    committed_url: URL,
    caplog: pytest.LogCaptureFixture,
    token: str,
    reason: str,
) -> None:
    with caplog.at_level(logging.DEBUG):
        response = httpx.get(
            server_without_better_auth.url + "/api/users/me",
            headers={b"Authorization": f"Bearer {token}".encode()},
            timeout=30,
        )

    assert response.status_code == 401
    assert response.json()["detail"] == reason
    assert _users(committed_url) == 0
    assert not [r for r in caplog.records if token[:40] in r.getMessage()]


def test_without_better_auth_url_a_session_token_is_refused_with_the_setting_named(
    client_without_sessions: TestClient,
) -> None:
    response = client_without_sessions.get(
        "/api/users/me", headers={"Authorization": "Bearer hCSwrUlpoPxQSLgtZt5DZxAbL5BRynEQ"}
    )
    assert response.status_code == 401
    assert "BETTER_AUTH_URL" in response.json()["detail"]


@pytest.fixture
def client_without_sessions(db: TestDb) -> TestClient:
    settings = Settings(_env_file=None, app_env="test", cursor_secret=CURSOR_SECRET)
    return TestClient(use_test_db(create_app(settings), db))


def _users(url: URL) -> int:
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text("SELECT count(*) FROM users")).scalar_one())
    finally:
        engine.dispose()


# --- with a real Better Auth (integration tier) ----------------------------------------------


@pytest.fixture(scope="module")
def better_auth(databases: Databases) -> Iterator[BetterAuth]:
    with BetterAuth(databases.create()) as server:
        yield server


def serve(better_auth: BetterAuth, url: URL, **overrides: Any) -> LiveServer:
    return LiveServer(create_app(api_settings(better_auth.url, **overrides), database_url=url))


@pytest.mark.integration
def test_every_token_kind_of_one_person_is_one_user(
    better_auth: BetterAuth, committed_url: URL
) -> None:
    ada = better_auth.sign_up("ada@example.com")

    with serve(better_auth, committed_url) as server:
        tokens = (ada.jwt, ada.session_token, ada.raw_session_token)
        answers = [me(server, token) for token in tokens]

    assert [a.status_code for a in answers] == [200, 200, 200]
    bodies = [a.json() for a in answers]
    assert bodies[0] == bodies[1] == bodies[2]
    assert bodies[0]["email"] == "ada@example.com"
    assert _users(committed_url) == 1


@pytest.mark.integration
def test_an_unknown_or_signed_out_session_is_a_401(
    better_auth: BetterAuth, committed_url: URL
) -> None:
    bea = better_auth.sign_up("bea@example.com")

    with serve(better_auth, committed_url, better_auth_session_cache_seconds=0) as server:
        assert me(server, bea.session_token).status_code == 200
        better_auth.sign_out(bea.session_token)
        signed_out = me(server, bea.session_token)
        unknown = me(server, "hCSwrUlpoPxQSLgtZt5DZxAbL5BRynEQ")

    for response in (signed_out, unknown):
        assert response.status_code == 401
        assert response.json()["detail"] == "session unknown or expired"


@pytest.mark.integration
def test_a_resolved_session_is_remembered_while_better_auth_is_down(
    better_auth: BetterAuth, committed_url: URL
) -> None:
    cy = better_auth.sign_up("cy@example.com")

    with (
        serve(better_auth, committed_url) as remembering,
        serve(better_auth, committed_url, better_auth_session_cache_seconds=0) as asking,
    ):
        assert me(remembering, cy.session_token).status_code == 200
        assert me(asking, cy.session_token).status_code == 200
        better_auth.stop()
        try:
            assert me(remembering, cy.session_token).status_code == 200  # from memory
            assert me(asking, cy.session_token).status_code == 503  # asks, cannot tell
        finally:
            better_auth.start()
        assert me(asking, cy.session_token).status_code == 200


@pytest.mark.integration
def test_a_session_is_never_remembered_past_its_expiry(
    databases: Databases, committed_url: URL
) -> None:
    # Better Auth extends a session that nears its expiry when it is read; without that
    # (its `disableSessionRefresh`), the expiry it reports is the one that holds.
    with BetterAuth(databases.create(), session_refresh=False) as better_auth:
        dee = better_auth.sign_up("dee@example.com")
        _expire_in(better_auth, dee, seconds=1.5)

        with serve(better_auth, committed_url) as server:  # remembers for up to 60 s...
            assert me(server, dee.session_token).status_code == 200
            time.sleep(2.0)
            expired = me(server, dee.session_token)  # ...but not past expiresAt

    assert expired.status_code == 401
    assert expired.json()["detail"] == "session unknown or expired"


def _expire_in(better_auth: BetterAuth, user: SignedUp, seconds: float) -> None:
    engine = create_engine(better_auth.database_url, poolclass=pool.NullPool)
    try:
        with engine.begin() as connection:
            updated = connection.execute(
                text(
                    'UPDATE "session" SET "expiresAt" = now() + make_interval(secs => :s)'
                    ' WHERE "token" = :token'
                ),
                {"s": seconds, "token": user.raw_session_token},
            )
            assert updated.rowcount == 1
    finally:
        engine.dispose()


@pytest.mark.integration
def test_an_unknown_session_is_remembered_as_unknown(
    better_auth: BetterAuth, committed_url: URL
) -> None:
    with serve(better_auth, committed_url) as server:
        assert me(server, "UnknownSessionTokenUnknownSession1").status_code == 401
        better_auth.stop()
        try:  # not asked again: still 401, not 503
            again = me(server, "UnknownSessionTokenUnknownSession1")
            other = me(server, "AnotherUnknownTokenAnotherUnknown")
        finally:
            better_auth.start()
    assert again.status_code == 401
    assert again.json()["detail"] == "session unknown or expired"
    assert other.status_code == 503


@pytest.mark.integration
@pytest.mark.parametrize("exempt", [False, True], ids=["rate-limited", "get-session exempt"])
def test_better_auths_rate_limit_is_a_503_with_its_retry_after_unless_exempted(
    databases: Databases, committed_url: URL, exempt: bool
) -> None:
    """Better Auth's limiter (on in production) counts every lookup of this API against one
    client; docs/frontend.md exempts /get-session with `customRules`."""
    with BetterAuth(databases.create(), rate_limit=3, exempt_get_session=exempt) as better_auth:
        eve = better_auth.sign_up("eve@example.com")
        with serve(better_auth, committed_url) as server:
            answers = [me(server, f"UnknownSessionToken{n:016d}") for n in range(5)]
            remembered = me(server, eve.session_token)

    statuses = [a.status_code for a in answers]
    if exempt:
        assert statuses == [401] * 5
        assert remembered.status_code == 200
    else:
        # sign-up's own get-session calls are not counted here: the API's lookups are
        assert 503 in statuses
        refused = answers[statuses.index(503)]
        assert refused.json()["detail"] == "the session service (Better Auth) is unavailable"
        assert 1 <= int(refused.headers["retry-after"]) <= 60
