"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}

"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
import sqlmodel  # autogenerate may render sqlmodel.sql.sqltypes.AutoString
from alembic import op
${imports if imports else ""}

# revision identifiers, used by Alembic.
revision: str = ${repr(up_revision)}
down_revision: str | None = ${repr(down_revision)}
branch_labels: str | Sequence[str] | None = ${repr(branch_labels)}
depends_on: str | Sequence[str] | None = ${repr(depends_on)}

# What shows that this revision ran: objects it creates, by name ("relations": tables,
# indexes, views, sequences; "functions": "name(argument types)"; "types"), and those of
# earlier revisions it drops ("dropped": {"relations": [...]}). Checked before `alembic
# upgrade` and `stamp`, and behind /readyz (src/db/schema_objects.py); required by
# tests/migrations/test_schema_objects.py.
SCHEMA_OBJECTS: dict[str, Any] = {}


def upgrade() -> None:
    ${upgrades if upgrades else "pass"}


def downgrade() -> None:
    ${downgrades if downgrades else "pass"}
