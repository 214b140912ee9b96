"""The caller's tasks. Routes parse, authorize (TaskAccess), call the repository and map the
row to its response model.

Responses are rendered here, once: pydantic's serializer writes the rows (TaskRow, the shape
of TaskPublic) as JSON bytes, and the route returns them as a ready Response, so FastAPI does
not validate and serialize the same data again. `response_model` still documents them.
"""

from typing import Annotated

from fastapi import APIRouter, Body, Header, Path, Query, Request, Response, status

from src.api import task_actions
from src.api.deps import CursorCodecDep, TaskAccess
from src.api.etags import etag_of, if_none_match_hits, parse_if_match
from src.api.idempotency import OPENAPI_PARAMETER as IDEMPOTENCY_HEADER
from src.api.problems import body_errors, responses
from src.models import (
    TASK_ID_MAX,
    TASK_ROW,
    TASK_ROWS,
    TaskCompletion,
    TaskCreate,
    TaskListQuery,
    TaskPublic,
    TaskReplace,
    TaskRow,
    TaskUpdate,
)

router = APIRouter(
    prefix="/api/{user_id}/tasks",
    tags=["tasks"],
    responses=responses(401, 403, 409, 422, 429, 503),
)

TaskId = Annotated[int, Path(ge=1, le=TASK_ID_MAX, description="The task's id")]
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
        "description": (
            "How many tasks match the filters, on all pages. With a filter other than "
            "`completed`, only when the whole list is on this page (counting every match would "
            "cost more than the page)"
        ),
        "schema": {"type": "integer"},
    },
}
_ETAG = {
    "ETag": {
        "description": "The task's version, for If-Match / If-None-Match",
        "schema": {"type": "string"},
    }
}


_JSON = "application/json"


def _task_response(
    task: TaskRow, status_code: int = 200, headers: dict[str, str] | None = None
) -> Response:
    content = TASK_ROW.dump_json(task)
    return Response(
        content, status_code, {"ETag": etag_of(task), **(headers or {})}, media_type=_JSON
    )


@router.get(
    "",
    response_model=list[TaskPublic],
    summary="List the caller's tasks",
    responses={200: {"headers": _LIST_HEADERS}, **responses(400)},
)
async def list_tasks(
    request: Request,
    access: TaskAccess,
    codec: CursorCodecDep,
    query: Annotated[TaskListQuery, Query()],
) -> Response:
    page = await task_actions.list_page(access.tasks, codec, access.user_id, query)
    headers = {} if page.total is None else {"X-Total-Count": str(page.total)}
    if page.next_cursor is not None:
        next_page = request.url.include_query_params(cursor=page.next_cursor)
        headers["Link"] = f'<{next_page}>; rel="next"'
    return Response(TASK_ROWS.dump_json(page.tasks), headers=headers, media_type=_JSON)


@router.post(
    "",
    openapi_extra=IDEMPOTENCY_HEADER,
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
async def create_task(body: TaskCreate, request: Request, access: TaskAccess) -> Response:
    task = await task_actions.create_task(access.caller, access.tasks, access.users, body)
    # The collection's URL as requested, plus the id: what url_for("read_task") builds, without
    # its walk over every route (25 µs of a create's CPU, against 9).
    collection = request.url
    location = collection.replace(path=f"{collection.path.rstrip('/')}/{task['id']}", query="")
    return _task_response(task, status.HTTP_201_CREATED, {"Location": str(location)})


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
async def read_task(
    task_id: TaskId,
    access: TaskAccess,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    task = await access.tasks.get(access.user_id, task_id)
    if if_none_match is not None:
        tag = etag_of(task)
        if if_none_match_hits(if_none_match, tag):
            return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers={"ETag": tag})
    return _task_response(task)


@router.put(
    "/{task_id}",
    openapi_extra=IDEMPOTENCY_HEADER,
    response_model=TaskPublic,
    summary="Update a task: its title, and whatever else is sent (omitted fields are kept)",
    responses={200: {"headers": _ETAG}, **responses(404, 412), **body_errors()},
)
async def replace_task(
    task_id: TaskId,
    body: TaskReplace,
    access: TaskAccess,
    if_match: IfMatch = None,
) -> Response:
    versions = parse_if_match(if_match, task_id)
    return _task_response(
        await access.tasks.update(access.user_id, task_id, body.changes(), versions)
    )


@router.patch(
    "/{task_id}",
    openapi_extra=IDEMPOTENCY_HEADER,
    response_model=TaskPublic,
    summary="Change some of a task's fields (JSON merge patch)",
    responses={200: {"headers": _ETAG}, **responses(404, 412), **body_errors()},
)
async def update_task(
    task_id: TaskId,
    body: TaskUpdate,
    access: TaskAccess,
    if_match: IfMatch = None,
) -> Response:
    versions = parse_if_match(if_match, task_id)
    return _task_response(
        await access.tasks.update(access.user_id, task_id, body.changes(), versions)
    )


@router.patch(
    "/{task_id}/complete",
    openapi_extra=IDEMPOTENCY_HEADER,
    response_model=TaskPublic,
    summary="Toggle completion (no body), or set it",
    responses={200: {"headers": _ETAG}, **responses(404, 412), **body_errors()},
)
async def complete_task(
    task_id: TaskId,
    access: TaskAccess,
    body: Annotated[TaskCompletion | None, Body()] = None,
    if_match: IfMatch = None,
) -> Response:
    versions = parse_if_match(if_match, task_id)
    if body is None:
        task = await access.tasks.toggle_completed(access.user_id, task_id, versions)
    else:
        changes = {"is_completed": body.is_completed}
        task = await access.tasks.update(access.user_id, task_id, changes, versions)
    return _task_response(task)


@router.delete(
    "/{task_id}",
    openapi_extra=IDEMPOTENCY_HEADER,
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a task",
    responses=responses(404, 412),
)
async def delete_task(task_id: TaskId, access: TaskAccess, if_match: IfMatch = None) -> Response:
    await access.tasks.delete(access.user_id, task_id, parse_if_match(if_match, task_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)
