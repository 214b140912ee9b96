"""Multi-host DATABASE_URLs for tests: a host where nothing listens, then a real database."""

from typing import Literal
from urllib.parse import quote

from psycopg.conninfo import conninfo_to_dict
from sqlalchemy.engine import URL

from src.db.urls import libpq_conninfo
from tests.support.services import free_port


def behind_a_dead_host(url: URL, form: Literal["authority", "query"]) -> str:
    """`url`'s database as the second of two hosts, in one of libpq's two forms, read-write:
    `postgresql://user@127.0.0.1:<closed>,<host>:<port>/db?target_session_attrs=read-write`
    or `postgresql://user@/db?host=127.0.0.1,<host>&port=<closed>,<port>&...`. The host may
    be a socket directory (percent-encoded)."""
    args = conninfo_to_dict(libpq_conninfo(url))
    dead = ("127.0.0.1", str(free_port()))
    live = (quote(str(args["host"]), safe=""), str(args.get("port", "5432")))
    user = f"{quote(url.username, safe='')}@" if url.username else ""
    if form == "authority":
        hosts = ",".join(f"{host}:{port}" for host, port in (dead, live))
        return f"postgresql://{user}{hosts}/{url.database}?target_session_attrs=read-write"
    return (
        f"postgresql://{user}/{url.database}?host={dead[0]},{live[0]}&port={dead[1]},{live[1]}"
        "&target_session_attrs=read-write"
    )
