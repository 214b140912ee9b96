"""Per-user tag counts, kept by triggers on tasks (revision 007); never written by the app.

`GET /api/{user_id}/tags` lists the caller's tags with how many tasks carry each. Counted on
every call, that unnested the tags of all the user's tasks (216 ms of database time for a user
with 100,000 tasks); kept here, it is one range scan of the user's rows of this table.
"""

import uuid

from sqlalchemy import BigInteger, Column, ForeignKey, Text, text
from sqlmodel import Field, SQLModel


class UserTagCount(SQLModel, table=True):
    __tablename__ = "tag_counts"

    user_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    )
    tag: str = Field(sa_column=Column(Text, primary_key=True))
    count: int = Field(
        sa_type=BigInteger, nullable=False, sa_column_kwargs={"server_default": text("0")}
    )
