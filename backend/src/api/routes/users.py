"""The caller's own user: read it, or delete it with all its tasks.

Task routes never look the user up; this is where a changed `email` claim shows, since
reading the user provisions it (creates the row, or brings its email up to date).
"""

from fastapi import APIRouter, Response, status

from src.api.deps import CurrentUser
from src.api.idempotency import OPENAPI_PARAMETER as IDEMPOTENCY_HEADER
from src.api.problems import responses
from src.models import UserPublic

router = APIRouter(
    prefix="/api/users",
    tags=["users"],
    responses=responses(401, 409, 429, 503),
)


@router.get("/me", response_model=UserPublic, summary="The caller's user")
async def read_me(me: CurrentUser) -> UserPublic:
    return UserPublic.model_validate(me.user)


@router.delete(
    "/me",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete the caller and all their tasks",
    openapi_extra=IDEMPOTENCY_HEADER,
    responses=responses(422),
)
async def delete_me(me: CurrentUser) -> Response:
    await me.users.delete(me.user["id"])
    return Response(status_code=status.HTTP_204_NO_CONTENT)
