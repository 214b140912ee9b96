"""Liveness and readiness, for load balancers and orchestrators. No authentication."""

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from src.api.deps import SessionDep
from src.api.problems import problem_response
from src.db.schema_state import read_status
from src.repositories.schema import SchemaRepository

router = APIRouter(tags=["health"])

_READY_EXAMPLE = {"status": "ready", "revision": ["013"]}


@router.get("/healthz", summary="The process is alive")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="The database is reachable and its schema is at this code's Alembic head",
    responses={
        200: {"content": {"application/json": {"example": _READY_EXAMPLE}}},
        503: {"description": "Not ready: the database is unreachable or its schema differs"},
    },
)
async def readyz(session: SessionDep) -> Any:
    # An unreachable database raises here or in SessionDep: 503 "unavailable" (problems.py).
    status = await read_status(SchemaRepository(session))
    if not status.current:
        return problem_response(
            503,
            "schema-mismatch",
            "Service Unavailable",
            status.describe(),
            {"Retry-After": "30"},
            found=sorted(status.found),
            expected=sorted(status.expected),
            missing=[str(o) for o in status.missing],
        )
    return JSONResponse({"status": "ready", "revision": sorted(status.found)})
