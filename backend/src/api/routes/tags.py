"""The caller's tags, for a tag picker or a filter menu."""

from fastapi import APIRouter

from src.api.deps import TaskAccess
from src.api.problems import responses
from src.models import TagCount

router = APIRouter(
    prefix="/api/{user_id}/tags", tags=["tasks"], responses=responses(401, 403, 422, 429, 503)
)


@router.get(
    "",
    response_model=list[TagCount],
    summary="The caller's tags, each with how many of their tasks carry it, by tag",
)
async def list_tags(access: TaskAccess) -> list[dict[str, object]]:
    return await access.tasks.tags(access.user_id)
