"""Idempotency keys (the IETF `Idempotency-Key` header): the first response of a write,
stored in the transaction that made the change, replayed to a retry (src/api/idempotency.py).

Keyed by the caller's id and the key: one user's key never meets another's. No foreign key
to users: a caller's first write claims its key before their users row exists, and the
record of `DELETE /api/users/me` outlives the user it deleted until it expires.
"""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Column, DateTime, Index, LargeBinary, SmallInteger, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

IDEMPOTENCY_KEY_MAX_LENGTH = 255


class IdempotencyKey(SQLModel, table=True):
    __tablename__ = "idempotency_keys"
    # Pruning reads them by age.
    __table_args__ = (Index("ix_idempotency_keys_created_at", "created_at"),)

    user_id: uuid.UUID = Field(primary_key=True)
    # TEXT (squawk: prefer-text-field); the API refuses a key over 255 characters.
    key: str = Field(sa_type=Text, primary_key=True)
    # sha256 of the method, the path and the body: a reuse with another request is refused.
    fingerprint: bytes = Field(sa_type=LargeBinary, nullable=False)
    created_at: datetime = Field(nullable=False, sa_type=DateTime(timezone=False))
    # The response, once the write succeeded; a claim without one is never committed.
    status: int | None = Field(default=None, sa_type=SmallInteger)
    headers: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONB))
    body: bytes | None = Field(default=None, sa_type=LargeBinary)
    # Or, for a task write that carried its key in its own statement, the task row that
    # statement returned (to_jsonb): a retry gets that row back and renders it as the first
    # request did (src/repositories/idempotency.py, "keyed writes").
    snapshot: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONB))
