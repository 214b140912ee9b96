#!/usr/bin/env python3
"""The Task API benchmark: `make bench` (see docs/performance.md for the results).

Starts the API with its production serving command (scripts/serve) against a database of its
own (`taskapi_bench`, on the embedded server or DATABASE_URL's server), seeds it through SQL at
each table size, drives every scenario with wrk over loopback for a bounded time, measures the
floors (a bare async endpoint of the same app; pgbench running the SQL of get-one and of a
first page), and writes docs/performance.md and docs/performance.png.

    backend/.venv/bin/python bench/run.py                  # the full matrix (~12 min)
    backend/.venv/bin/python bench/run.py --memory 10      # 10-minute mixed run, worker RSS
    backend/.venv/bin/python bench/run.py --profile        # py-spy profiles of one worker
    backend/.venv/bin/python bench/run.py --ha             # one server vs a pg_auto_failover pair
    backend/.venv/bin/python bench/run.py --events --scales 1000   # relay, delivery, streams
    backend/.venv/bin/python bench/run.py --scales 1000 --workers 2 --seconds 3 --no-docs
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from driver.layout import BENCH_DIR, DOC, PLOT, REPO_ROOT, RESULTS_DIR, Layout

sys.path.insert(0, str(REPO_ROOT / "backend"))  # src.* (settings, cursor codec), before driver.*

from driver import machine, profiling, report
from driver.database import NAME, BenchDatabase
from driver.events import events as task_events
from driver.load import Measurement, Wrk
from driver.scenarios import (
    BARE,
    BASELINE_ROUNDS,
    BASELINE_SCENARIOS,
    BY_KEY,
    DB_FLOORS,
    FLOOR_ROUNDS,
    FRAMEWORK,
    FRAMEWORK_APP,
    IN_TURN,
    IN_TURN_PLAIN,
    KEY_ROUNDS,
    MCP,
    OFFLINE,
    ORGANIZATION,
    ORGANIZATION_WORKERS,
    OUTBOX_PAIRS,
    PRICE_ROUNDS,
    PRICE_VARIANTS,
    SCENARIOS,
    Fixtures,
    new_secret,
)
from driver.server import (
    BARE_PATH,
    Server,
    cpu_times,
    cpu_used,
    rss_mib,
    server_environment,
)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    ints = lambda text: [int(float(part)) for part in text.split(",")]  # noqa: E731
    parser.add_argument(
        "--scales",
        type=ints,
        default=[1_000, 100_000, 1_000_000],
        help="table sizes (tasks), comma-separated",
    )
    parser.add_argument("--workers", type=ints, default=[1, 2], help="worker counts")
    parser.add_argument(
        "--scenarios",
        default=",".join(s.key for s in SCENARIOS),
        help="comma-separated subset of: " + ", ".join(BY_KEY),
    )
    parser.add_argument("--seconds", type=float, default=8, help="measured seconds per run")
    parser.add_argument("--warmup", type=float, default=2, help="warm-up seconds per run")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument(
        "--repo",
        type=Path,
        default=REPO_ROOT,
        help="serve and migrate this checkout (to measure a change)",
    )
    parser.add_argument(
        "--server-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="extra setting for the API, e.g. DB_POOL_SIZE=20",
    )
    parser.add_argument("--label", default="matrix", help="results file: bench-results/LABEL.json")
    parser.add_argument("--no-docs", action="store_true", help="do not write docs/performance.*")
    parser.add_argument(
        "--recreate-db",
        action="store_true",
        help="drop taskapi_bench first (a checkout with other revisions)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the table when it already holds the scale's seeded rows",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--memory",
        type=float,
        metavar="MINUTES",
        help="only the memory run: mixed load for MINUTES on the largest scale",
    )
    mode.add_argument("--profile", action="store_true", help="only py-spy profiles of a worker")
    mode.add_argument(
        "--ha",
        action="store_true",
        help="only high availability: writes and reads on one server, then on a "
        "pg_auto_failover primary with a synchronous standby (reads on either), smallest scale",
    )
    mode.add_argument(
        "--events",
        action="store_true",
        help="only task events: relay throughput to a NATS JetStream of its own, commit-to-"
        "delivery delay under the mixed load, 1,000 idle live-update streams; smallest scale",
    )
    mode.add_argument(
        "--prices",
        action="store_true",
        help="only the price list: each piece of per-request work switched off in turn",
    )
    mode.add_argument(
        "--baseline",
        metavar="REF",
        help="only get, list50, create and put on a checkout of REF (e.g. 4b48530, the API before "
        "the organization) and on this one, in turn, at the largest scale",
    )
    mode.add_argument("--report-only", action="store_true", help="rewrite the docs from results")
    parser.add_argument(
        "--no-prices", action="store_true", help="the matrix without the price list (8 min)"
    )
    return parser.parse_args(argv)


def check_tools() -> None:
    missing = {
        "wrk": "sudo apt-get install wrk  (macOS: brew install wrk)",
        "pgbench": "sudo apt-get install postgresql-client  (macOS: brew install libpq)",
    }
    absent = [f"  {tool}: {how}" for tool, how in missing.items() if shutil.which(tool) is None]
    if absent:
        sys.exit("the benchmark needs:\n" + "\n".join(absent))


def in_rounds(
    layout: Layout, workers: int, medians: dict[str, tuple[Measurement, list[float]]]
) -> list[dict[str, Any]]:
    """The results' rows of scenarios measured in rounds (`medians`), each line reported."""
    rows = []
    for key, (result, rounds) in medians.items():
        rows.append(
            {
                "tasks": layout.tasks,
                "workers": workers,
                "scenario": key,
                **result.as_dict(),
                "rounds_rps": rounds,
            }
        )
        report_line(layout, f"{workers}w", f"{key} (median)", result)
    return rows


def medians(results: dict[str, list[Measurement]]) -> dict[str, tuple[Measurement, list[float]]]:
    """Rounds measured in turn: each one's median round by req/s, and every round's req/s."""
    return {
        key: (sorted(runs, key=lambda m: m.rps)[len(runs) // 2], [round(m.rps) for m in runs])
        for key, runs in results.items()
    }


class Bench:
    """One invocation: the database, secrets, wrk settings, and the results collected."""

    def __init__(self, args: argparse.Namespace, name: str = NAME, work: str = "work") -> None:
        self.args = args
        self.repo = args.repo.resolve()
        RESULTS_DIR.mkdir(exist_ok=True)
        self.workdir = RESULTS_DIR / work
        self.workdir.mkdir(exist_ok=True)
        (RESULTS_DIR / "server.log").write_text("")  # the servers of this run only
        self.db = BenchDatabase.create(self.repo / "backend", args.recreate_db, name)
        self.db.migrate()
        self.jwt_secret, self.cursor_secret = new_secret(), new_secret()
        self.env = server_environment(self.db.uri, self.jwt_secret, self.cursor_secret)
        self.env.update(dict(item.split("=", 1) for item in args.server_env))
        self.scenarios = [BY_KEY[key] for key in args.scenarios.split(",") if key != "bare"]
        self.postmaster = self.db.postmaster_pid()

    def server(
        self,
        workers: int,
        app: str = "bare_app:app",
        env: dict[str, str] | None = None,
        log: Path | None = None,
    ) -> Server:
        return Server(
            self.repo,
            workers,
            {**self.env, **(env or {})},
            log or RESULTS_DIR / "server.log",
            app,
        )

    def prepare(self, tasks: int) -> tuple[Layout, Fixtures, float]:
        layout = Layout(tasks)
        started = time.monotonic()
        if self.args.reuse and self.db.holds(layout):
            self.db.restore(layout)
        else:
            self.db.seed(layout)
        seeded = time.monotonic() - started
        fixtures = Fixtures(
            self.db, layout, self.workdir, self.jwt_secret, self.cursor_secret, self.args.threads
        )
        say(
            f"{layout.label()}: seeded {tasks:,} tasks in {seeded:.1f} s "
            f"(heavy user: {layout.heavy_tasks:,}; deep page: {layout.deep_page})"
        )
        return layout, fixtures, seeded

    def wrk(self, server: Server) -> Wrk:
        return Wrk(server.url, self.args.connections, self.args.threads)

    def measure(
        self, server: Server, fixtures: Fixtures, key: str, create_rps: float | None
    ) -> Measurement:
        scenario = BY_KEY[key]
        warm_args, run_args = fixtures.args(
            scenario, self.args.warmup, self.args.seconds, create_rps
        )
        if key in fixtures.sync_paths:
            check_sync(server, fixtures, key)
        path = BARE_PATH if key in ("bare", "framework") else "/"
        wrk = self.wrk(server)
        if self.args.warmup > 0:
            wrk.run(scenario.script, warm_args, self.args.warmup, path)
        workers = server.worker_pids()
        api_before = cpu_times(workers)
        db_before = cpu_times(self.db.backend_pids()) if self.postmaster else {}
        result = wrk.run(scenario.script, run_args, self.args.seconds, path)
        requests = max(result.requests, 1)
        result.api_cpu_us = round(cpu_used(api_before, workers) / requests * 1e6, 1)
        if self.postmaster:  # a local server: its backends' CPU time is readable here
            result.db_cpu_us = round(
                cpu_used(db_before, self.db.backend_pids()) / requests * 1e6, 1
            )
        return result

    # -- modes -------------------------------------------------------------------------------
    def matrix(self) -> dict[str, Any]:
        runs: list[dict[str, Any]] = []
        db_floors: list[dict[str, Any]] = []
        seeding: dict[int, float] = {}
        for tasks in self.args.scales:
            layout, fixtures, seeding[tasks] = self.prepare(tasks)
            for key, script in DB_FLOORS.items():
                self.db.pgbench(
                    script, layout, self.args.warmup, self.args.connections, self.workdir
                )
                result = self.db.pgbench(
                    script, layout, self.args.seconds, self.args.connections, self.workdir
                )
                db_floors.append({"tasks": tasks, "scenario": key, **result.as_dict()})
                report_line(layout, "sql", f"pgbench {script}", result)
            for workers in self.args.workers:
                with self.server(workers) as server:
                    smoke_test(server, fixtures, mcp=any(s in MCP for s in self.scenarios))
                    with self.server(workers, FRAMEWORK_APP) as ceiling:
                        floors = self.floors(server, ceiling, fixtures)
                    runs += in_rounds(layout, workers, floors)
                    create_rps = None
                    for scenario in self.scenarios:
                        if (
                            scenario in ORGANIZATION + MCP + OFFLINE
                            and workers != ORGANIZATION_WORKERS
                        ):
                            continue  # their targets are set at 2 workers: half the run time
                        if scenario.key in IN_TURN:
                            pair = self.in_turn(server, fixtures, scenario.key, create_rps)
                            runs += in_rounds(layout, workers, pair)
                            continue
                        result = self.measure(server, fixtures, scenario.key, create_rps)
                        create_rps = result.rps if scenario.key == "create" else create_rps
                        runs.append(
                            {
                                "tasks": tasks,
                                "workers": workers,
                                "scenario": scenario.key,
                                **result.as_dict(),
                            }
                        )
                        report_line(layout, f"{workers}w", scenario.key, result)
                    if workers == ORGANIZATION_WORKERS:
                        pairs = self.outbox_pairs(server, fixtures, create_rps)
                        runs += in_rounds(layout, workers, pairs)
                self.db.restore(layout)
            if tasks == self.args.scales[0] and not self.args.no_prices:
                self.write_prices(self.prices(layout, fixtures))
        return {
            "runs": runs,
            "db_floors": db_floors,
            "seed_seconds": seeding,
            "indexes": self.db.indexes(),
        }

    def floors(
        self, server: Server, ceiling: Server, fixtures: Fixtures
    ) -> dict[str, tuple[Measurement, list[float]]]:
        """The two floors, FLOOR_ROUNDS rounds in turn (both servers up, one loaded at a
        time): the median round of each by req/s, and every round's req/s. One run each
        moved by 15% from one scale to the next on this machine (performance.md)."""
        results: dict[str, list[Measurement]] = {FRAMEWORK.key: [], BARE.key: []}
        for _ in range(FLOOR_ROUNDS):
            results[FRAMEWORK.key].append(self.measure(ceiling, fixtures, FRAMEWORK.key, None))
            results[BARE.key].append(self.measure(server, fixtures, BARE.key, None))
        return medians(results)

    def in_turn(
        self, server: Server, fixtures: Fixtures, key: str, create_rps: float | None
    ) -> dict[str, tuple[Measurement, list[float]]]:
        """A keyed write (IN_TURN) and its plain twin, KEY_ROUNDS rounds in turn, the order
        alternating: the median round of each by req/s, and every round's req/s; the twin
        under its in-turn key."""
        twin = IN_TURN[key].key
        results: dict[str, list[Measurement]] = {twin: [], key: []}
        for _, (name, scenario) in alternating([(twin, IN_TURN_PLAIN[key]), (key, key)]):
            results[name].append(self.measure(server, fixtures, scenario, create_rps))
        return medians(results)

    def outbox_pairs(
        self, server: Server, fixtures: Fixtures, create_rps: float | None
    ) -> dict[str, tuple[Measurement, list[float]]]:
        """Create and PUT (when selected) with the outbox trigger on and off, KEY_ROUNDS rounds
        in turn, the order alternating: the median round of each."""
        selected = {scenario.key for scenario in self.scenarios}
        results: dict[str, list[Measurement]] = {}
        for key, (on, off) in OUTBOX_PAIRS.items():
            if key not in selected or not self.db.has("outbox_events"):  # (--repo: before 011)
                continue
            results[on.key], results[off.key] = [], []
            for _, (name, enabled) in alternating([(on.key, True), (off.key, False)]):
                self.db.set_outbox_trigger(enabled)
                try:
                    results[name].append(self.measure(server, fixtures, key, create_rps))
                finally:
                    self.db.set_outbox_trigger(True)
        return medians(results)

    def prices(self, layout: Layout, fixtures: Fixtures) -> dict[str, Any]:  # reads only
        """Each variant of PRICE_VARIANTS on a server of its own, 2 workers, PRICE_ROUNDS
        rounds in turn (so that a slow minute of the machine hits every variant alike); the
        report takes each variant's median."""
        rounds: list[dict[str, Any]] = []
        for round_number in range(1, PRICE_ROUNDS + 1):
            for variant in PRICE_VARIANTS:
                quiet = Path(os.devnull) if variant.quiet else None
                with self.server(2, variant.app, dict(variant.env), quiet) as server:
                    result = self.measure(server, fixtures, variant.scenario, None)
                rounds.append({"round": round_number, "variant": variant.key, **result.as_dict()})
                report_line(layout, "2w", f"{variant.key} #{round_number}", result)
        return {"tasks": layout.tasks, "workers": 2, "rounds": rounds}

    @staticmethod
    def write_prices(data: dict[str, Any]) -> None:
        (RESULTS_DIR / "prices.json").write_text(json.dumps(data, indent=1))

    def memory(self, minutes: float) -> dict[str, Any]:
        layout, fixtures, _ = self.prepare(max(self.args.scales))
        warmup = max(60.0, self.args.warmup)
        with self.server(2) as server:
            wrk = self.wrk(server)
            args = fixtures.args(BY_KEY["mixed"], 0, 0, None)[1]
            say(f"memory: {warmup:.0f} s warm-up, then {minutes:g} min of the mixed workload")
            wrk.run("mixed.lua", args, warmup)
            samples: list[dict[str, Any]] = []
            outcome: dict[str, Measurement] = {}
            runner = threading.Thread(
                target=lambda: outcome.setdefault("run", wrk.run("mixed.lua", args, minutes * 60))
            )
            started = time.monotonic()
            runner.start()
            while runner.is_alive():
                pids = server.worker_pids()
                samples.append(
                    {
                        "t": round(time.monotonic() - started, 1),
                        "rss_mib": {str(pid): round(rss_mib(pid), 1) for pid in pids},
                    }
                )
                runner.join(timeout=10)
            pids = server.worker_pids()
            samples.append(
                {
                    "t": round(time.monotonic() - started, 1),
                    "rss_mib": {str(pid): round(rss_mib(pid), 1) for pid in pids},
                }
            )
        self.db.restore(layout)
        result = outcome["run"]
        report_line(layout, "2w", "mixed (memory)", result)
        return {
            "tasks": layout.tasks,
            "minutes": minutes,
            "warmup_seconds": warmup,
            "result": result.as_dict(),
            "samples": samples,
        }

    def profile(self) -> dict[str, Any]:
        layout, fixtures, _ = self.prepare(max(self.args.scales))
        profiles = {}
        with self.server(2) as server:
            wrk = self.wrk(server)
            for key in ("get", "list50", "create", "mixed"):
                warm_args, run_args = fixtures.args(
                    BY_KEY[key], self.args.warmup, self.args.seconds, None
                )
                wrk.run(BY_KEY[key].script, warm_args, self.args.warmup)
                pid = server.worker_pids()[0]
                recorder = profiling.start(
                    pid, self.args.seconds, self.workdir / f"profile-{key}.txt"
                )
                result = wrk.run(BY_KEY[key].script, run_args, self.args.seconds + 1)
                profiles[key] = {"result": result.as_dict(), **profiling.finish(recorder)}
                report_line(layout, "2w", f"{key} (py-spy)", result)
        self.db.restore(layout)
        return {"tasks": layout.tasks, "profiles": profiles}

    def baseline(self, ref: str) -> dict[str, Any]:
        """Issue 12's "get, create and the plain first page stay within 10% of today's": the
        same scenarios on a checkout of `ref` (the API before the organization) and on this
        one, each with a database of its own seeded by its own seed.sql, at the largest scale,
        2 workers, BASELINE_ROUNDS rounds each in turn, which side goes first alternating."""
        tasks = max(self.args.scales)
        checkout = baseline_checkout(ref)
        other = argparse.Namespace(**{**vars(self.args), "repo": checkout, "recreate_db": True})
        sides = {
            "head": self,
            "baseline": Bench(other, f"{NAME}_baseline", "work-baseline"),
        }
        prepared = {name: bench.prepare(tasks)[:2] for name, bench in sides.items()}
        runs = []
        for round_number, name in alternating(list(sides), BASELINE_ROUNDS):
            bench, (layout, fixtures) = sides[name], prepared[name]
            with bench.server(2) as server:
                smoke_test(server, fixtures, mcp=False)
                for key in BASELINE_SCENARIOS:
                    result = bench.measure(server, fixtures, key, None)
                    runs.append({"side": name, "scenario": key, **result.as_dict()})
                    report_line(layout, "2w", f"{key} ({name} #{round_number + 1})", result)
            bench.db.restore(layout)
        commit = _git(checkout, "log", "-1", "--format=%h %s")
        return {"tasks": tasks, "ref": ref, "baseline_commit": commit, "runs": runs}

    def ha(self) -> dict[str, Any]:
        """The same scenarios, 2 workers, at the smallest scale: on this run's server; on a
        pg_auto_failover formation of its own (a primary with a synchronous standby: every
        commit waits for the standby's flush); and on that formation with DATABASE_READ_URL
        (reads on the standby, read-your-writes through Redis)."""
        from tests.support.auto_failover import AutoFailoverFormation

        tasks, runs = min(self.args.scales), []

        def measure_all(setup: str, bench: "Bench") -> None:
            layout, fixtures, _ = bench.prepare(tasks)
            with bench.server(2) as server:
                smoke_test(server, fixtures)
                for key in HA_SCENARIOS:
                    result = bench.measure(server, fixtures, key, None)
                    runs.append({"setup": setup, "scenario": key, **result.as_dict()})
                    report_line(layout, "2w", f"{key} ({setup})", result)
            bench.db.restore(layout)

        measure_all("one server", self)
        with AutoFailoverFormation() as formation:
            say(f"pg_auto_failover formation: {formation.uri}")
            os.environ["DATABASE_URL"] = formation.uri
            pair = Bench(self.args)
            measure_all("pair", pair)
            pair.env.update(
                DATABASE_READ_URL=formation.uri_with("prefer-standby", database=NAME),
                REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"),
                # The read-only scenarios commit nothing: with the default 60 s, a standby
                # that replayed nothing lately would (rightly) send every read to the primary.
                DATABASE_READ_STICKY_SECONDS="3600",
            )
            measure_all("pair, reads on the standby", pair)
        return {"tasks": tasks, "runs": runs}


T = TypeVar("T")


def alternating(order: list[T], rounds: int = KEY_ROUNDS) -> Iterator[tuple[int, T]]:
    """(round, item): each item of `order` once per round, which goes first alternating, so
    that a trend over the rounds (tasks warming, autovacuum) weighs on every item alike."""
    for round_number in range(rounds):
        for item in order if round_number % 2 == 0 else order[::-1]:
            yield round_number, item


def baseline_checkout(ref: str) -> Path:
    """A worktree of `ref` in bench-results/ (made once), using this checkout's virtualenv
    (bench/README.md, "Measuring a change")."""
    commit = _git(REPO_ROOT, "rev-parse", "--short", f"{ref}^{{commit}}")
    path = RESULTS_DIR / f"baseline-{commit}"
    if not path.exists():
        _git(REPO_ROOT, "worktree", "add", "--detach", str(path), commit)
        (path / "backend" / ".venv").symlink_to(REPO_ROOT / "backend" / ".venv")
    return path


def _git(repo: Path, *command: str) -> str:
    result = subprocess.run(
        ["git", "-C", str(repo), *command], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


# Writes pay the synchronous standby; reads may move to it.
HA_SCENARIOS = ("create", "put", "toggle", "get", "list50")


def smoke_test(server: Server, fixtures: Fixtures, mcp: bool = True) -> None:
    """One authenticated read, and (`mcp`) the same read as an MCP tool call, before
    measuring, so that a misconfiguration fails loudly (a tool error is an HTTP 200 that wrk
    would count as a success)."""
    index, task_id = fixtures.targets.read_text().split("\n", 1)[0].split("\t")
    user = fixtures.users.read_text().splitlines()[int(index)].split("\t")
    auth = {"Authorization": f"Bearer {user[2]}"}
    _smoke(urllib.request.Request(f"{server.url}/api/{user[1]}/tasks/{task_id}", headers=auth))
    if not mcp:  # no MCP scenario selected (or a checkout from before the MCP server)
        return
    meta = {  # what bench/mcp.lua sends: the SDK client's 2026-07-28 form
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientInfo": {"name": "bench", "version": "1"},
        "io.modelcontextprotocol/clientCapabilities": {},
    }
    call = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "tools/call",
        "params": {"name": "get_task", "arguments": {"task_id": int(task_id)}, "_meta": meta},
    }
    headers = {
        **auth,
        "Content-Type": "application/json",
        "Accept": "application/json, text/event-stream",
        "MCP-Protocol-Version": "2026-07-28",
        "Mcp-Method": "tools/call",
        "Mcp-Name": "get_task",
    }
    body = _smoke(urllib.request.Request(f"{server.url}/mcp", json.dumps(call).encode(), headers))
    result = json.loads(body).get("result", {})
    if result.get("isError") or "structuredContent" not in result:
        sys.exit(f"smoke test: the get_task tool answered {body[:500]!r}")


def check_sync(server: Server, fixtures: Fixtures, key: str) -> None:
    """The sync path the scenario is about to load answers with the number of changes it was
    written for (a 200 with another number would count as a success in wrk)."""
    paths, wanted = fixtures.sync_paths[key]
    index, path = paths.read_text().split("\n", 1)[0].split("\t")
    user = fixtures.users.read_text().splitlines()[int(index)].split("\t")
    auth = {"Authorization": f"Bearer {user[2]}"}
    request = urllib.request.Request(f"{server.url}{path}", headers=auth)  # noqa: S310 (http://)
    page = json.loads(_smoke(request))
    changes = len(page["tasks"]) + len(page["deleted"])
    if changes != wanted or page["has_more"] or page["full"]:
        sys.exit(
            f"smoke test: {key} answered {changes} changes (has_more {page['has_more']}, "
            f"full {page['full']}), not {wanted}"
        )


def _smoke(request: urllib.request.Request) -> bytes:
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            body: bytes = response.read()
            return body
    except urllib.error.HTTPError as error:
        sys.exit(
            f"smoke test: {request.get_method()} {request.full_url} answered {error.code}: "
            f"{error.read()[:500]!r}"
        )


def say(text: str) -> None:
    print(text, flush=True)


def report_line(layout: Layout, who: str, what: str, m: Measurement) -> None:
    cpu = "" if m.api_cpu_us is None else f"  cpu/req: api {m.api_cpu_us:6.0f} µs"
    cpu += "" if m.db_cpu_us is None else f", db {m.db_cpu_us:5.0f} µs"
    say(
        f"  {layout.label():>5} {who:>3} {what:<24} {m.rps:9.0f} req/s  p50 {m.p50_ms:7.2f} ms"
        f"  p99 {m.p99_ms:7.2f} ms  errors {m.errors}{cpu}"
    )


def invocation(argv: list[str]) -> str:
    if "MAKELEVEL" in os.environ:
        extra = os.environ.get("BENCH_ARGS", "").strip()
        return "make bench" + (f' BENCH_ARGS="{extra}"' if extra else "")
    return "backend/.venv/bin/python bench/run.py " + " ".join(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    results_file = RESULTS_DIR / f"{args.label}.json"
    if not args.report_only:
        check_tools()
        started, clock = datetime.now(UTC), time.monotonic()
        bench = Bench(args)
        meta = machine.describe(bench.db, bench.repo, invocation(argv), args)
        if args.memory is not None:
            data, results_file = bench.memory(args.memory), RESULTS_DIR / "memory.json"
        elif args.profile:
            data, results_file = bench.profile(), RESULTS_DIR / "profile.json"
        elif args.ha:
            data, results_file = bench.ha(), RESULTS_DIR / "ha.json"
        elif args.events:
            data, results_file = task_events(bench), RESULTS_DIR / "events.json"
        elif args.baseline:
            data, results_file = bench.baseline(args.baseline), RESULTS_DIR / "baseline.json"
        elif args.prices:
            layout, fixtures, _ = bench.prepare(min(args.scales))
            data, results_file = bench.prices(layout, fixtures), RESULTS_DIR / "prices.json"
            bench.db.restore(layout)
        else:
            data = bench.matrix()
        meta.update(
            started=started.isoformat(timespec="seconds"),
            wall_seconds=round(time.monotonic() - clock),
        )
        results_file.write_text(json.dumps({"meta": meta, **data}, indent=1, default=str))
        say(f"results: {results_file.relative_to(REPO_ROOT)} ({meta['wall_seconds']} s)")
    if not args.no_docs:
        report.write(RESULTS_DIR, DOC, PLOT)
        say(f"wrote {DOC.relative_to(REPO_ROOT)} and {PLOT.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    os.chdir(BENCH_DIR)
    sys.exit(main(sys.argv[1:]))
