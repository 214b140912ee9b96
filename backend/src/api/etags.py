"""Entity tags of tasks, and the If-Match / If-None-Match headers (RFC 9110).

A task's tag is its id and updated_at (microseconds), which the database moves forward on
every change of the row (revision 002), so the tag changes exactly when the task does.
"""

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

_EPOCH = datetime(1970, 1, 1)


def etag_of(task: Mapping[str, Any]) -> str:
    """The tag of a task row (`id`, `updated_at` in UTC, with or without its zone)."""
    micros = (task["updated_at"].replace(tzinfo=None) - _EPOCH) // timedelta(microseconds=1)
    return f'"{task["id"]}.{micros:x}"'


def parse_if_match(header: str | None, task_id: int) -> list[datetime] | None:
    """The versions of task `task_id` that If-Match accepts; None means any (absent or `*`).

    Strong comparison: weak tags and tags of other tasks match nothing, so a stale or foreign
    tag yields an empty list, which fails the precondition.
    """
    if header is None or header.strip() == "*":
        return None
    versions = []
    for tag in _tags(header):
        if tag.startswith("W/"):
            continue
        version = _version(tag, task_id)
        if version is not None:
            versions.append(version)
    return versions


def if_none_match_hits(header: str | None, current: str) -> bool:
    """True when If-None-Match names the current tag (weak comparison) or is `*`."""
    if header is None:
        return False
    if header.strip() == "*":
        return True
    return any(tag.removeprefix("W/") == current for tag in _tags(header))


def _tags(header: str) -> list[str]:
    return [tag.strip() for tag in header.split(",") if tag.strip()]


def _version(tag: str, task_id: int) -> datetime | None:
    try:
        ident, micros = tag.strip('"').split(".")
        if int(ident) != task_id:
            return None
        return (_EPOCH + timedelta(microseconds=int(micros, 16))).replace(tzinfo=None)
    except (ValueError, OverflowError):
        return None
