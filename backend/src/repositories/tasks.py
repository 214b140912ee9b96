"""Tasks, always scoped to their owner: another user's task is indistinguishable from none.

Every statement is a SQLModel expression over the table models, compiled once
(src/db/statements.py) and run on the request's psycopg connection: each method sends one
statement on its success path (a second one only to tell a missing task from a stale
If-Match, to count a list whose page came back empty, or, in a transaction, to complete a
recurring task and schedule its next occurrence).
`select(Task)` reads every column of the model, so a column added to `Task` is read
everywhere.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, NoReturn, cast

from sqlalchemy import (
    ARRAY,
    DateTime,
    any_,
    bindparam,
    case,
    delete,
    exists,
    false,
    func,
    insert,
    literal_column,
    not_,
    select,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy import tuple_ as row_of
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import ScalarSelect
from sqlmodel import col, or_, update

from src.core.errors import FieldConflictError, NotFoundError, PreconditionFailedError
from src.core.pagination import SORT_ORDERS, Position, sort_column
from src.core.recurrence import NoNextOccurrenceError, next_due_date
from src.db.session import DbSession
from src.db.statements import Statement, compile_statement, param
from src.models import Task, TaskCount, TaskCreate, TaskRow, User, UserTagCount
from src.models._common import utcnow
from src.models.task import PRIORITY_TYPE
from src.repositories._rows import mark_utc
from src.repositories.idempotency import keyable

_STALE = "the task changed since the version in If-Match; fetch it again"
_MISSING = "no such task"
# Fields a client may change, in the order a SET clause names them.
_WRITABLE: dict[str, Any] = {
    "title": Task.title,
    "description": Task.description,
    "is_completed": Task.is_completed,
    "priority": Task.priority,
    "tags": Task.tags,
    "due_date": Task.due_date,
    "remind_at": Task.remind_at,
    "recurring_rule": Task.recurring_rule,
    "recurring_interval": Task.recurring_interval,
}


@dataclass(frozen=True)
class TaskFilter:
    """What a list keeps; None: not filtered on. Tags: all of them; priorities: any of them."""

    completed: bool | None = None
    q: str | None = None
    priorities: tuple[str, ...] | None = None
    tags: tuple[str, ...] | None = None
    due_before: datetime | None = None
    due_after: datetime | None = None
    overdue: bool | None = None

    @property
    def shape(self) -> "FilterShape":
        return FilterShape(
            completed=self.completed is not None,
            q=bool(self.q),
            priorities=self.priorities is not None,
            tags=self.tags is not None,
            due_before=self.due_before is not None,
            due_after=self.due_after is not None,
            overdue=self.overdue,
        )

    def params(self, now: datetime) -> dict[str, Any]:
        params: dict[str, Any] = {}
        if self.completed is not None:
            params["completed"] = self.completed
        if self.q:
            params["pattern"] = "%" + _escape_like(self.q) + "%"
        if self.priorities is not None:
            params["priorities"] = list(self.priorities)
        if self.tags is not None:
            params["tags"] = list(self.tags)
        if self.due_before is not None:
            params["due_before"] = self.due_before
        if self.due_after is not None:
            params["due_after"] = self.due_after
        if self.overdue is not None:
            params["now"] = now
        return params


@dataclass(frozen=True)
class FilterShape:
    """Which filters a list has (and overdue's value): one compiled statement per shape."""

    completed: bool = False
    q: bool = False
    priorities: bool = False
    tags: bool = False
    due_before: bool = False
    due_after: bool = False
    overdue: bool | None = None

    @property
    def counted(self) -> bool:
        """task_counts answers X-Total-Count: no filter, or completion alone."""
        return self == FilterShape(completed=self.completed)


@dataclass(frozen=True)
class Page:
    tasks: list[TaskRow]
    # Tasks matching the filters, on all pages; None when only a count over the user's tasks
    # could tell (filters other than completion, beyond the first page): not counted.
    total: int | None


class TaskRepository:
    def __init__(self, session: DbSession) -> None:
        self.session = session

    # -- reads ---------------------------------------------------------------------------
    async def get(self, user_id: uuid.UUID, task_id: int) -> TaskRow:
        task = await self.session.fetch_one(_GET, {"id": task_id, "user_id": user_id})
        if task is None:
            raise NotFoundError(_MISSING)
        return in_utc(task)

    async def list_page(
        self,
        user_id: uuid.UUID,
        filters: TaskFilter,
        sort: str,
        limit: int,
        after: Position | None = None,
    ) -> Page:
        """Up to `limit` tasks in keyset order (the sort key, then id to break ties), and
        how many match in all. Unfiltered or filtered by completion alone, one statement
        reads both: the count rides along each row from task_counts."""
        shape = filters.shape
        params: dict[str, Any] = {"user_id": user_id, "limit": limit}
        params.update(filters.params(utcnow()))
        if after is not None:
            params["key"], params["after_id"] = after.key, after.task_id
        rows = await self.session.fetch_all(_list_statement(sort, after is not None, shape), params)
        total: int | None
        if shape.counted:  # task_counts knows, whatever the page
            total = int(rows[0][_TOTAL] or 0) if rows else await self.count(user_id, filters)
        elif after is None and len(rows) < limit:  # the first page is the whole list
            total = len(rows)
        else:
            # Counting the matches of a filter means reading every one of them: a common word
            # among 100,000 tasks cost a hundred times the page (docs/performance.md).
            total = None
        return Page([in_utc(row) for row in rows], total)

    async def count(self, user_id: uuid.UUID, filters: TaskFilter) -> int:
        """How many tasks there are, or how many are (not) completed: read from task_counts
        (kept by triggers, revision 004), the same cost at 10 tasks as at 10 million."""
        assert filters.shape.counted, "only completion is counted"
        row = await self.session.fetch_one(_COUNTS, {"user_id": user_id})
        if row is None:
            return 0
        total, completed = int(row["total"]), int(row["completed"])
        if filters.completed is None:
            return total
        return completed if filters.completed else total - completed

    async def tags(self, user_id: uuid.UUID) -> list[dict[str, Any]]:
        """The user's tags, each with how many of their tasks carry it, by tag (tag_counts)."""
        return await self.session.fetch_all(_TAGS, {"user_id": user_id})

    # -- writes --------------------------------------------------------------------------
    async def create(self, user_id: uuid.UUID, data: TaskCreate) -> TaskRow | None:
        """The new task; None when the user has no row yet (provision it, then retry)."""
        now = utcnow()
        values = data.model_dump(include=set(_WRITABLE))
        task = await self.session.fetch_one(
            _CREATE, {**values, "user_id": user_id, "created_at": now, "updated_at": now}
        )
        return None if task is None else in_utc(task)

    async def update(
        self,
        user_id: uuid.UUID,
        task_id: int,
        changes: dict[str, Any],
        if_match: list[datetime] | None = None,
    ) -> TaskRow:
        """Apply `changes` in one conditional UPDATE; If-Match versions are checked atomically,
        so of two writers holding the same tag exactly one succeeds. Completing a recurring
        task creates its next occurrence in the same transaction."""
        if not changes:
            task = await self.get(user_id, task_id)
            if if_match is not None and _naive(task["updated_at"]) not in if_match:
                raise PreconditionFailedError(_STALE)
            return task
        names = tuple(name for name in _WRITABLE if name in changes)
        if len(names) != len(changes):
            raise ValueError(f"not writable: {sorted(set(changes) - set(names))}")
        completes = changes.get("is_completed") is True
        if completes:
            # One statement for a task whose completion schedules nothing (most tasks);
            # otherwise, or when it matched no row, the transaction below.
            alone = update_statement(names, if_match is not None, schedules_nothing=True)
            params = {**changes, "id": task_id, "user_id": user_id, "versions": if_match}
            done = await self.session.fetch_one(alone, params)
            if done is not None:
                return in_utc(done)
            await self.session.begin()
        query = update_statement(names, if_match is not None)
        refusal = _recurrence_refusal(names)
        task = await self._update_one(user_id, task_id, query, changes, if_match, refusal)
        return await self._schedule_next(user_id, task) if completes else task

    async def toggle_completed(
        self, user_id: uuid.UUID, task_id: int, if_match: list[datetime] | None = None
    ) -> TaskRow:
        params = {"id": task_id, "user_id": user_id, "versions": if_match}
        done = await self.session.fetch_one(_TOGGLE_ALONE[if_match is not None], params)
        if done is not None:  # a toggle that schedules nothing: one statement
            return in_utc(done)
        await self.session.begin()  # it may complete a recurring task: see _schedule_next
        query = _TOGGLE[if_match is not None]
        task = await self._update_one(user_id, task_id, query, {}, if_match)
        return await self._schedule_next(user_id, task)

    async def delete(
        self, user_id: uuid.UUID, task_id: int, if_match: list[datetime] | None = None
    ) -> TaskRow:
        """The task as it was when it went (one statement: what is returned is what was
        deleted, whatever ran concurrently)."""
        params = {"id": task_id, "user_id": user_id, "versions": if_match}
        task = await self.session.fetch_one(_DELETE[if_match is not None], params)
        if task is None:
            await self._raise_missing_or_stale(user_id, task_id)
        return in_utc(task)

    # -- helpers -------------------------------------------------------------------------
    async def _update_one(
        self,
        user_id: uuid.UUID,
        task_id: int,
        query: Statement,
        values: dict[str, Any],
        if_match: list[datetime] | None,
        refusal: FieldConflictError | None = None,
    ) -> TaskRow:
        """The updated task. No row updated: the task is missing (404), its version is not
        in If-Match (412), or else the UPDATE's own condition kept a recurring task from
        losing its due date (`refusal`, 409)."""
        params = {**values, "id": task_id, "user_id": user_id, "versions": if_match}
        task = await self.session.fetch_one(query, params)
        if task is None:
            current = await self.get(user_id, task_id)
            stale = if_match is not None and _naive(current["updated_at"]) not in if_match
            if refusal is not None and not stale:
                raise refusal
            raise PreconditionFailedError(_STALE)
        return in_utc(task)

    async def _schedule_next(self, user_id: uuid.UUID, task: TaskRow) -> TaskRow:
        """A recurring task that this request completed gets its next occurrence: the due
        date moved by the rule, the reminder by the same amount, everything else copied.

        Runs in the request's transaction, after the UPDATE that completed the task, which
        still holds the task's row lock: a concurrent completion of the same task waits for
        this transaction, then finds next_occurrence_id set and creates nothing. Set once, it
        also keeps un-completing and completing again from creating another."""
        rule, due = task["recurring_rule"], task["due_date"]
        if not task["is_completed"] or rule is None or due is None:
            return task
        if task["next_occurrence_id"] is not None:
            return task
        try:
            next_due = next_due_date(due, rule, task["recurring_interval"])
        except NoNextOccurrenceError:  # past the year 9999: the series ends here
            return task
        reminder = task["remind_at"]
        params = {
            "id": task["id"],
            "user_id": user_id,
            "next_due": _naive(next_due),
            "next_remind": None if reminder is None else _naive(reminder + (next_due - due)),
            "now": utcnow(),
        }
        row = await self.session.fetch_one(_SCHEDULE_NEXT, params)
        assert row is not None  # the row is ours and locked by this transaction
        return in_utc(row)

    async def _raise_missing_or_stale(self, user_id: uuid.UUID, task_id: int) -> NoReturn:
        await self.get(user_id, task_id)  # raises NotFoundError when the task is not the user's
        raise PreconditionFailedError(_STALE)


# -- statements ------------------------------------------------------------------------
# Built from the models and compiled once; values travel as the named parameters.
_USER = param("user_id", Task.user_id)
_OWNED = (col(Task.id) == bindparam("id"), col(Task.user_id) == _USER)
# If-Match: the row's version is one of those the client holds.
_VERSIONED = col(Task.updated_at) == any_(bindparam("versions", type_=ARRAY(DateTime())))


def _target(with_versions: bool) -> tuple[ColumnElement[bool], ...]:
    return (*_OWNED, _VERSIONED) if with_versions else _OWNED


_GET = compile_statement(select(Task).where(*_OWNED))
_COUNTS = compile_statement(
    select(col(TaskCount.total), col(TaskCount.completed)).where(col(TaskCount.user_id) == _USER)
)
# Inserts nothing (and returns no row) while the user has no row: the caller provisions the
# user and tries again, so reads and most writes never look the user up.
_INSERTED: dict[str, Any] = {
    "user_id": Task.user_id,
    **_WRITABLE,
    "created_at": Task.created_at,
    "updated_at": Task.updated_at,
}
_CREATE = keyable(
    insert(Task)
    .from_select(
        list(_INSERTED),
        select(*(param(name, column) for name, column in _INSERTED.items())).where(
            exists().where(col(User.id) == _USER)
        ),
    )
    .returning(Task)
)
_DELETE = {
    versioned: keyable(delete(Task).where(*_target(versioned)).returning(Task))
    for versioned in (False, True)
}
_TOGGLE = {
    versioned: compile_statement(
        update(Task)
        .values(is_completed=not_(col(Task.is_completed)))
        .where(*_target(versioned))
        .returning(Task)
    )
    for versioned in (False, True)
}
# A completion schedules a next occurrence only for a recurring task that has none yet
# (_schedule_next). The writes below match only the other tasks: for them completing is one
# statement, in autocommit; a task they leave unmatched takes the transaction.
_SCHEDULES_NOTHING = or_(
    col(Task.recurring_rule).is_(None), col(Task.next_occurrence_id).is_not(None)
)
_TOGGLE_ALONE = {
    versioned: keyable(
        update(Task)
        .values(is_completed=not_(col(Task.is_completed)))
        .where(*_target(versioned), or_(col(Task.is_completed), _SCHEDULES_NOTHING))
        .returning(Task)
    )
    for versioned in (False, True)
}
# The next occurrence, copied from the completed task in SQL, and the completed task pointing
# at it, in one statement; the completed task is what it returns.
_COPIED = ("user_id", "title", "description", "priority", "tags")
_RECURRENCE = ("recurring_rule", "recurring_interval")
_NEXT = (
    insert(Task)
    .from_select(
        [
            *_COPIED,
            "is_completed",
            "due_date",
            "remind_at",
            *_RECURRENCE,
            "created_at",
            "updated_at",
        ],
        select(
            *(_INSERTED[name] for name in _COPIED),
            false(),
            param("next_due", Task.due_date),
            param("next_remind", Task.remind_at),
            *(_WRITABLE[name] for name in _RECURRENCE),
            param("now", Task.created_at),
            param("now", Task.updated_at),
        ).where(*_OWNED),
    )
    .returning(col(Task.id))
    .cte("next_occurrence")
)
_SCHEDULE_NEXT = compile_statement(
    update(Task)
    .values(next_occurrence_id=select(_NEXT.c.id).scalar_subquery())
    .where(*_OWNED)
    .returning(Task)
    .add_cte(_NEXT)
)
# Kept by revision 007's triggers: one range of tag_counts' primary key, by tag.
_TAGS = compile_statement(
    select(col(UserTagCount.tag), col(UserTagCount.count))
    .where(col(UserTagCount.user_id) == _USER)
    .order_by(col(UserTagCount.tag))
)


@lru_cache(maxsize=1024)
def update_statement(
    names: tuple[str, ...], with_versions: bool, *, schedules_nothing: bool = False
) -> Statement:
    """UPDATE of the named fields (in _WRITABLE's order), each set from its own parameter.

    A recurring task keeps a due date (ck_tasks_recurrence_needs_due_date): where only one of
    the two fields is set, the UPDATE matches no row rather than break the rule, so the
    request is refused without an error that would abort its transaction.

    `schedules_nothing`: only a task that completing gives no next occurrence, its
    recurrence taken as the UPDATE leaves it (a completion's single statement)."""
    values = {name: param(name, _WRITABLE[name]) for name in names}
    conditions = list(_target(with_versions))
    due, rule = values.get("due_date"), values.get("recurring_rule")
    if schedules_nothing and rule is not None:
        no_rule = sql_cast(rule, rule.type).is_(None)
        conditions.append(or_(no_rule, col(Task.next_occurrence_id).is_not(None)))
    elif schedules_nothing:
        conditions.append(_SCHEDULES_NOTHING)
    if due is not None and rule is None:  # (typed: PostgreSQL cannot infer `$1 IS NULL`)
        kept_due = sql_cast(due, due.type).is_not(None)
        conditions.append(or_(kept_due, col(Task.recurring_rule).is_(None)))
    if rule is not None and due is None:
        no_rule = sql_cast(rule, rule.type).is_(None)
        conditions.append(or_(no_rule, col(Task.due_date).is_not(None)))
    return keyable(update(Task).values(values).where(*conditions).returning(Task))


def _recurrence_refusal(names: tuple[str, ...]) -> FieldConflictError | None:
    """What an UPDATE of `names` that matched no row, on a task that exists in the version the
    client holds, refused (see update_statement): a conflict with the stored task, 409."""
    if "due_date" in names and "recurring_rule" not in names:
        return FieldConflictError("body.due_date", "the task recurs: it needs a due_date")
    if "recurring_rule" in names and "due_date" not in names:
        return FieldConflictError("body.recurring_rule", "the task has no due_date to recur from")
    return None


def _where(shape: FilterShape) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [col(Task.user_id) == _USER]
    if shape.completed:
        conditions.append(col(Task.is_completed) == bindparam("completed"))
    if shape.q:
        pattern = param("pattern", Task.title)
        conditions.append(or_(col(Task.title).ilike(pattern), col(Task.description).ilike(pattern)))
    if shape.priorities:
        priorities = bindparam("priorities", type_=ARRAY(PRIORITY_TYPE))
        conditions.append(col(Task.priority) == any_(priorities))
    if shape.tags:  # all of them
        conditions.append(col(Task.tags).contains(param("tags", Task.tags)))
    if shape.due_before:
        conditions.append(col(Task.due_date) < param("due_before", Task.due_date))
    if shape.due_after:
        conditions.append(col(Task.due_date) >= param("due_after", Task.due_date))
    if shape.overdue is not None:
        overdue = (col(Task.due_date) < param("now", Task.due_date)) & not_(col(Task.is_completed))
        # Not overdue: no due date (a NULL comparison), not yet due, or done.
        conditions.append(overdue if shape.overdue else not_(func.coalesce(overdue, false())))
    return conditions


_TOTAL = "matching_total"


def _counted(by_completed: bool) -> ScalarSelect[Any]:
    """How many of the user's tasks match, from task_counts (evaluated once: an InitPlan);
    `completed` is the filter's value."""
    matching: Any = col(TaskCount.total)
    if by_completed:
        matching = case(
            (bindparam("completed"), col(TaskCount.completed)),
            else_=col(TaskCount.total) - col(TaskCount.completed),
        )
    return select(matching).where(col(TaskCount.user_id) == _USER).scalar_subquery()


def _due_or_edge(due: Any, descending: bool) -> Any:
    """A due date, or for none the edge that sorts it last: +infinity ascending, -infinity
    descending (the expressions of revision 006's two indexes)."""
    edge: Any = literal_column("'-infinity'" if descending else "'infinity'")
    return func.coalesce(due, sql_cast(edge, DateTime()))


def sort_key(name: str, descending: bool) -> Any:
    """The expression a sort orders by; an index (revision 003 or 006) serves each, with the
    user's id first. A task without a due date sorts last in both directions."""
    if name == "due_date":
        return _due_or_edge(col(Task.due_date), descending)
    columns: dict[str, Any] = {
        "created_at": Task.created_at,
        "updated_at": Task.updated_at,
        "title": Task.title,
        "priority": Task.priority,
        "id": Task.id,
    }
    return col(columns[name])


@lru_cache(maxsize=1024)
def _list_statement(sort: str, has_after: bool, shape: FilterShape) -> Statement:
    name, descending = sort_column(sort)  # a SortOrder: never text from the client
    key = sort_key(name, descending)
    keys = [key] if name == "id" else [key, col(Task.id)]
    where = _where(shape)
    if has_after:
        after = [param("after_id", Task.id)]
        if name == "due_date":  # the cursor holds the task's due date, or null
            after.insert(0, _due_or_edge(param("key", Task.due_date), descending))
        elif name != "id":
            after.insert(0, param("key", key))
        beyond = row_of(*keys) < row_of(*after) if descending else row_of(*keys) > row_of(*after)
        where.append(beyond)
    order = [key.desc() if descending else key.asc() for key in keys]
    # Unfiltered or by completion alone, the count comes from task_counts, along each row.
    query = select(Task, _counted(shape.completed).label(_TOTAL)) if shape.counted else select(Task)
    # A search or a tag filter is planned for its values every time (see compile_statement).
    # Prepared, PostgreSQL soon runs a generic plan that knows no value: for a search it read
    # all 100,000 tasks of a list for a word 50 of them hold; for a tag it guesses 0.5% of the
    # table and ANDs the user's and the tag's bitmaps, 30-230 ms against 0.5 ms for the
    # user's index in the sort's order when `urgent` is on 14% of 10^6 tasks
    # (docs/performance.md). Other filters' generic plans measured as fast as their own.
    return compile_statement(
        query.where(*where).order_by(*order).limit(bindparam("limit")),
        prepare=False if shape.q or shape.tags else None,
    )


def all_statements() -> dict[str, Statement]:
    """Every fixed statement of this repository, and the shapes of the built ones that tell
    their construction apart: each sort (with and without a cursor, unfiltered and by
    completion), each filter alone, all filters at once, each PATCH field alone and PUT's
    full set. tests/db/test_statements.py snapshots and prepares them; it also compiles and
    prepares every other combination."""
    found = {
        "get": _GET,
        "counts": _COUNTS,
        "create": _CREATE,
        "schedule next occurrence": _SCHEDULE_NEXT,
        "tags": _TAGS,
    }
    for versioned in (False, True):
        tag = " if-match" if versioned else ""
        found[f"delete{tag}"] = _DELETE[versioned]
        found[f"toggle{tag}"] = _TOGGLE[versioned]
        found[f"toggle{tag}, schedules nothing"] = _TOGGLE_ALONE[versioned]
        found[f"update (PUT){tag}, schedules nothing"] = update_statement(
            tuple(_WRITABLE), versioned, schedules_nothing=True
        )
        found[f"update is_completed{tag}, schedules nothing"] = update_statement(
            ("is_completed",), versioned, schedules_nothing=True
        )
        found[f"update (PUT){tag}"] = update_statement(tuple(_WRITABLE), versioned)
        for name in _WRITABLE:
            found[f"update {name}{tag}"] = update_statement((name,), versioned)
    for sort in SORT_ORDERS:
        for after in (False, True):
            for by_completed in (False, True):
                flags = " ".join(["after"] * after + ["completed"] * by_completed)
                shape = FilterShape(completed=by_completed)
                found[f"list {sort} {flags}".rstrip()] = _list_statement(sort, after, shape)
        found[f"list {sort} after, every filter"] = _list_statement(sort, True, EVERY_FILTER)
    for shape_name, shape in FILTER_SHAPES.items():
        found[f"list -created_at {shape_name}"] = _list_statement("-created_at", False, shape)
    return found


EVERY_FILTER = FilterShape(True, True, True, True, True, True, True)
FILTER_SHAPES = {
    "q": FilterShape(q=True),
    "priority": FilterShape(priorities=True),
    "tag": FilterShape(tags=True),
    "due_before": FilterShape(due_before=True),
    "due_after": FilterShape(due_after=True),
    "overdue": FilterShape(overdue=True),
    "not overdue": FilterShape(overdue=False),
    "every filter": EVERY_FILTER,
}


def _naive(value: datetime) -> datetime:
    return value.replace(tzinfo=None)


def in_utc(row: dict[str, Any]) -> TaskRow:
    """The row as a TaskRow: timestamps marked UTC, the count column of a page and the
    change number (sync's, not the client's) dropped."""
    row.pop(_TOTAL, None)
    row.pop("change_seq", None)
    for name in ("due_date", "remind_at"):
        if row[name] is not None:
            row[name] = row[name].replace(tzinfo=UTC)
    return cast(TaskRow, mark_utc(row))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
