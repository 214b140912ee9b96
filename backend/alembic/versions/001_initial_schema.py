"""Initial schema

The seed's schema, exactly: users (UUID keys) and tasks (serial keys) with the indexes
ix_users_id, ix_users_email (UNIQUE) and ix_tasks_user_id. Never edit this revision:
change the schema with a new one.

Revision ID: 001
Revises:
Create Date: 2026-11-24 07:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# What shows that this revision ran: objects it creates, by name (src/db/schema_objects.py
# checks them before `alembic upgrade` and `stamp`, and behind /readyz).
SCHEMA_OBJECTS: dict[str, list[str]] = {"relations": ["users", "tasks", "ix_tasks_user_id"]}

# squawk's findings on this revision's SQL (tests/migrations/test_squawk.py), and why each is
# accepted: the tables are brand new, and their shape is the seed's DDL, reproduced exactly.
SQUAWK_IGNORE: dict[str, str] = {
    "prefer-text-field": (
        "VARCHAR(255/500/5000) are the seed's column types, which this revision reproduces "
        "exactly and the API validates against; VARCHAR(32) is alembic's own alembic_version. "
        "The tables are created here, empty; changing a limit later is its own revision."
    ),
    "prefer-timestamp-tz": (
        "TIMESTAMP WITHOUT TIME ZONE is the seed's type, reproduced exactly; the application "
        "always writes UTC (docs/migrations.md). Moving to timestamptz rewrites the tables: "
        "a later revision of its own, not a change to 001."
    ),
    "prefer-bigint-over-int": (
        "tasks.id SERIAL (int4) is the seed's type, reproduced exactly; the API documents task "
        "ids up to 2147483647. Widening to bigint rewrites the table: a later revision."
    ),
    "prefer-identity": (
        "tasks.id SERIAL is the seed's DDL, reproduced exactly (the sequence tasks_id_seq is "
        "part of the schema); converting to an identity column is a later revision of its own."
    ),
    "require-lock-timeout": (
        "The flagged CREATE INDEX statements (and the REFERENCES of tasks) lock only tables "
        "created earlier in this same transaction: no other session can see them yet, so "
        "there is no lock to queue behind."
    ),
    "require-statement-timeout": (
        "Every statement creates a table, or an index on a table created empty in this same "
        "transaction: there are no rows to scan, nothing can run long."
    ),
}

NOW = sa.text("CURRENT_TIMESTAMP")


def upgrade() -> None:
    # Constraint names are PostgreSQL's own defaults, what the seed's DDL produces.
    op.create_table(
        "users",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=NOW, nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=NOW, nullable=False),
        sa.PrimaryKeyConstraint("id", name="users_pkey"),
    )
    # The UNIQUE of users.email is this unique index (one object, not a constraint beside it).
    op.create_index("ix_users_email", "users", ["email"], unique=True)
    op.create_index("ix_users_id", "users", ["id"], unique=False)

    op.create_table(
        "tasks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("description", sa.String(length=5000), nullable=True),
        sa.Column("is_completed", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=NOW, nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=NOW, nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="tasks_user_id_fkey"),
        sa.PrimaryKeyConstraint("id", name="tasks_pkey"),
    )
    op.create_index("ix_tasks_user_id", "tasks", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_tasks_user_id", table_name="tasks")
    op.drop_table("tasks")
    op.drop_index("ix_users_id", table_name="users")
    op.drop_index("ix_users_email", table_name="users")
    op.drop_table("users")
