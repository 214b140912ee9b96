"""One typed settings object, read from the environment and the repository's `.env`.

Every variable is documented in `.env.example`. `Settings` refuses values that are unsafe
in production (see `_refuse_unsafe_production_values`), so a misconfigured deploy fails at
start-up instead of serving with a guessable secret.
"""

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from dotenv import dotenv_values
from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[3]
# Settings files, the repository root's winning: the root's `.env` is what `make` and the
# README use; backend/.env is where the migration guide's users keep DATABASE_URL, since they
# run every alembic command from backend/. Each command says which one it used.
ENV_FILES = (REPO_ROOT / "backend" / ".env", REPO_ROOT / ".env")

# The placeholder shipped in .env.example; development may use it, production may not.
PLACEHOLDER_SECRET = "change-me-dev-only-secret-at-least-32-bytes"  # noqa: S105
MIN_SECRET_BYTES = 32
# The Next.js dev server, by both names a developer may open it with.
DEVELOPMENT_ORIGINS = ("http://localhost:3000", "http://127.0.0.1:3000")
_ORIGIN = re.compile(r"https?://[^/\s?#]+")
_BASE_URL = re.compile(r"https?://[^/\s?#]+(/[^\s?#]*)?")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=ENV_FILES,  # the later wins
        env_file_encoding="utf-8",
        extra="ignore",
        frozen=True,
        # A refused value (a database URL with its password) is never repeated in the error.
        hide_input_in_errors=True,
    )

    app_env: Literal["development", "test", "production"] = "development"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # json: one JSON object per line (for log shippers); console: readable. Default: console
    # in development, json elsewhere.
    log_format: Literal["json", "console"] | None = None

    # Requests whose body is larger are refused with 413 before it is read.
    max_body_bytes: int = Field(default=1_048_576, ge=1024)

    # Database. Unset: an embedded PostgreSQL (pgserver) keeps its data in EMBEDDED_PGDATA.
    database_url: SecretStr | None = None
    embedded_pgdata: Path = REPO_ROOT / ".pgdata"
    db_pool_size: int = Field(default=10, ge=1)
    db_max_overflow: int = Field(default=10, ge=0)
    db_pool_timeout_seconds: float = Field(default=5.0, gt=0)
    db_connect_timeout_seconds: int = Field(default=5, ge=1)
    db_application_name: str = "task-api"
    # Server-side limit per statement, so a slow query cannot hold a worker forever (0: none).
    db_statement_timeout_ms: int = Field(default=5000, ge=0)
    # Named prepared statements (psycopg prepares a query after its 5th use on a connection).
    # false behind a transaction-mode pooler that does not track them (pgbouncer < 1.21).
    db_prepared_statements: bool = True
    # A standby for reads (docs/ha.md): lists and reads of tasks and tags go there, except
    # for a caller whose own latest write it has not replayed yet (read-your-writes, tracked
    # in Redis: REDIS_URL is required). Unset: every statement goes to DATABASE_URL.
    database_read_url: SecretStr | None = None
    # How long a caller's write position is kept; also the largest replay lag at which the
    # standby still serves callers with no recent write.
    database_read_sticky_seconds: float = Field(default=60.0, ge=1, le=3600)

    # Per-user rate limit, counted in Redis so it holds across workers and machines.
    # Off unless RATE_LIMIT_PER_MINUTE is set; then REDIS_URL is required.
    rate_limit_per_minute: int | None = Field(default=None, ge=1)
    redis_url: str | None = None

    # Bearer tokens: a JWKS URL (asymmetric keys) and/or an HS256 shared secret.
    jwt_jwks_url: str | None = None
    jwt_secret: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("JWT_SECRET", "BETTER_AUTH_SECRET")
    )
    jwt_issuer: str | None = None
    jwt_audience: str | None = None
    jwt_leeway_seconds: int = Field(default=30, ge=0, le=300)
    jwt_jwks_cache_seconds: int = Field(default=300, ge=0)
    # An unknown `kid` refetches the key set at most once per this many seconds, so a flood
    # of tokens with made-up key ids cannot turn into a flood of requests to the issuer.
    jwt_jwks_min_refresh_seconds: float = Field(default=5.0, ge=0)

    # Better Auth's base URL (e.g. https://app.example.com): bearer tokens that are not JWTs
    # are then Better Auth session tokens, resolved through its /api/auth/get-session and
    # remembered for BETTER_AUTH_SESSION_CACHE_SECONDS (at most 60, never past the session's
    # expiry). Their user is mapped with JWT_ISSUER, or this URL's origin when that is unset
    # (the `iss` Better Auth's JWT plugin signs with), so both token kinds name one user.
    better_auth_url: str | None = None
    better_auth_session_cache_seconds: float = Field(default=60.0, ge=0, le=60)

    # Signs pagination cursors and sync tokens so that a client cannot forge, alter or reuse
    # another user's.
    cursor_secret: SecretStr = SecretStr(PLACEHOLDER_SECRET)

    # Idempotency-Key (docs/api.md): how long a key's stored response is replayed, and how
    # long a retry waits for the first request with its key to finish before a 409.
    idempotency_key_ttl_hours: int = Field(default=24, ge=1, le=720)
    idempotency_wait_seconds: float = Field(default=5.0, gt=0, le=60)
    # Incremental sync (docs/sync.md): how long deletions are kept as tombstones, which is
    # also the oldest sync token accepted (older: 410, sync in full).
    sync_tombstone_days: int = Field(default=30, ge=1, le=3650)

    # Task events (docs/events.md): the relay (make relay) publishes the outbox to NATS
    # JetStream, in batches, polling when it is empty. Events no relay published within
    # OUTBOX_RETENTION_DAYS are dropped by `make prune`, so an outbox without a relay cannot
    # grow without bound.
    nats_url: str = "nats://127.0.0.1:4222"
    events_stream: str = Field(default="TASK_EVENTS", pattern=r"^[A-Za-z0-9_-]{1,64}$")
    # How long JetStream remembers an event id to drop its republication (a relay that died
    # before deleting what it had published republishes it).
    events_duplicate_window_seconds: int = Field(default=600, ge=10, le=86_400)
    events_source: str = Field(default="/task-api", min_length=1)
    relay_batch_size: int = Field(default=200, ge=1, le=5000)
    relay_poll_seconds: float = Field(default=0.05, gt=0, le=60)
    relay_publish_timeout_seconds: float = Field(default=2.0, gt=0, le=60)
    outbox_retention_days: int = Field(default=7, ge=1, le=3650)
    # A reminder is published when its time comes, or as soon as a relay runs after it; one
    # more than this many hours late is stale and never sent (docs/events.md, "Reminders").
    reminder_grace_hours: int = Field(default=24, ge=1, le=720)
    # Live updates (GET /api/{user_id}/events): open streams a worker serves at most (then
    # 503), and the seconds between heartbeats of an idle stream (proxies close silent ones).
    sse_max_streams: int = Field(default=1000, ge=1, le=100_000)
    sse_heartbeat_seconds: float = Field(default=15.0, gt=0, le=300)

    # Browser origins allowed by CORS, exact (scheme://host[:port]): `localhost` and
    # `127.0.0.1` are two origins. Unset outside production: the Next.js dev server's two.
    cors_origins: Annotated[list[str], NoDecode] = []
    # Access-Control-Allow-Credentials: true, for frontends that fetch with
    # `credentials: "include"`. Unset: on unless CORS_ORIGINS is '*' (browsers refuse it
    # there). The API reads no cookie, so a credentialed request is granted nothing more.
    cors_allow_credentials: bool | None = None

    # Prometheus metrics at /metrics; protected by a bearer token when one is set.
    metrics_enabled: bool = True
    metrics_bearer_token: SecretStr | None = None

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @field_validator("cors_origins")
    @classmethod
    def _origins_are_origins(cls, origins: list[str]) -> list[str]:
        for origin in origins:
            if origin == "*":
                continue
            if not _ORIGIN.fullmatch(origin):
                raise ValueError(
                    f"CORS_ORIGINS: {origin!r} is not an origin; write scheme://host[:port], "
                    "without a path or a trailing slash (a browser sends exactly that)"
                )
            default_port = ":443" if origin.startswith("https:") else ":80"
            if origin != origin.lower() or origin.endswith(default_port):
                raise ValueError(
                    f"CORS_ORIGINS: {origin!r} is not written as a browser sends it: lower "
                    "case, without the default port (:443 for https, :80 for http)"
                )
        return origins

    @model_validator(mode="after")
    def _cors_defaults(self) -> "Settings":
        if "cors_origins" not in self.model_fields_set and self.app_env != "production":
            object.__setattr__(self, "cors_origins", list(DEVELOPMENT_ORIGINS))
        if self.cors_allow_credentials and "*" in self.cors_origins:
            raise ValueError(
                "CORS_ALLOW_CREDENTIALS=true needs an explicit CORS_ORIGINS list: browsers "
                "refuse credentials from '*'; name the frontend's origins"
            )
        return self

    @property
    def cors_credentials(self) -> bool:
        if self.cors_allow_credentials is not None:
            return self.cors_allow_credentials
        return "*" not in self.cors_origins

    @field_validator("embedded_pgdata")
    @classmethod
    def _relative_to_repository(cls, value: Path) -> Path:
        # A relative EMBEDDED_PGDATA means the same folder from backend/ (alembic) and the root.
        return value if value.is_absolute() else REPO_ROOT / value

    @field_validator("better_auth_url")
    @classmethod
    def _better_auth_url_is_http(cls, value: str | None) -> str | None:
        if value is not None and not _BASE_URL.fullmatch(value):
            raise ValueError(
                f"BETTER_AUTH_URL: {value!r} is not an http(s) URL such as https://app.example.com"
            )
        return value.rstrip("/") if value is not None else None

    @property
    def session_issuer(self) -> str | None:
        """The issuer that session tokens' users are mapped with (see better_auth_url)."""
        if self.better_auth_url is None:
            return None
        if self.jwt_issuer is not None:
            return self.jwt_issuer
        parts = urlsplit(self.better_auth_url)
        return f"{parts.scheme}://{parts.netloc}"

    @field_validator(
        "jwt_jwks_url", "jwt_issuer", "jwt_audience", "redis_url", "better_auth_url", mode="before"
    )
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator(
        "database_url",
        "database_read_url",
        "jwt_secret",
        "rate_limit_per_minute",
        "metrics_bearer_token",
        mode="before",
    )
    @classmethod
    def _empty_secret_is_unset(cls, value: object) -> object:
        return None if value == "" else value

    @model_validator(mode="after")
    def _rate_limit_needs_redis(self) -> "Settings":
        if self.rate_limit_per_minute is not None and self.redis_url is None:
            raise ValueError(
                "RATE_LIMIT_PER_MINUTE needs REDIS_URL: counters in process memory would not "
                "hold across worker processes"
            )
        if self.database_read_url is not None and self.redis_url is None:
            raise ValueError(
                "DATABASE_READ_URL needs REDIS_URL: where each caller's last write stands must "
                "be known to every worker process, or a caller could miss their own write"
            )
        return self

    @property
    def effective_log_format(self) -> str:
        if self.log_format is not None:
            return self.log_format
        return "console" if self.app_env == "development" else "json"

    @model_validator(mode="after")
    def _refuse_unsafe_production_values(self) -> "Settings":
        if self.app_env != "production":
            return self
        problems: list[str] = []
        if self.jwt_jwks_url is None and self.jwt_secret is None and self.better_auth_url is None:
            problems.append("no token key source: set JWT_JWKS_URL, JWT_SECRET or BETTER_AUTH_URL")
        if self.better_auth_url is not None and not _private_or_https(self.better_auth_url):
            problems.append(
                "BETTER_AUTH_URL must be https (session tokens are forwarded to it), "
                "except on localhost"
            )
        if self.jwt_secret is not None:
            problems += _secret_problems("JWT_SECRET", self.jwt_secret)
        problems += _secret_problems("CURSOR_SECRET", self.cursor_secret)
        if self.database_url is None:
            problems.append("DATABASE_URL is required (the embedded server is for development)")
        if "*" in self.cors_origins:
            problems.append("CORS_ORIGINS may not be '*'")
        if problems:
            raise ValueError("unsafe production settings: " + "; ".join(problems))
        return self

    @property
    def hs256_secret(self) -> str | None:
        """The HS256 secret; outside production the placeholder stands in, so `make token` works."""
        if self.jwt_secret is not None:
            return self.jwt_secret.get_secret_value()
        if self.app_env != "production" and self.jwt_jwks_url is None:
            return PLACEHOLDER_SECRET
        return None


def _private_or_https(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme == "https" or parts.hostname in ("localhost", "127.0.0.1", "::1")


def _secret_problems(name: str, secret: SecretStr) -> list[str]:
    value = secret.get_secret_value()
    if value == PLACEHOLDER_SECRET:
        return [f"{name} is the placeholder from .env.example"]
    if len(value.encode()) < MIN_SECRET_BYTES:
        return [f"{name} is shorter than {MIN_SECRET_BYTES} bytes"]
    return []


def database_url_source(settings: Settings) -> str:
    """Where the database URL of `settings` came from, for the line every command prints."""
    if settings.database_url is None:
        return f"the embedded server in {settings.embedded_pgdata} (DATABASE_URL is unset)"
    if os.environ.get("DATABASE_URL"):
        return "DATABASE_URL in the environment"
    for env_file in reversed(ENV_FILES):  # the one that wins first
        if env_file.is_file() and dotenv_values(env_file).get("DATABASE_URL"):
            return f"DATABASE_URL in {env_file}"
    return "DATABASE_URL"


@lru_cache
def get_settings() -> Settings:
    return Settings()
