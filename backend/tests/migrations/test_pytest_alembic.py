"""pytest-alembic's stock tests: one head, base -> head, models match the DDL, up/down/up."""

from pytest_alembic.tests import (  # noqa: F401  (collected by pytest from this module)
    test_model_definitions_match_ddl,
    test_single_head_revision,
    test_up_down_consistency,
    test_upgrade,
)
