"""`python -m src.cli.token` (behind `make token`), run as a subprocess like a developer would."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import jwt

from src.auth import TokenVerifier
from tests.support.jwt_issuer import auth_settings

BACKEND_DIR = Path(__file__).resolve().parents[2]
SECRET = "a-test-secret-that-is-long-enough-for-hs256"


def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    # Every auth variable is set (empty means unset), so a developer's .env cannot leak in.
    auth_env = {
        "APP_ENV": "test",
        "JWT_SECRET": SECRET,
        "BETTER_AUTH_SECRET": "",
        "JWT_JWKS_URL": "",
        "JWT_ISSUER": "",
        "JWT_AUDIENCE": "",
    }
    return subprocess.run(
        [sys.executable, "-m", "src.cli.token", *args],
        cwd=BACKEND_DIR,
        env={**os.environ, **auth_env, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_prints_only_a_token_the_api_accepts() -> None:
    result = run_cli("--email", "ada@example.com")
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip()
    assert result.stdout == token + "\n"
    verified = TokenVerifier(auth_settings(jwt_secret=SECRET)).verify(token)
    expected_user = uuid.uuid5(uuid.NAMESPACE_URL, "mailto:ada@example.com")
    assert verified.user_id == expected_user
    assert verified.subject == str(expected_user)
    assert verified.email == "ada@example.com"
    payload = jwt.decode(token, SECRET, algorithms=["HS256"])
    assert payload["exp"] - payload["iat"] == 60 * 60


def test_the_same_email_is_always_the_same_user() -> None:
    first, second = (run_cli("--email", "ada@example.com").stdout.strip() for _ in range(2))
    verifier = TokenVerifier(auth_settings(jwt_secret=SECRET))
    assert verifier.verify(first).user_id == verifier.verify(second).user_id


def test_sub_minutes_issuer_and_audience() -> None:
    result = run_cli(
        "--email",
        "ada@example.com",
        "--sub",
        "Xy7pQ2",
        "--minutes",
        "5",
        JWT_ISSUER="https://idp.example",
        JWT_AUDIENCE="task-api",
    )
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip()
    settings = auth_settings(
        jwt_secret=SECRET, jwt_issuer="https://idp.example", jwt_audience="task-api"
    )
    verified = TokenVerifier(settings).verify(token)
    assert verified.subject == "Xy7pQ2"
    assert verified.issuer == "https://idp.example"
    payload = jwt.decode(token, SECRET, algorithms=["HS256"], audience="task-api")
    assert payload["exp"] - payload["iat"] == 5 * 60


def test_missing_email_is_an_error() -> None:
    result = run_cli()
    assert result.returncode != 0
    assert result.stdout == ""
    assert "--email" in result.stderr


def test_no_hs256_secret_is_an_error() -> None:
    result = run_cli(
        "--email", "ada@example.com", JWT_SECRET="", JWT_JWKS_URL="https://idp.example/jwks"
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert "no HS256 secret" in result.stderr
