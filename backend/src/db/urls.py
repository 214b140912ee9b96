"""Parsing and masking of database URLs.

Accepts `postgresql://`, the Heroku-style `postgres://` and `postgresql+psycopg2://`; every
query parameter (`sslmode=require`, `options=...`) is passed through to the driver untouched.
"""

from typing import Any

from psycopg.conninfo import make_conninfo
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

_ACCEPTED_SCHEMES = {"postgresql", "postgres", "postgresql+psycopg2"}


class InvalidDatabaseURLError(ValueError):
    pass


def normalize_database_url(raw: str) -> URL:
    """Return a SQLAlchemy URL for the psycopg2 driver, or raise InvalidDatabaseURLError.

    The error message never repeats the URL: it may hold a password.
    """
    try:
        url = make_url(raw.strip())
    except (ArgumentError, ValueError):  # ValueError: e.g. an unescaped '@' in the password
        raise InvalidDatabaseURLError(
            "DATABASE_URL is not a URL; expected postgresql://user:password@host:port/db "
            "(percent-encode '@', ':' and '/' in the password)"
        ) from None
    if url.drivername not in _ACCEPTED_SCHEMES:
        raise InvalidDatabaseURLError(
            f"DATABASE_URL scheme {url.drivername!r} is not supported; use postgresql://"
        )
    return url.set(drivername="postgresql+psycopg2")


def libpq_conninfo(url: URL) -> str:
    """The URL as a libpq (psycopg 3) connection string, with every query parameter.

    Built from the parsed parts as `key=value` pairs rather than by rendering the URL again:
    a rendered URL writes a space as `+`, which libpq reads as a plus sign
    (`options=-c%20statement_timeout%3D5000` would become `+statement_timeout`)."""
    parts: dict[str, Any] = {
        "host": url.host,
        "port": url.port,
        "dbname": url.database,
        "user": url.username,
        "password": url.password,
    }
    for key, value in url.query.items():
        parts[key] = (
            value if isinstance(value, str) else value[-1]
        )  # repeated: libpq keeps the last
    return make_conninfo(**{key: value for key, value in parts.items() if value is not None})


def mask(url: URL | str) -> str:
    """The URL as text with its password replaced by ***, safe for logs and errors."""
    if isinstance(url, str):
        try:
            url = make_url(url)
        except (ArgumentError, ValueError):
            return "<unparseable database URL>"
    return url.render_as_string(hide_password=True)
