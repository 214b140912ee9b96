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


BARE = Scenario("bare", "floor: the API's bare endpoint", "bare.lua")
# The same request to a bare FastAPI app (bench/framework_app.py): the framework's ceiling.
FRAMEWORK = Scenario("framework", "ceiling: a bare FastAPI app", "bare.lua")
FLOOR_ROUNDS = 3  # both floors are medians of this many rounds, in turn
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
# Task organization (filters, sorts, search, tags): first pages of 50 of the heavy user's list.
ORGANIZATION_QUERIES = {
    "f-priority": ("filter priority=high", "priority=high"),
    "f-priority-open": ("filter priority=high, open", "priority=high&completed=false"),
    "f-tag": ("filter tag=urgent", "tag=urgent"),
    "f-tag-open": ("filter tag=urgent, open", "tag=urgent&completed=false"),
    "f-tags-all": ("filter tag=work,home (all of)", "tag=work,home"),
    "f-due-before": ("filter due_before", "due_before=2026-04-01T00:00:00Z"),
    "f-due-after-open": (
        "filter due_after, open",
        "due_after=2026-09-01T00:00:00Z&completed=false",
    ),
    "f-overdue": ("filter overdue=true", "overdue=true"),
    "s-due": ("sort due_date", "sort=due_date"),
    "s-due-desc": ("sort -due_date", "sort=-due_date"),
    "s-due-open": ("sort due_date, open", "sort=due_date&completed=false"),
    "s-priority": ("sort -priority", "sort=-priority"),
    "s-priority-open": ("sort -priority, open", "sort=-priority&completed=false"),
    "q-rare": ("search, rare word (audit)", "q=audit"),
    "q-uncommon": ("search, word in 1% (quarterly)", "q=quarterly"),
    "q-common": ("search, common word (seeded)", "q=seeded"),
    "q-rare-sorted": ("search rare word, sort due_date", "q=audit&sort=due_date"),
}
ORGANIZATION = [
    Scenario(key, title, "list.lua") for key, (title, _) in ORGANIZATION_QUERIES.items()
] + [
    Scenario("deep-due", "sort due_date, deep page (cursor)", "list.lua"),
    Scenario("tags", "tags of the heavy user", "list.lua"),
]
SCENARIOS += ORGANIZATION
# MCP tool calls (issue 16), each against the REST call that does the same work.
MCP = [
    Scenario("mcp-get", "MCP get_task", "mcp.lua"),
    Scenario("mcp-list50", "MCP list_tasks, first page of 50", "mcp.lua"),
    Scenario("mcp-create", "MCP add_task", "mcp.lua"),
]
MCP_REST = {"mcp-get": "get", "mcp-list50": "list50", "mcp-create": "create"}
SCENARIOS += MCP
# Offline clients (issue 14): the heavy user's incremental sync, against the first page of
# their list, and writes with an Idempotency-Key, against the same writes without one.
OFFLINE = [
    Scenario("sync0", "sync, 0 changes (heavy user)", "list.lua"),
    Scenario("sync50", "sync, 50 changes (heavy user)", "list.lua"),
    Scenario("create-key", "create (POST) with Idempotency-Key", "create.lua"),
    Scenario("put-key", "full update (PUT) with Idempotency-Key", "target.lua"),
]
# Each offline scenario and the scenario it is compared with are measured in turn,
# KEY_ROUNDS rounds each, and compared median to median: run minutes apart, the same scenario
# moved by 20-30% on this machine. The pair's order alternates from round to round, so that a
# trend over the rounds (the PUT targets' first replacement, autovacuum) weighs on both alike.
KEY_ROUNDS = 5
IN_TURN = {
    "sync0": Scenario("list50-with-sync0", "list, first page of 50, in turn", "list.lua"),
    "sync50": Scenario("list50-with-sync50", "list, first page of 50, in turn", "list.lua"),
    "create-key": Scenario("create-in-turn", "create (POST), in turn", "create.lua"),
    "put-key": Scenario("put-in-turn", "full update (PUT), in turn", "target.lua"),
}
# What each in-turn twin runs.
IN_TURN_PLAIN = {"sync0": "list50", "sync50": "list50", "create-key": "create", "put-key": "put"}
OFFLINE_PLAIN = {key: twin.key for key, twin in IN_TURN.items()}
# The changes each sync scenario returns: its token is written when it runs (Fixtures.args),
# after the write scenarios before it have moved the heavy user's change sequence.
SYNC_CHANGES = {"sync0": 0, "sync50": 50}
SCENARIOS += OFFLINE
# Task events (issue 15): create and PUT as they are (revision 011's outbox trigger writing
# each change's event) and with that trigger switched off (the write as it was before), in
# turn, KEY_ROUNDS rounds each, like the offline pairs.
OUTBOX_PAIRS = {
    "create": (
        Scenario("create-with-outbox", "create (POST), outbox on, in turn", "create.lua"),
        Scenario("create-no-outbox", "create (POST), outbox trigger off, in turn", "create.lua"),
    ),
    "put": (
        Scenario("put-with-outbox", "full update (PUT), outbox on, in turn", "target.lua"),
        Scenario("put-no-outbox", "full update (PUT), outbox trigger off, in turn", "target.lua"),
    ),
}
# Issue 12: "get, create and the plain first page stay within 10% of today's figures", today
# being the API before the organization (bench/run.py --baseline 4b48530): these scenarios on
# both, BASELINE_ROUNDS rounds each, in turn. PUT too: the organization's indexes cost it most.
BASELINE_SCENARIOS = ("get", "list50", "create", "put")
# 5: with 3, the first page's rounds spread from 1,489 to 2,023 req/s (2026-12-06).
BASELINE_ROUNDS = 5
# The organization, MCP and offline scenarios run with this many workers only.
ORGANIZATION_WORKERS = 2
BY_KEY = {
    scenario.key: scenario
    for scenario in [
        FRAMEWORK,
        BARE,
        *SCENARIOS,
        *IN_TURN.values(),
        *(s for pair in OUTBOX_PAIRS.values() for s in pair),
    ]
}
# The price list: the API's bare endpoint with each piece of per-request work switched off in
# turn (BENCH_WITHOUT, bench/bare_app.py), against the same endpoint with everything on; the
# access log, off at the benchmark's LOG_LEVEL=WARNING, priced by switching it on; the rate
# limit priced on get-one (it is a dependency of the API's routes, not a middleware).
FRAMEWORK_APP = "framework_app:app"
PIECES = {
    "edge": "the edge middleware: request id, security headers, body limit, CORS, metrics",
    "metrics": "its metrics (Prometheus, multiprocess files)",
    "db-session": "the database session middleware (no query)",
}
REDIS_URL = "redis://127.0.0.1:6379/0"


@dataclass(frozen=True)
class PriceVariant:
    key: str
    title: str
    scenario: str
    app: str = "bare_app:app"
    env: tuple[tuple[str, str], ...] = ()
    quiet: bool = False  # the server's output to /dev/null (an access log line per request)


PRICE_VARIANTS = [
    PriceVariant("framework", "bare FastAPI app", "framework", FRAMEWORK_APP),
    PriceVariant("api", "the API's bare endpoint, everything on", "bare"),
    *(
        PriceVariant(
            f"without-{piece}", f"… without {title}", "bare", env=(("BENCH_WITHOUT", piece),)
        )
        for piece, title in PIECES.items()
    ),
    PriceVariant(
        "api-logged",
        "… with the access log (LOG_LEVEL=INFO, LOG_FORMAT=json)",
        "bare",
        env=(("LOG_LEVEL", "INFO"), ("LOG_FORMAT", "json")),
        quiet=True,
    ),
    PriceVariant("get", "get one task", "get"),
    PriceVariant(
        "get-rate-limited",
        "get one task, rate limit on (Redis)",
        "get",
        env=(("RATE_LIMIT_PER_MINUTE", "1000000000"), ("REDIS_URL", REDIS_URL)),
    ),
]
PRICE_ROUNDS = 3

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
        self.cursor_secret = cursor_secret
        # Each sync scenario's path file, once written, and the changes it answers with.
        self.sync_paths: dict[str, tuple[Path, int]] = {}
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
            "tags": write_rows(
                workdir / "tags.tsv", [(HEAVY_INDEX, f"/api/{user_uuid(HEAVY_INDEX)}/tags")]
            ),
        }
        if db.has_due_dates():  # not a checkout from before the organization (--repo)
            due_page = f"{heavy}?sort=due_date&limit={PAGE}&cursor={self._deep_due(cursor_secret)}"
            self.lists["deep-due"] = write_rows(workdir / "deep-due.tsv", [(HEAVY_INDEX, due_page)])
        for key, (_, query) in ORGANIZATION_QUERIES.items():
            self.lists[key] = write_rows(
                workdir / f"{key}.tsv", [(HEAVY_INDEX, f"{heavy}?limit={PAGE}&{query}")]
            )

    def _deep_cursor(self, secret: str) -> str:
        """The cursor the API's Link header gives on page deep_page - 1 (signed the same way)."""
        from src.core.pagination import CursorCodec, Position
        from src.models import TaskListQuery

        task_id, created_at = self.db.deep_position(self.layout)
        position = Position(key=created_at, task_id=task_id)
        scope = TaskListQuery.model_validate({}).filter_scope()
        return CursorCodec(secret).encode(user_uuid(HEAVY_INDEX), "-created_at", position, scope)

    def _deep_due(self, secret: str) -> str:
        """The cursor of page deep_page of the heavy user's list by due date."""
        from src.core.pagination import CursorCodec, Position
        from src.models import TaskListQuery

        task_id, due = self.db.deep_position(self.layout, sort="due_date")
        scope = TaskListQuery.model_validate({"sort": "due_date"}).filter_scope()
        position = Position(key=due, task_id=task_id)
        return CursorCodec(secret).encode(user_uuid(HEAVY_INDEX), "due_date", position, scope)

    def args(
        self, scenario: Scenario, warmup: float, seconds: float, create_rps: float | None
    ) -> tuple[list[object], list[object]]:
        """The wrk script arguments of `scenario`, for its warm-up and for its measured run."""
        key = scenario.key
        if key in ("bare", "framework"):
            return [], []
        if key in ("get", "put", "toggle", "put-key"):
            same = [key, self.users, self.targets, self.wrk_threads]
            return same, same
        if key in self.lists:
            return [self.users, self.lists[key]], [self.users, self.lists[key]]
        if key in SYNC_CHANGES:
            path = self._sync_path(key)
            return [self.users, path], [self.users, path]
        if key == "create":
            return [self.users, ORDINARY_USERS], [self.users, ORDINARY_USERS]
        if key == "create-key":
            return [self.users, ORDINARY_USERS, "key"], [self.users, ORDINARY_USERS, "key"]
        if key == "mixed":
            same = [self.users, ORDINARY_USERS, self.mixed_targets]
            return same, same
        if key == "delete":
            return self._delete_args(warmup, seconds, create_rps or 2000.0)
        if key == "mcp-get":
            return ["get_task", self.users, self.targets], ["get_task", self.users, self.targets]
        if key == "mcp-list50":
            same = ["list_tasks", self.users, HEAVY_INDEX]
            return same, same
        if key == "mcp-create":
            same = ["add_task", self.users, ORDINARY_USERS]
            return same, same
        raise ValueError(key)

    def _sync_path(self, key: str) -> Path:
        """The heavy user's incremental sync from the point of their change sequence after
        which exactly SYNC_CHANGES[key] changes follow (fewer when they have fewer), as the
        sequence stands now: written when the scenario runs, not with the other paths."""
        from src.core.pagination import CursorCodec
        from src.core.sync_tokens import SyncPosition, encode_token

        seq, changes = self.db.sync_point(SYNC_CHANGES[key])
        heavy = user_uuid(HEAVY_INDEX)
        position = SyncPosition(seq=seq, epoch=self.db.sync_epoch())
        token = encode_token(CursorCodec(self.cursor_secret), heavy, position)
        path = write_rows(
            self.workdir / f"{key}.tsv",
            [(HEAVY_INDEX, f"/api/{heavy}/sync?limit={PAGE}&token={token}")],
        )
        self.sync_paths[key] = (path, changes)
        return path

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
