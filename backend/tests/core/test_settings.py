"""Settings: secrets stay secret, aliases and lists parse, production refuses unsafe values."""

from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr, ValidationError

import src.core.settings
from src.core.settings import PLACEHOLDER_SECRET, REPO_ROOT, Settings, database_url_source

GOOD_SECRET = "k" * 32
DATABASE_URL = "postgresql://app:s3cr3t-pw@db.example:5432/tasks?sslmode=require"
PRODUCTION: dict[str, Any] = {
    "app_env": "production",
    "database_url": DATABASE_URL,
    "jwt_secret": GOOD_SECRET,
    "cursor_secret": "c" * 40,
    "cors_origins": "https://app.example",
}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's own environment must not leak into these tests."""
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.delenv("BETTER_AUTH_SECRET", raising=False)


def settings(**values: Any) -> Settings:
    return Settings(_env_file=None, **values)


def test_database_url_is_a_secret() -> None:
    configured = settings(database_url=DATABASE_URL)
    assert isinstance(configured.database_url, SecretStr)
    assert configured.database_url.get_secret_value() == DATABASE_URL
    assert "s3cr3t-pw" not in repr(configured)
    assert "s3cr3t-pw" not in str(configured)


def test_database_url_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", DATABASE_URL)
    assert settings().database_url == SecretStr(DATABASE_URL)
    monkeypatch.setenv("DATABASE_URL", "")
    assert settings().database_url is None  # empty means unset: the embedded server


def test_better_auth_secret_is_accepted_when_jwt_secret_is_unset(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BETTER_AUTH_SECRET", "from-better-auth" * 2)
    assert settings().hs256_secret == "from-better-auth" * 2


def test_jwt_secret_wins_over_better_auth_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BETTER_AUTH_SECRET", "from-better-auth" * 2)
    monkeypatch.setenv("JWT_SECRET", "from-jwt-secret!" * 2)
    assert settings().hs256_secret == "from-jwt-secret!" * 2


@pytest.mark.parametrize(
    ("raw", "origins"),
    [
        ("https://a.example, https://b.example", ["https://a.example", "https://b.example"]),
        ("https://a.example,,", ["https://a.example"]),
        ("", []),
    ],
)
def test_cors_origins_are_comma_separated(
    monkeypatch: pytest.MonkeyPatch, raw: str, origins: list[str]
) -> None:
    monkeypatch.setenv("CORS_ORIGINS", raw)
    assert settings().cors_origins == origins


def test_production_accepts_a_good_configuration() -> None:
    configured = settings(**PRODUCTION)
    assert configured.hs256_secret == GOOD_SECRET
    assert configured.cors_origins == ["https://app.example"]


def test_production_accepts_a_jwks_url_instead_of_a_secret() -> None:
    configured = settings(**{**PRODUCTION, "jwt_secret": None}, jwt_jwks_url="https://id/jwks")
    assert configured.hs256_secret is None  # no placeholder in production


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"jwt_secret": None}, "no token key source"),
        ({"jwt_secret": "k" * 31}, "JWT_SECRET is shorter than 32 bytes"),
        ({"jwt_secret": PLACEHOLDER_SECRET}, "JWT_SECRET is the placeholder"),
        ({"cursor_secret": PLACEHOLDER_SECRET}, "CURSOR_SECRET is the placeholder"),
        ({"cursor_secret": "short"}, "CURSOR_SECRET is shorter than 32 bytes"),
        ({"database_url": None}, "DATABASE_URL is required"),
        ({"cors_origins": "https://app.example,*"}, "CORS_ORIGINS may not be '*'"),
    ],
)
def test_production_refuses_unsafe_values(change: dict[str, Any], problem: str) -> None:
    with pytest.raises(ValidationError, match="unsafe production settings") as refused:
        settings(**{**PRODUCTION, **change})
    assert problem in str(refused.value)


def test_cursor_secret_defaults_to_the_placeholder_so_production_needs_one() -> None:
    values = {k: v for k, v in PRODUCTION.items() if k != "cursor_secret"}
    with pytest.raises(ValidationError, match="CURSOR_SECRET is the placeholder"):
        settings(**values)


def test_a_refused_production_configuration_does_not_print_secrets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("DATABASE_URL", "postgresql://app:hunter2@db/app")
    with pytest.raises(ValidationError, match="no token key source") as refused:
        settings()
    assert "hunter2" not in str(refused.value)


@pytest.mark.parametrize("app_env", ["development", "test"])
def test_hs256_secret_falls_back_to_the_placeholder_outside_production(app_env: str) -> None:
    assert settings(app_env=app_env).hs256_secret == PLACEHOLDER_SECRET
    assert settings(app_env=app_env, jwt_jwks_url="https://id/jwks").hs256_secret is None


def test_development_allows_the_nextjs_dev_origins_by_default() -> None:
    configured = settings()
    assert configured.cors_origins == ["http://localhost:3000", "http://127.0.0.1:3000"]
    assert configured.cors_credentials


def test_production_allows_no_origin_by_default() -> None:
    values = {k: v for k, v in PRODUCTION.items() if k != "cors_origins"}
    assert settings(**values).cors_origins == []


def test_an_empty_origin_list_allows_none_in_development() -> None:
    assert settings(cors_origins="").cors_origins == []


@pytest.mark.parametrize(
    "origin", ["http://localhost:3000/", "localhost:3000", "https://app.example/path", "null"]
)
def test_an_origin_with_a_path_or_without_a_scheme_is_refused(origin: str) -> None:
    with pytest.raises(ValidationError, match="is not an origin") as refused:
        settings(cors_origins=f"https://ok.example,{origin}")
    assert repr(origin) in str(refused.value)


def test_credentials_with_any_origin_are_refused_at_start_up() -> None:
    with pytest.raises(ValidationError, match="needs an explicit CORS_ORIGINS list"):
        settings(cors_origins="*", cors_allow_credentials="true")


def test_any_origin_without_the_credentials_setting_sends_no_credentials() -> None:
    assert not settings(cors_origins="*").cors_credentials


def test_credentials_can_be_switched_off() -> None:
    assert not settings(cors_allow_credentials="false").cors_credentials


def test_better_auth_url_maps_session_users_with_the_jwt_issuer_or_its_origin() -> None:
    assert settings().session_issuer is None
    configured = settings(better_auth_url="https://app.example/base/")
    assert configured.better_auth_url == "https://app.example/base"
    assert configured.session_issuer == "https://app.example"  # Better Auth's default `iss`
    issuer = settings(better_auth_url="https://app.example", jwt_issuer="https://id.example")
    assert issuer.session_issuer == "https://id.example"


@pytest.mark.parametrize("url", ["app.example", "ftp://app.example", "https://"])
def test_better_auth_url_must_be_an_http_url(url: str) -> None:
    with pytest.raises(ValidationError, match="BETTER_AUTH_URL"):
        settings(better_auth_url=url)


def test_backend_env_is_read_and_the_root_env_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert src.core.settings.ENV_FILES == (REPO_ROOT / "backend" / ".env", REPO_ROOT / ".env")
    backend_env, root_env = tmp_path / "backend.env", tmp_path / "root.env"
    monkeypatch.setattr(src.core.settings, "ENV_FILES", (backend_env, root_env))
    backend_env.write_text(
        "DATABASE_URL=postgresql://u:pw-backend@backend-db/tasks\nLOG_LEVEL=DEBUG\n"
    )

    only_backend = Settings(_env_file=(backend_env, root_env))
    assert only_backend.database_url == SecretStr("postgresql://u:pw-backend@backend-db/tasks")
    assert database_url_source(only_backend) == f"DATABASE_URL in {backend_env}"

    root_env.write_text("DATABASE_URL=postgresql://u:pw-root@root-db/tasks\n")
    both = Settings(_env_file=(backend_env, root_env))
    assert both.database_url == SecretStr("postgresql://u:pw-root@root-db/tasks")
    assert both.log_level == "DEBUG"  # what only backend/.env sets still counts
    assert database_url_source(both) == f"DATABASE_URL in {root_env}"

    monkeypatch.setenv("DATABASE_URL", "postgresql://u:pw-env@env-db/tasks")
    from_environment = Settings(_env_file=(backend_env, root_env))
    assert database_url_source(from_environment) == "DATABASE_URL in the environment"


def test_without_a_database_url_the_source_is_the_embedded_server() -> None:
    source = database_url_source(settings())
    assert source.startswith("the embedded server in ")
    assert source.endswith(".pgdata (DATABASE_URL is unset)")


@pytest.mark.parametrize(
    "origin", ["https://App.example", "https://app.example:443", "http://a:80"]
)
def test_an_origin_a_browser_never_sends_is_refused(origin: str) -> None:
    with pytest.raises(ValidationError, match="not written as a browser sends it"):
        settings(cors_origins=origin)


def test_an_origin_with_another_port_is_accepted() -> None:
    assert settings(cors_origins="https://app.example:8443,http://a:8080").cors_origins == [
        "https://app.example:8443",
        "http://a:8080",
    ]


def test_production_accepts_better_auth_session_tokens_as_the_only_key_source() -> None:
    values = {**PRODUCTION, "jwt_secret": None, "better_auth_url": "https://app.example"}
    assert settings(**values).better_auth_url == "https://app.example"


def test_production_refuses_a_plain_http_better_auth_url_off_localhost() -> None:
    with pytest.raises(ValidationError, match="BETTER_AUTH_URL must be https"):
        settings(**{**PRODUCTION, "better_auth_url": "http://auth.example"})
    local = settings(**{**PRODUCTION, "better_auth_url": "http://127.0.0.1:3000"})
    assert local.better_auth_url == "http://127.0.0.1:3000"


def test_a_read_url_needs_redis_for_read_your_writes() -> None:
    read_url = "postgresql://u@h1,h2/db?target_session_attrs=prefer-standby"
    with pytest.raises(ValidationError, match="DATABASE_READ_URL needs REDIS_URL"):
        settings(database_read_url=read_url)
    accepted = settings(database_read_url=read_url, redis_url="redis://127.0.0.1:6379/0")
    assert accepted.database_read_url is not None
    assert "h1,h2" not in repr(accepted)  # a secret, like DATABASE_URL
