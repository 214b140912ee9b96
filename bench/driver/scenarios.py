"""The scenarios, and the data files (tokens, task ids, list URLs) their wrk scripts read."""

import math
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt

from driver.database import BenchDatabase
from driver.layout import HEAVY_INDEX, ORDINARY_USERS, PAGE, Layout, user_email, user_uuid
from driver.load import write_rows


@dataclass(frozen=True)
class Scenario:
    key: str
    title: str
    script: str


BARE = Scenario("bare", "floor: bare async endpoint", "bare.lua")
SCENARIOS = [
    Scenario("get", "get one task", "target.lua"),
    Scenario("list50", "list, first page of 50", "list.lua"),
    Scenario("list100", "list, first page of 100", "list.lua"),
    Scenario("deep", "list, deep page (cursor)", "list.lua"),
    Scenario("put", "full update (PUT)", "target.lua"),
    Scenario("toggle", "toggle completion", "target.lua"),
    Scenario("create", "create (POST)", "create.lua"),
    Scenario("delete", "delete", "target.lua"),
    Scenario("mixed", "mixed: 80% reads, 20% writes", "mixed.lua"),
]
BY_KEY = {scenario.key: scenario for scenario in [BARE, *SCENARIOS]}
# pgbench floors: the SQL of get-one and of a first page, per table size.
DB_FLOORS = {"get": "get_one", "list50": "list_first_page"}

DELETE_HEADROOM = 3  # delete pool: this many times the create rate, for warm-up and run


def sign_token(secret: str, index: int) -> str:
    now = datetime.now(UTC)
    claims = {
        "sub": str(user_uuid(index)),
        "email": user_email(index),
        "iat": now,
        "exp": now + timedelta(hours=6),
    }
    return jwt.encode(claims, secret, algorithm="HS256")


class Fixtures:
    """The data files of one table size, in `workdir`."""

    def __init__(
        self,
        db: BenchDatabase,
        layout: Layout,
        workdir: Path,
        jwt_secret: str,
        cursor_secret: str,
        wrk_threads: int,
    ) -> None:
        self.db, self.layout, self.workdir, self.wrk_threads = db, layout, workdir, wrk_threads
        self.users = write_rows(
            workdir / "users.tsv",
            [(i, user_uuid(i), sign_token(jwt_secret, i)) for i in range(ORDINARY_USERS + 1)],
        )
        self.targets = write_rows(workdir / "targets.tsv", db.targets(layout))
        self.mixed_targets = write_rows(
            workdir / "mixed_targets.tsv", db.targets(layout, ordinary_only=True)
        )
        heavy = f"/api/{user_uuid(HEAVY_INDEX)}/tasks"
        self.lists = {
            "list50": write_rows(workdir / "list50.tsv", [(HEAVY_INDEX, f"{heavy}?limit={PAGE}")]),
            "list100": write_rows(workdir / "list100.tsv", [(HEAVY_INDEX, f"{heavy}?limit=100")]),
            "deep": write_rows(
                workdir / "deep.tsv",
                [(HEAVY_INDEX, f"{heavy}?limit={PAGE}&cursor={self._deep_cursor(cursor_secret)}")],
            ),
        }

    def _deep_cursor(self, secret: str) -> str:
        """The cursor the API's Link header gives on page deep_page - 1 (signed the same way)."""
        from src.core.pagination import CursorCodec, Position

        task_id, created_at = self.db.deep_position(self.layout)
        position = Position(key=created_at, task_id=task_id)
        return CursorCodec(secret).encode(user_uuid(HEAVY_INDEX), "-created_at", position)

    def args(
        self, scenario: Scenario, warmup: float, seconds: float, create_rps: float | None
    ) -> tuple[list[object], list[object]]:
        """The wrk script arguments of `scenario`, for its warm-up and for its measured run."""
        key = scenario.key
        if key == "bare":
            return [], []
        if key in ("get", "put", "toggle"):
            same = [key, self.users, self.targets, self.wrk_threads]
            return same, same
        if key in self.lists:
            return [self.users, self.lists[key]], [self.users, self.lists[key]]
        if key == "create":
            return [self.users, ORDINARY_USERS], [self.users, ORDINARY_USERS]
        if key == "mixed":
            same = [self.users, ORDINARY_USERS, self.mixed_targets]
            return same, same
        if key == "delete":
            return self._delete_args(warmup, seconds, create_rps or 2000.0)
        raise ValueError(key)

    def _delete_args(
        self, warmup: float, seconds: float, rate: float
    ) -> tuple[list[object], list[object]]:
        """Distinct tasks to delete: what the create scenario added, topped up through SQL
        to DELETE_HEADROOM times the create rate, split between warm-up and run."""
        warm_count = math.ceil(DELETE_HEADROOM * rate * warmup)
        run_count = math.ceil(DELETE_HEADROOM * rate * seconds)
        pool = self.db.add_deletable(self.layout, warm_count + run_count)
        warm = write_rows(self.workdir / "delete_warm.tsv", pool[:warm_count])
        run = write_rows(self.workdir / "delete_run.tsv", pool[warm_count:])
        return (
            ["delete", self.users, warm, self.wrk_threads],
            ["delete", self.users, run, self.wrk_threads],
        )


def new_secret() -> str:
    return uuid.uuid4().hex + uuid.uuid4().hex
