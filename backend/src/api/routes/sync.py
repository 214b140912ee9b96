"""Incremental sync for offline-first clients (docs/sync.md): everything that changed since a
token, deletions included, page by page."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from src.api import sync_actions
from src.api.deps import CursorCodecDep, TaskAccess
from src.api.problems import responses
from src.models import SYNC_PAGE, SyncPage, SyncQuery
from src.repositories.sync import SyncRepository

router = APIRouter(
    prefix="/api/{user_id}/sync",
    tags=["sync"],
    responses=responses(400, 401, 403, 410, 422, 429, 503),
)


@router.get(
    "",
    response_model=SyncPage,
    summary="The caller's changes since a token: tasks in full, deletions as tombstones",
)
async def sync(
    request: Request,
    access: TaskAccess,
    codec: CursorCodecDep,
    query: Annotated[SyncQuery, Query()],
) -> Response:
    repository = SyncRepository(access.tasks.session)
    days = request.app.state.settings.sync_tombstone_days
    page = await sync_actions.sync_page(repository, codec, access.user_id, query, days)
    return Response(SYNC_PAGE.dump_json(page), media_type="application/json")
