"""The API (src.main:app) plus GET /bench/bare, for the benchmark's framework floor.

bench/run.py serves this module with scripts/serve (APP=bare_app:app); nothing else does, so
the route never exists in a deployment. /bench/bare is the same app's cheapest possible
async endpoint: the same server, event loop, HTTP parser and middleware, no dependency, no
database, a constant JSON object. Every scenario is reported as a fraction of it.
"""

from src.main import app


async def bare() -> dict[str, str]:
    return {"service": "task-api", "status": "ok"}


app.add_api_route("/bench/bare", bare, methods=["GET"], include_in_schema=False)
# Routes are matched in order: put this one first, so the floor does not pay for the others.
app.router.routes.insert(0, app.router.routes.pop())
