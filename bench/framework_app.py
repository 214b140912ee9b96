"""The framework's ceiling: a bare FastAPI app with one async route, GET /bench/bare.

bench/run.py serves it with the API's own serving command (scripts/serve, APP=framework_app:app:
the same uvicorn, workers, uvloop and httptools) and the same wrk script as the API's bare
endpoint (bench/bare_app.py). No middleware of ours, no database, no lifespan: what is left is
uvicorn, Starlette's routing and error middleware, FastAPI's endpoint call and its JSON
response. The distance from it to the API's bare endpoint is the price of our middleware.
"""

from fastapi import FastAPI

app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)


@app.get("/bench/bare")
async def bare() -> dict[str, str]:
    return {"service": "task-api", "status": "ok"}
