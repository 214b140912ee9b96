"""Users: created just in time from a verified bearer token (the service stores no passwords)."""

import uuid
from datetime import datetime

from pydantic import ConfigDict
from sqlmodel import Field, SQLModel

from src.models._common import UTCDateTime, created_at_field, updated_at_field

EMAIL_MAX_LENGTH = 255


class UserBase(SQLModel):
    email: str = Field(max_length=EMAIL_MAX_LENGTH)


class User(UserBase, table=True):
    __tablename__ = "users"

    # index=True gives the seed's ix_users_id (redundant with the primary key, kept for parity).
    id: uuid.UUID = Field(primary_key=True, index=True)
    # unique + index: one UNIQUE index, ix_users_email, is what enforces uniqueness.
    email: str = Field(max_length=EMAIL_MAX_LENGTH, unique=True, index=True)
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


class UserPublic(UserBase):
    # Every field is in every response: required in the response schema (see TaskPublic).
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)  # type: ignore[assignment]

    id: uuid.UUID
    created_at: UTCDateTime
    updated_at: UTCDateTime
