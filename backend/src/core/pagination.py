"""Keyset pagination: sort orders and the opaque, signed cursor that carries a position.

A cursor holds the sort key and id of the last task of a page, the sort and the filters it
belongs to and the user it was issued to, signed with CURSOR_SECRET. Pages are keyset-based,
so a page never repeats or skips a task when others are inserted or deleted meanwhile.
"""

import base64
import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, get_args

from src.core.errors import InvalidFieldError, InvalidRequestError

SortOrder = Literal[
    "created_at",
    "-created_at",
    "updated_at",
    "-updated_at",
    "title",
    "-title",
    "due_date",
    "-due_date",
    "priority",
    "-priority",
    "id",
    "-id",
]
SORT_ORDERS: tuple[str, ...] = get_args(SortOrder)
DEFAULT_SORT: SortOrder = "-created_at"
_SIGNATURE_BYTES = 16


@dataclass(frozen=True)
class Position:
    """Where the previous page ended: its last task's sort key and id."""

    key: datetime | str | int | None  # None: a task without a due date (sort=due_date)
    task_id: int


def sort_column(sort: str) -> tuple[str, bool]:
    """(column name, descending) of a sort order."""
    return sort.removeprefix("-"), sort.startswith("-")


class CursorCodec:
    def __init__(self, secret: str) -> None:
        self._key = secret.encode()

    def seal(self, payload: dict[str, Any]) -> str:
        """`payload` as an opaque, signed token (cursors here, sync tokens in
        src/core/sync_tokens.py)."""
        raw = json.dumps(payload, separators=(",", ":")).encode()
        return f"{_b64(raw)}.{_b64(self._sign(raw))}"

    def unseal(self, token: str) -> dict[str, Any] | None:
        """The payload `seal` signed; None when `token` is malformed or was altered."""
        try:
            body, signature = token.split(".")
            payload = _unb64(body)
            if not hmac.compare_digest(_unb64(signature), self._sign(payload)):
                return None
            data = json.loads(payload)
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    def encode(self, user_id: uuid.UUID, sort: str, position: Position, scope: str = "") -> str:
        """`scope`: the filters of the list (TaskListQuery.filter_scope), which the cursor is
        good for alone."""
        key: Any = position.key
        if isinstance(key, datetime):
            key = key.isoformat()
        return self.seal(
            {"u": str(user_id), "s": sort, "f": scope, "k": key, "i": position.task_id}
        )

    def decode(self, cursor: str, user_id: uuid.UUID, sort: str, scope: str = "") -> Position:
        data = self.unseal(cursor)
        if data is None or "s" not in data:  # (a sync token is no cursor)
            raise InvalidRequestError("cursor is malformed or was altered")
        if data["u"] != str(user_id):
            raise InvalidRequestError("cursor was issued to another user")
        if data["s"] != sort or data.get("f", "") != scope:
            raise InvalidFieldError(
                "query.cursor",
                "the cursor belongs to another sort or other filters; repeat the list's own",
            )
        key = data["k"]
        if sort_column(sort)[0] in ("created_at", "updated_at", "due_date") and key is not None:
            key = datetime.fromisoformat(key)
        return Position(key=key, task_id=int(data["i"]))

    def _sign(self, payload: bytes) -> bytes:
        return hmac.new(self._key, payload, hashlib.sha256).digest()[:_SIGNATURE_BYTES]


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError) as exc:
        raise ValueError("not base64url") from exc
