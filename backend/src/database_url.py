"""Parsing and masking of database URLs.

Accepts `postgresql://`, the Heroku-style `postgres://` and `postgresql+psycopg2://`; every
query parameter (`sslmode=require`, `options=...`) is passed through to the driver untouched.
"""

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


def mask(url: URL | str) -> str:
    """The URL as text with its password replaced by ***, safe for logs and errors."""
    if isinstance(url, str):
        try:
            url = make_url(url)
        except (ArgumentError, ValueError):
            return "<unparseable database URL>"
    return url.render_as_string(hide_password=True)
