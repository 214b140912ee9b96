"""What marking a page's timestamps UTC costs, in Python against in SQL.

50 rows shaped like a page of tasks (four `timestamp` columns, three of them set), fetched
with psycopg as the API fetches them (text format, dict rows):
- naive: as stored, nothing marked (the floor);
- python: naive, then each value `.replace(tzinfo=UTC)`, as src/repositories/tasks.py's
  in_utc and _rows.py's mark_utc do;
- sql: `AT TIME ZONE 'UTC'` in the query, parsed by psycopg's timestamptz loader.
Prints the best of 7 x 200 fetches, in µs, three times. Needs no table: the rows are made by
generate_series. Connects to DATABASE_URL (libpq form), default the local server.

    backend/.venv/bin/python bench/timestamps.py
"""

import os
import timeit
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row
from pydantic import TypeAdapter

URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
COLUMNS = ("created_at", "updated_at", "due_date", "remind_at")
# A page's timestamp columns, each `{zone}`d: '' as stored, or converted in the query.
PAGE = (
    "SELECT i AS id, 'title ' || i AS title, ts{zone} AS created_at, ts{zone} AS updated_at,"
    " ts{zone} AS due_date, NULL::timestamp{zone} AS remind_at"
    " FROM (SELECT i, now()::timestamp + i * interval '1 s' AS ts"
    " FROM generate_series(1, 50) AS i) AS s"
)
NAIVE = PAGE.format(zone="")
IN_SQL = PAGE.format(zone=" AT TIME ZONE 'UTC'")


def main() -> None:
    conn = psycopg.connect(URL.replace("postgresql+psycopg2://", "postgresql://"))
    conn.execute("SET TimeZone = 'UTC'")  # as the API's pool sets it

    def fetch(sql: str) -> list[dict[str, Any]]:
        with conn.cursor(row_factory=dict_row) as cursor:
            return cursor.execute(sql).fetchall()

    def naive() -> list[dict[str, Any]]:
        return fetch(NAIVE)

    def python() -> list[dict[str, Any]]:
        rows = fetch(NAIVE)
        for row in rows:
            for name in COLUMNS:
                if row[name] is not None:
                    row[name] = row[name].replace(tzinfo=UTC)
        return rows

    def sql() -> list[dict[str, Any]]:
        return fetch(IN_SQL)

    written = TypeAdapter(datetime).dump_json
    assert written(python()[0]["created_at"])[-2:] == written(sql()[0]["created_at"])[-2:] == b'Z"'
    ways: tuple[Callable[[], list[dict[str, Any]]], ...] = (naive, python, sql)
    for _ in range(3):
        best = {f.__name__: min(timeit.repeat(f, number=200, repeat=7)) / 200 * 1e6 for f in ways}
        print("  ".join(f"{name} {us:.0f} µs" for name, us in best.items()))


if __name__ == "__main__":
    main()
