"""An outbox row as a CloudEvents 1.0 event in JSON (structured mode), the bytes a consumer
receives: `data` holds the assignment's event fields, `task_data` the task as the REST API
renders it (TaskPublic), from the row exactly as its change committed."""

import uuid
from datetime import UTC, datetime
from typing import Any, Literal, NotRequired

from pydantic import TypeAdapter
from typing_extensions import TypedDict

from src.models import TaskRow
from src.models.outbox import EventType
from src.repositories.tasks import in_utc

SPEC_VERSION: Literal["1.0"] = "1.0"
TYPE_PREFIX = "com.taskapi"
# The subjects (JetStream) an event is published on, by kind: consumers filter per user.
SUBJECTS = {"task": "task-events", "user": "user-events", "reminder": "reminders"}


class EventData(TypedDict):
    event_type: EventType
    user_id: uuid.UUID
    timestamp: datetime
    task_id: NotRequired[int]
    task_data: NotRequired[TaskRow]


class ReminderData(TypedDict):
    """A reminder that came due (the assignment's reminder fields)."""

    task_id: int
    title: str
    due_at: datetime | None
    remind_at: datetime
    user_id: uuid.UUID


class CloudEvent(TypedDict):
    specversion: Literal["1.0"]
    id: uuid.UUID
    source: str
    type: str
    time: datetime
    subject: str
    datacontenttype: Literal["application/json"]
    data: EventData | ReminderData


CLOUD_EVENT = TypeAdapter(CloudEvent)

_OUTBOX_COLUMNS = (
    "outbox_id",
    "event_id",
    "event_user_id",
    "kind",
    "event_type",
    "task_id",
    "occurred_at",
)


def subject_of(row: dict[str, Any]) -> str:
    """The broker subject of an outbox row: `task-events.<user_id>` or `user-events.<...>`."""
    return f"{SUBJECTS[row['kind']]}.{row['event_user_id']}"


def cloud_event(row: dict[str, Any], source: str) -> CloudEvent:
    """The CloudEvent of an outbox row (src/repositories/outbox.py, its batch's columns)."""
    occurred = row["occurred_at"].replace(tzinfo=UTC)
    if row["kind"] == "reminder":
        return _envelope(row, source, occurred, f"tasks/{row['task_id']}", _reminder(row))
    data: EventData = {
        "event_type": row["event_type"],
        "user_id": row["event_user_id"],
        "timestamp": occurred,
    }
    if row["kind"] == "task":
        task = {name: value for name, value in row.items() if name not in _OUTBOX_COLUMNS}
        data["task_id"] = row["task_id"]
        data["task_data"] = in_utc(task)
        subject = f"tasks/{row['task_id']}"
    else:
        subject = f"users/{row['event_user_id']}"
    return _envelope(row, source, occurred, subject, data)


def _reminder(row: dict[str, Any]) -> ReminderData:
    return {
        "task_id": row["task_id"],
        "title": row["title"],
        "due_at": None if row["due_date"] is None else row["due_date"].replace(tzinfo=UTC),
        "remind_at": row["remind_at"].replace(tzinfo=UTC),
        "user_id": row["event_user_id"],
    }


def _envelope(
    row: dict[str, Any],
    source: str,
    occurred: datetime,
    subject: str,
    data: EventData | ReminderData,
) -> CloudEvent:
    return {
        "specversion": SPEC_VERSION,
        "id": row["event_id"],
        "source": source,
        "type": f"{TYPE_PREFIX}.{row['kind']}.{row['event_type']}",
        "time": occurred,
        "subject": subject,
        "datacontenttype": "application/json",
        "data": data,
    }


def encode(event: CloudEvent) -> bytes:
    return CLOUD_EVENT.dump_json(event)
