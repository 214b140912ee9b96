"""The caller's own user: read it, or delete it with all its tasks."""

from fastapi import APIRouter, Depends, Response, status

from src.api.deps import CurrentUser, UserRepo, enforce_rate_limit
from src.api.problems import responses
from src.models import UserPublic

router = APIRouter(
    prefix="/api/users",
    tags=["users"],
    dependencies=[Depends(enforce_rate_limit)],
    responses=responses(401, 409, 429, 503),
)


@router.get("/me", response_model=UserPublic, summary="The caller's user")
def read_me(user: CurrentUser) -> UserPublic:
    return UserPublic.model_validate(user)


@router.delete(
    "/me", status_code=status.HTTP_204_NO_CONTENT, summary="Delete the caller and all their tasks"
)
def delete_me(user: CurrentUser, users: UserRepo) -> Response:
    users.delete(user.id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
