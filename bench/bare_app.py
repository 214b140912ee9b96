"""The API (src.main:app) plus GET /bench/bare, for the benchmark's floor and price list.

bench/run.py serves this module with scripts/serve (APP=bare_app:app); nothing else does, so
the route never exists in a deployment. /bench/bare is the same app's cheapest possible
async endpoint: the same server, event loop, HTTP parser and middleware, no dependency, no
database, a constant JSON object.

BENCH_WITHOUT (comma-separated, see PIECES) switches pieces of the per-request work off, one
at a time, so that the benchmark can price each (docs/performance.md, "Price list").
"""

import os

from src.api import middleware
from src.db.session import DbSessionMiddleware
from src.main import app

# The middleware class each piece is; metrics are a call inside RequestEdgeMiddleware.
# getattr: `bench/run.py --repo <older checkout>` serves this module over code from before
# the edge middleware (2026-12-05); there BENCH_WITHOUT is refused (it has nothing to switch).
PIECES = {
    "edge": getattr(middleware, "RequestEdgeMiddleware", None),
    "db-session": DbSessionMiddleware,
    "metrics": None,
}

without = {name for name in os.environ.get("BENCH_WITHOUT", "").split(",") if name}
if unknown := without - PIECES.keys():
    raise SystemExit(f"BENCH_WITHOUT: unknown {sorted(unknown)}; known: {sorted(PIECES)}")
if without and PIECES["edge"] is None:
    raise SystemExit("BENCH_WITHOUT: this checkout predates the pieces it names")
removed = {PIECES[name] for name in without}
# The stack is built from this list at the first request: before it, the list is the config.
app.user_middleware = [entry for entry in app.user_middleware if entry.cls not in removed]
if "metrics" in without:
    middleware.observe_request = lambda *_: None  # type: ignore[assignment]


async def bare() -> dict[str, str]:
    return {"service": "task-api", "status": "ok"}


app.add_api_route("/bench/bare", bare, methods=["GET"], include_in_schema=False)
# Routes are matched in order: put this one first, so the floor does not pay for the others.
app.router.routes.insert(0, app.router.routes.pop())
