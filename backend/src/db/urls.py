"""Parsing and masking of database URLs.

Accepts `postgresql://`, the Heroku-style `postgres://` and `postgresql+psycopg2://`; every
query parameter (`sslmode=require`, `options=...`) is passed through to the driver untouched.
Several hosts, for a primary and its standbys, in either of libpq's two forms:
`postgresql://h1:5432,h2:5433/db?target_session_attrs=read-write` (what pg_auto_failover
prints) or `postgresql://@/db?host=h1,h2&port=5432,5433&...`; the first is rewritten into the
second, which SQLAlchemy, psycopg2, psycopg 3 and pg_dump all read.
"""

import re
from typing import Any
from urllib.parse import quote, unquote

from psycopg.conninfo import make_conninfo
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

_ACCEPTED_SCHEMES = {"postgresql", "postgres", "postgresql+psycopg2"}


class InvalidDatabaseURLError(ValueError):
    pass


# scheme://[userinfo@]host[:port],host[:port]...[/db][?query]: a comma among the hosts.
_MULTI_HOST = re.compile(
    r"^(?P<scheme>[^:/?#]+)://(?P<userinfo>[^/?#]*@)?(?P<hosts>[^@/?#]*,[^@/?#]*)"
    r"(?P<path>/[^?#]*)?(?:\?(?P<query>[^#]*))?$"
)
_HOST_PORT = re.compile(r"^(?P<host>\[[^\]]*\]|[^:]*)(?::(?P<port>[0-9]*))?$")


def _hosts_into_query(raw: str) -> str:
    """`scheme://user@h1:p1,h2:p2/db?q` as `scheme://user@/db?q&host=h1,h2&port=p1,p2`, which
    SQLAlchemy can parse (it reads one host from the authority, and libpq reads a list from
    the query); any other URL unchanged."""
    match = _MULTI_HOST.match(raw)
    if match is None:
        return raw
    hosts, ports = [], []
    for entry in match["hosts"].split(","):
        parts = _HOST_PORT.match(entry)
        if parts is None or not parts["host"]:
            raise InvalidDatabaseURLError(
                "DATABASE_URL lists several hosts, but one of them is not host or host:port"
            )
        hosts.append(quote(unquote(parts["host"].strip("[]")), safe=""))
        ports.append(parts["port"] or "")
    query = match["query"] or ""
    if re.search(r"(^|&)(host|port)=", query):
        raise InvalidDatabaseURLError(
            "DATABASE_URL names its hosts twice: list them before the database name or in "
            "?host=...&port=..., not both"
        )
    lists = f"host={','.join(hosts)}" + (f"&port={','.join(ports)}" if any(ports) else "")
    query = f"{query}&{lists}" if query else lists
    return f"{match['scheme']}://{match['userinfo'] or ''}{match['path'] or '/'}?{query}"


def normalize_database_url(raw: str) -> URL:
    """Return a SQLAlchemy URL for the psycopg2 driver, or raise InvalidDatabaseURLError.

    The error message never repeats the URL: it may hold a password.
    """
    try:
        url = make_url(_hosts_into_query(raw.strip()))
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
