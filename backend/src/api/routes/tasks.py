"""The caller's tasks. Routes parse, authorize (PathUser), call the repository and set headers."""

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header, Path, Query, Request, Response, status

from src.api.deps import (
    CursorCodecDep,
    PathUser,
    TaskRepo,
    enforce_rate_limit,
    reject_duplicate_query_params,
    require_json_body,
)
from src.api.problems import body_errors, responses
from src.etags import etag_of, if_none_match_hits, parse_if_match
from src.models import (
    Task,
    TaskCompletion,
    TaskCreate,
    TaskListQuery,
    TaskPublic,
    TaskReplace,
    TaskUpdate,
)
from src.pagination import Position, sort_column
from src.repositories import TaskFilter

router = APIRouter(
    prefix="/api/{user_id}/tasks",
    tags=["tasks"],
    dependencies=[
        Depends(require_json_body),
        Depends(reject_duplicate_query_params),
        Depends(enforce_rate_limit),
    ],
    responses=responses(401, 403, 409, 422, 429, 503),
)

TaskId = Annotated[int, Path(ge=1, le=2_147_483_647, description="The task's id")]
IfMatch = Annotated[
    str | None,
    Header(description="Apply only if the task still has this ETag; 412 otherwise"),
]

_LIST_HEADERS = {
    "Link": {
        "description": 'The next page, as `<url>; rel="next"` (absent on the last page)',
        "schema": {"type": "string"},
    },
    "X-Total-Count": {
        "description": "How many tasks match the filters, on all pages",
        "schema": {"type": "integer"},
    },
}
_ETAG = {
    "ETag": {
        "description": "The task's version, for If-Match / If-None-Match",
        "schema": {"type": "string"},
    }
}


def _with_etag(response: Response, task: Task) -> Task:
    response.headers["ETag"] = etag_of(task)
    return task


@router.get(
    "",
    response_model=list[TaskPublic],
    summary="List the caller's tasks",
    responses={200: {"headers": _LIST_HEADERS}, **responses(400)},
)
def list_tasks(
    request: Request,
    response: Response,
    user: PathUser,
    tasks: TaskRepo,
    codec: CursorCodecDep,
    query: Annotated[TaskListQuery, Query()],
) -> list[Task]:
    after = None if query.cursor is None else codec.decode(query.cursor, user.id, query.sort)
    filters = TaskFilter(completed=query.completed, q=query.q)
    page = tasks.list_page(user.id, filters, query.sort, query.limit + 1, after)
    if len(page) > query.limit:
        page = page[: query.limit]
        last = page[-1]
        assert last.id is not None
        position = Position(key=getattr(last, sort_column(query.sort)[0]), task_id=last.id)
        cursor = codec.encode(user.id, query.sort, position)
        response.headers["Link"] = (
            f'<{request.url.include_query_params(cursor=cursor)}>; rel="next"'
        )
    response.headers["X-Total-Count"] = str(tasks.count(user.id, filters))
    return page


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=TaskPublic,
    summary="Create a task",
    responses={
        **body_errors(),
        201: {
            "headers": {
                **_ETAG,
                "Location": {"description": "The new task's URL", "schema": {"type": "string"}},
            }
        },
    },
)
def create_task(
    body: TaskCreate, request: Request, response: Response, user: PathUser, tasks: TaskRepo
) -> Task:
    task = tasks.create(user.id, body)
    response.headers["Location"] = str(
        request.url_for("read_task", user_id=request.path_params["user_id"], task_id=task.id)
    )
    return _with_etag(response, task)


@router.get(
    "/{task_id}",
    response_model=TaskPublic,
    summary="Read a task",
    responses={
        200: {"headers": _ETAG},
        304: {"description": "Not Modified (If-None-Match)"},
        **responses(404),
    },
)
def read_task(
    task_id: TaskId,
    response: Response,
    user: PathUser,
    tasks: TaskRepo,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Any:
    task = tasks.get(user.id, task_id)
    tag = etag_of(task)
    if if_none_match_hits(if_none_match, tag):
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers={"ETag": tag})
    return _with_etag(response, task)


@router.put(
    "/{task_id}",
    response_model=TaskPublic,
    summary="Replace a task's title, description and completion",
    responses={200: {"headers": _ETAG}, **responses(404, 412), **body_errors()},
)
def replace_task(
    task_id: TaskId,
    body: TaskReplace,
    response: Response,
    user: PathUser,
    tasks: TaskRepo,
    if_match: IfMatch = None,
) -> Task:
    task = tasks.update(user.id, task_id, body.model_dump(), parse_if_match(if_match, task_id))
    return _with_etag(response, task)


@router.patch(
    "/{task_id}",
    response_model=TaskPublic,
    summary="Change some of a task's fields (JSON merge patch)",
    responses={200: {"headers": _ETAG}, **responses(404, 412), **body_errors()},
)
def update_task(
    task_id: TaskId,
    body: TaskUpdate,
    response: Response,
    user: PathUser,
    tasks: TaskRepo,
    if_match: IfMatch = None,
) -> Task:
    task = tasks.update(user.id, task_id, body.changes(), parse_if_match(if_match, task_id))
    return _with_etag(response, task)


@router.patch(
    "/{task_id}/complete",
    response_model=TaskPublic,
    summary="Toggle completion (no body), or set it",
    responses={200: {"headers": _ETAG}, **responses(404, 412), **body_errors()},
)
def complete_task(
    task_id: TaskId,
    response: Response,
    user: PathUser,
    tasks: TaskRepo,
    body: Annotated[TaskCompletion | None, Body()] = None,
    if_match: IfMatch = None,
) -> Task:
    versions = parse_if_match(if_match, task_id)
    if body is None:
        task = tasks.toggle_completed(user.id, task_id, versions)
    else:
        task = tasks.update(user.id, task_id, {"is_completed": body.is_completed}, versions)
    return _with_etag(response, task)


@router.delete(
    "/{task_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a task",
    responses=responses(404, 412),
)
def delete_task(
    task_id: TaskId, user: PathUser, tasks: TaskRepo, if_match: IfMatch = None
) -> Response:
    tasks.delete(user.id, task_id, parse_if_match(if_match, task_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)
