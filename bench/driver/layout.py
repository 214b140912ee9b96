"""Where things are, and how a table size is laid out over users (see bench/seed.sql)."""

import hashlib
import math
import uuid
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parents[1]
REPO_ROOT = BENCH_DIR.parent
RESULTS_DIR = REPO_ROOT / "bench-results"  # git-ignored: raw results, wrk data files
DOC = REPO_ROOT / "docs" / "performance.md"
PLOT = REPO_ROOT / "docs" / "performance.png"

ORDINARY_USERS = 1000
HEAVY_INDEX = ORDINARY_USERS  # the heavy user's index, after the ordinary ones
HEAVY_MAX_TASKS = 100_000
PAGE = 50
DEEP_PAGE = 500


def user_uuid(index: int) -> uuid.UUID:
    """The UUID seed.sql gives user `index`: md5('bench-user-<index>')."""
    return uuid.UUID(hashlib.md5(f"bench-user-{index}".encode()).hexdigest())  # noqa: S324


def user_email(index: int) -> str:
    return f"bench-user-{index}@example.com"


@dataclass(frozen=True)
class Layout:
    """`tasks` rows: every `stride`-th id is the heavy user's, the rest round robin over the
    1,000 ordinary users. The heavy user holds min(100,000, tasks / 2) of them."""

    tasks: int

    @property
    def stride(self) -> int:
        return max(2, math.ceil(self.tasks / HEAVY_MAX_TASKS))

    @property
    def heavy_tasks(self) -> int:
        return self.tasks // self.stride

    @property
    def deep_page(self) -> int:
        """Page 500 of the heavy user's list, or their last full page when they have fewer."""
        return min(DEEP_PAGE, self.heavy_tasks // PAGE)

    def owner(self, task_id: int) -> int:
        """Index of the user who owns `task_id` in the seeded table."""
        if task_id % self.stride == 0:
            return HEAVY_INDEX
        return (task_id - task_id // self.stride - 1) % ORDINARY_USERS

    def label(self) -> str:
        return (
            f"10^{round(math.log10(self.tasks))}"
            if _is_power_of_ten(self.tasks)
            else str(self.tasks)
        )


def _is_power_of_ten(n: int) -> bool:
    return n >= 1 and 10 ** round(math.log10(n)) == n
