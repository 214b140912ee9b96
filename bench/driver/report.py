"""docs/performance.md and docs/performance.png, from the JSON results in bench-results/."""

# ruff: noqa: RUF001  (the report is typeset: en dashes for "none", the times sign)

import json
import math
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from driver.layout import BENCH_DIR, Layout
from driver.scenarios import (
    BASELINE_ROUNDS,
    BASELINE_SCENARIOS,
    BY_KEY,
    KEY_ROUNDS,
    MCP,
    MCP_REST,
    OFFLINE,
    OFFLINE_PLAIN,
    ORGANIZATION,
    ORGANIZATION_WORKERS,
    OUTBOX_PAIRS,
    PRICE_VARIANTS,
    SCENARIOS,
    SYNC_CHANGES,
)

TARGET_WORKERS = 2
# Shares of the framework's ceiling (bench/framework_app.py), measured in the same run.
SHARE_TARGETS = {"bare": 0.85, "get": 0.35, "list50": 0.25, "create": 0.25, "mixed": 0.25}
SCALE_TARGET = 0.90
DEEP_TARGET = 0.90
TAIL_TARGET = 5.0
MEMORY_TARGET = 0.10
# Offline clients (issue 14): an incremental sync of the heavy user, 0 or 50 changes, over the
# first page of their list at 10^6 tasks; a write with an Idempotency-Key over the same write
# without one (within 15%), at every size.
SYNC_TARGET = 0.90
SYNC_TARGET_TASKS = 1_000_000
KEY_TARGET = 0.85
# Task events (issue 15): a write with the outbox over the same write without it (the
# trigger off), within 15%, at every size.
OUTBOX_TARGET = 0.85
NOT_MEASURED = "not measured"


def _load(directory: Path, name: str) -> dict[str, Any] | None:
    path = directory / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


class Results:
    """The matrix's runs, indexed by (tasks, workers, scenario)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.meta = data["meta"]
        self.runs = {(r["tasks"], r["workers"], r["scenario"]): r for r in data["runs"]}
        self.db = {(r["tasks"], r["scenario"]): r for r in data["db_floors"]}
        self.scales = sorted({r["tasks"] for r in data["runs"]})
        self.workers = sorted({r["workers"] for r in data["runs"]})
        present = {r["scenario"] for r in data["runs"]}
        self.scenarios = [s.key for s in SCENARIOS if s.key in present]

    def get(self, tasks: int, workers: int, key: str) -> dict[str, Any] | None:
        return self.runs.get((tasks, workers, key))

    def share_of_bare(self, tasks: int, workers: int, key: str) -> float | None:
        run, bare = self.get(tasks, workers, key), self.get(tasks, workers, "bare")
        return run["rps"] / bare["rps"] if run and bare else None

    def share_of_framework(self, tasks: int, workers: int, key: str) -> float | None:
        run, ceiling = self.get(tasks, workers, key), self.get(tasks, workers, "framework")
        return run["rps"] / ceiling["rps"] if run and ceiling else None

    def cpu_share_of_framework(self, tasks: int, workers: int, key: str) -> float | None:
        mine, ceiling = self.cost(tasks, workers, key), self.cost(tasks, workers, "framework")
        return ceiling / mine if mine and ceiling else None

    def cpu_share_of(self, tasks: int, workers: int, key: str, other: str) -> float | None:
        """The throughput share over `other` that CPU cost predicts: its CPU per request over
        this one's (API + database)."""
        mine, theirs = self.cost(tasks, workers, key), self.cost(tasks, workers, other)
        return theirs / mine if mine and theirs else None

    def cost(self, tasks: int, workers: int, key: str) -> float | None:
        """CPU per request, API workers + database backends, µs (None when not measured)."""
        run = self.get(tasks, workers, key)
        if not run or run.get("api_cpu_us") is None:
            return None
        return float(run["api_cpu_us"] + (run.get("db_cpu_us") or 0.0))

    def cpu_share_of_bare(self, tasks: int, workers: int, key: str) -> float | None:
        """The throughput share CPU cost predicts: bare's CPU per request over this one's."""
        mine, bare = self.cost(tasks, workers, key), self.cost(tasks, workers, "bare")
        return bare / mine if mine and bare else None

    def cpu_scale_ratio(self, workers: int, key: str) -> float | None:
        if len(self.scales) < 2:
            return None
        low, high = (
            self.cost(self.scales[0], workers, key),
            self.cost(self.scales[-1], workers, key),
        )
        return low / high if low and high else None

    def scale_ratio(self, workers: int, key: str) -> float | None:
        if len(self.scales) < 2:
            return None
        low, high = self.get(self.scales[0], workers, key), self.get(self.scales[-1], workers, key)
        return high["rps"] / low["rps"] if low and high else None


# -- formatting -------------------------------------------------------------------------------
def pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.0f}%"


def num(x: float) -> str:
    return f"{x:,.0f}"


def ms(x: float) -> str:
    return f"{x:.1f}" if x >= 10 else f"{x:.2f}"


def _cpu(us: float | None) -> str:
    return "–" if us is None else f"{us:,.0f}"


def label(tasks: int) -> str:
    return Layout(tasks).label()


def table(header: list[str], rows: Iterable[list[str]], align: str = "") -> list[str]:
    align = align or "l" + "r" * (len(header) - 1)
    marks = {"l": "---", "r": "---:", "c": ":---:"}
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(marks[a] for a in align) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def verdict(ok: bool | None) -> str:
    return "–" if ok is None else ("**met**" if ok else "**missed**")


# -- sections ---------------------------------------------------------------------------------
def targets_section(r: Results, memory: dict[str, Any] | None) -> list[str]:
    w = TARGET_WORKERS if TARGET_WORKERS in r.workers else r.workers[-1]
    header = ["target (" + f"{w} workers)", *[label(t) for t in r.scales], "verdict"]
    rows = []
    for key, floor in SHARE_TARGETS.items():
        if key not in [*r.scenarios, "bare"] or not r.get(r.scales[0], w, "framework"):
            continue
        shares = [r.share_of_framework(t, w, key) for t in r.scales]
        by_cpu = [r.cpu_share_of_framework(t, w, key) for t in r.scales]
        ok = all(s is not None and s >= floor for s in shares)
        cells = [f"{pct(a)} (CPU: {pct(b)})" for a, b in zip(shares, by_cpu, strict=True)]
        title = "the API's bare endpoint" if key == "bare" else BY_KEY[key].title
        rows.append([f"{title} ≥ {pct(floor)} of bare FastAPI", *cells, verdict(ok)])
    if "deep" in r.scenarios and "list50" in r.scenarios:
        ratios = [_ratio(r.get(t, w, "deep"), r.get(t, w, "list50")) for t in r.scales]
        ok = all(x is not None and x >= DEEP_TARGET for x in ratios)
        rows.append(
            [f"deep page ≥ {pct(DEEP_TARGET)} of first page", *map(pct, ratios), verdict(ok)]
        )
    if len(r.scales) > 1:
        worst = min(r.scenarios, key=lambda k: r.scale_ratio(w, k) or math.inf)
        ratio = r.scale_ratio(w, worst)
        worst_cpu = min(r.scenarios, key=lambda k: r.cpu_scale_ratio(w, k) or math.inf)
        cells = ["–"] * (len(r.scales) - 1) + [
            f"worst: {BY_KEY[worst].title}, {pct(ratio)} (CPU: {BY_KEY[worst_cpu].title}, "
            f"{pct(r.cpu_scale_ratio(w, worst_cpu))})"
        ]
        ok = ratio is not None and ratio >= SCALE_TARGET
        rows.append(
            [
                f"every scenario at {label(r.scales[-1])} ≥ {pct(SCALE_TARGET)} of "
                f"{label(r.scales[0])}",
                *cells,
                verdict(ok),
            ]
        )
    tails, errors = [], []
    for t in r.scales:
        runs = [r.get(t, w, k) for k in r.scenarios]
        worst = max((x for x in runs if x), key=lambda x: x["p99_ms"] / max(x["p50_ms"], 1e-3))
        tails.append((worst["p99_ms"] / max(worst["p50_ms"], 1e-3), worst["scenario"]))
        errors.append(sum(x["errors"] for x in runs if x))
    rows.append(
        [
            f"p99 ≤ {TAIL_TARGET:g} × p50, every scenario",
            *[f"worst {x:.1f}× ({BY_KEY[k].title})" for x, k in tails],
            verdict(all(x <= TAIL_TARGET for x, _ in tails)),
        ]
    )
    rows += offline_target_rows(r, w)
    rows.append(["zero errors", *map(str, errors), verdict(sum(errors) == 0)])
    if memory:
        growth = memory_growth(memory)
        cells = ["–"] * (len(r.scales) - 1) + [f"+{pct(max(growth.values()))} (worst worker)"]
        ok = max(growth.values()) < MEMORY_TARGET
        rows.append(
            [
                f"worker RSS grows < {pct(MEMORY_TARGET)} over {memory['minutes']:g} min",
                *cells,
                verdict(ok),
            ]
        )
    note = (
        "Shares are requests/s over the framework's ceiling in the same run (a bare FastAPI "
        "app, `bench/framework_app.py`: no middleware of ours, same server settings; see "
        '"Two floors"); in brackets, the share the CPU cost per request predicts (the '
        "ceiling's API CPU µs per request over the scenario's API + database CPU), which "
        "drifts far less with the machine's other load."
    )
    return ["## Targets", "", note, "", *table(header, rows, "l" + "r" * len(r.scales) + "c")]


def _ratio(a: dict[str, Any] | None, b: dict[str, Any] | None) -> float | None:
    return a["rps"] / b["rps"] if a and b else None


def offline_target(key: str, tasks: int) -> float | None:
    """The issue-14 target of `key` over its plain twin at this size (None: none there)."""
    if key in SYNC_CHANGES:
        return SYNC_TARGET if tasks == SYNC_TARGET_TASKS else None
    return KEY_TARGET


def offline_ratios(
    r: Results, tasks: int, workers: int, key: str
) -> tuple[float | None, float | None]:
    """`key` over its plain twin (OFFLINE_PLAIN), same size and run: by throughput, and the
    share the CPU per request predicts (None: not measured)."""
    plain = OFFLINE_PLAIN[key]
    ratio = _ratio(r.get(tasks, workers, key), r.get(tasks, workers, plain))
    return ratio, r.cpu_share_of(tasks, workers, key, plain)


def offline_target_rows(r: Results, w: int) -> list[list[str]]:
    """The Targets table's rows of issue 14; 'not measured' where a scenario is missing (an
    older run's results)."""
    rows = []
    for key in (s.key for s in OFFLINE):
        cells, verdicts = [], []
        for t in r.scales:
            ratio, by_cpu = offline_ratios(r, t, w, key)
            if ratio is None:
                cells.append(NOT_MEASURED)
                continue
            cells.append(f"{pct(ratio)} (CPU: {pct(by_cpu)})")
            target = offline_target(key, t)
            if target is not None:
                verdicts.append(ratio >= target)
        plain = BY_KEY[OFFLINE_PLAIN[key]].title
        if key in SYNC_CHANGES:
            title = (
                f"{BY_KEY[key].title} ≥ {pct(SYNC_TARGET)} of {plain} at {label(SYNC_TARGET_TASKS)}"
            )
        else:
            title = f"{BY_KEY[key].title} ≥ {pct(KEY_TARGET)} of {plain}"
        rows.append([title, *cells, verdict(all(verdicts) if verdicts else None)])
    return rows


def scenario_tables(r: Results) -> list[str]:
    out = [
        "## Results",
        "",
        "CPU per request: user + system time of the API's worker processes and of the "
        "database's backends serving `taskapi_bench`, over the measured seconds, divided by "
        "the requests served. Less sensitive to other load on the machine than req/s.",
        "",
    ]
    for w in reversed(r.workers):
        for t in r.scales:
            out += [f"### {w} worker{'s' if w > 1 else ''}, {t:,} tasks", ""]
            rows = []
            for key in ["framework", "bare", *r.scenarios]:
                run = r.get(t, w, key)
                if not run:
                    continue
                floor = r.db.get((t, key)) or (
                    r.db.get((t, "list50")) if key in ("list100", "deep") else None
                )
                rows.append(
                    [
                        BY_KEY[key].title,
                        num(run["rps"]),
                        ms(run["p50_ms"]),
                        ms(run["p99_ms"]),
                        f"{run['p99_ms'] / max(run['p50_ms'], 1e-3):.1f}",
                        str(run["errors"]),
                        "–" if key == "framework" else pct(r.share_of_framework(t, w, key)),
                        "–" if key in ("bare", "framework") else pct(r.share_of_bare(t, w, key)),
                        pct(run["rps"] / floor["rps"]) if floor else "–",
                        _cpu(run.get("api_cpu_us")),
                        _cpu(run.get("db_cpu_us")),
                    ]
                )
            out += table(
                [
                    "scenario",
                    "req/s",
                    "p50 ms",
                    "p99 ms",
                    "p99/p50",
                    "errors",
                    "of bare FastAPI",
                    "of bare",
                    "of SQL floor",
                    "API CPU µs/req",
                    "DB CPU µs/req",
                ],
                rows,
            )
    return out


ORGANIZATION_SCALE_TARGET = 0.90  # 10^6 over 10^3, each filter, sort and route
SEARCH_TARGET = 0.25  # a search's first page over the plain first page, same size


def organization_section(r: Results) -> list[str]:
    """Task organization (issue 12): each filter, sort, search and the tags route at the
    smallest and the largest size, 2 workers, from the same run as everything above."""
    keys = [s.key for s in ORGANIZATION if s.key in r.scenarios]
    if not keys or len(r.scales) < 2:
        return []
    small, large, w = r.scales[0], r.scales[-1], ORGANIZATION_WORKERS
    out = [
        "## Task organization: filters, sorts, search, tags",
        "",
        f"First pages of 50 of the heavy user's list ({w} workers), the same run. "
        f"'{label(large)} / {label(small)}': throughput at the largest size over the smallest "
        f"(target ≥ {pct(ORGANIZATION_SCALE_TARGET)}); 'of list50': over the plain first page at "
        f"the same size (searches: target ≥ {pct(SEARCH_TARGET)}, their only target); 'of s-due': "
        "the deep page by due date over its first page (target ≥ 90%).",
        "",
    ]
    rows = []
    for key in keys:
        a, b = r.get(small, w, key), r.get(large, w, key)
        plain = r.get(large, w, "list50")
        scale = _ratio(b, a)
        of_plain = _ratio(b, plain)
        target_ok: bool | None = None if scale is None else scale >= ORGANIZATION_SCALE_TARGET
        if key.startswith("q-"):  # issue 12's target for a search is its share of list50 alone:
            # a rare word matches nothing at 10^3, so its size ratio compares no page with one
            target_ok = None if of_plain is None else of_plain >= SEARCH_TARGET
        deep = _ratio(b, r.get(large, w, "s-due")) if key == "deep-due" else None
        if deep is not None:
            target_ok = deep >= 0.90
        rows.append(
            [
                BY_KEY[key].title,
                num(a["rps"]) if a else "–",
                num(b["rps"]) if b else "–",
                pct(scale),
                pct(of_plain),
                pct(deep) if key == "deep-due" else "",
                ms(b["p50_ms"]) if b else "–",
                ms(b["p99_ms"]) if b else "–",
                str(b["errors"]) if b else "–",
                verdict(target_ok),
            ]
        )
    header = ["scenario", f"req/s {label(small)}", f"req/s {label(large)}"]
    header += [f"{label(large)} / {label(small)}", "of list50", "of s-due", "p50", "p99"]
    header += ["errors", "target"]
    return [*out, *table(header, rows, "l" + "r" * 9), ""]


BASELINE_TARGET = 0.90  # issue 12: within 10% of the API before the organization


def baseline_section(baseline: dict[str, Any] | None) -> list[str]:
    """Issue 12's "get, create and the plain first page stay within 10% of today's": the
    same scenarios on the API before the organization and on this one, in turn (--baseline)."""
    if baseline is None:
        return []
    out = [
        "## The Basic routes against the API before the organization (issue 12)",
        "",
        f"`bench/run.py --baseline {baseline['ref']}` ({baseline['baseline_commit']}): the API "
        "before priorities, tags, due dates and everything since (sync, idempotency keys, the "
        "outbox), served from a worktree of that commit and seeded by its own seed.sql in a "
        f"database of its own, and this checkout, {label(baseline['tasks'])} tasks, 2 workers, "
        f"{BASELINE_ROUNDS} rounds each in turn (which goes first alternating); medians. "
        f'Target: this API ≥ {pct(BASELINE_TARGET)} of the one before ("within 10% of '
        "today's figures\"). 'by CPU': the share the CPU per request predicts (API + "
        "database).",
        "",
    ]
    rows = []
    for key in BASELINE_SCENARIOS:
        sides = {}
        for side in ("baseline", "head"):
            runs = [
                run for run in baseline["runs"] if run["side"] == side and run["scenario"] == key
            ]
            if runs:
                sides[side] = (sorted(runs, key=lambda run: run["rps"])[len(runs) // 2], runs)
        if len(sides) < 2:
            continue
        (before, before_runs), (now, now_runs) = sides["baseline"], sides["head"]
        ratio = now["rps"] / before["rps"]
        cpu_before = _total_cpu(before)
        cpu_now = _total_cpu(now)
        by_cpu = cpu_before / cpu_now if cpu_before and cpu_now else None
        rounds = ", ".join(num(run["rps"]) for run in before_runs)
        rounds += " / " + ", ".join(num(run["rps"]) for run in now_runs)
        rows.append(
            [
                BY_KEY[key].title,
                num(before["rps"]),
                num(now["rps"]),
                pct(ratio),
                _cpu(cpu_before),
                _cpu(cpu_now),
                pct(by_cpu),
                rounds,
                str(before["errors"] + now["errors"]),
                verdict(ratio >= BASELINE_TARGET),
            ]
        )
    header = ["scenario", "before req/s", "now req/s", "now / before", "CPU µs/req before"]
    header += ["now", "by CPU", "rounds: before / now", "errors", "target"]
    return [*out, *table(header, rows), ""]


def _total_cpu(run: dict[str, Any]) -> float | None:
    api, db = run.get("api_cpu_us"), run.get("db_cpu_us")
    return api + db if api is not None and db is not None else None


def mcp_section(r: Results) -> list[str]:
    """MCP tool calls (issue 16) against the REST calls that do the same work, same run."""
    keys = [s.key for s in MCP if s.key in r.scenarios]
    if not keys:
        return []
    w = ORGANIZATION_WORKERS
    out = [
        "## MCP tool calls against the matching REST calls",
        "",
        f"POST /mcp as the official SDK's client sends a `tools/call` on the 2026-07-28 protocol "
        f"(one self-contained JSON-RPC request; bench/mcp.lua), {w} workers, the same run as the "
        "REST call beside it. 'tool / REST': the tool's throughput over the REST call's; "
        "'CPU ×': the tool's API CPU per call over the REST call's.",
        "",
    ]
    rows = []
    for t in r.scales:
        for key in keys:
            tool, rest = r.get(t, w, key), r.get(t, w, MCP_REST[key])
            if not tool or not rest:
                continue
            tool_cpu, rest_cpu = tool.get("api_cpu_us"), rest.get("api_cpu_us")
            rows.append(
                [
                    label(t),
                    BY_KEY[key].title,
                    num(tool["rps"]),
                    num(rest["rps"]),
                    pct(_ratio(tool, rest)),
                    ms(tool["p50_ms"]),
                    ms(rest["p50_ms"]),
                    _cpu(tool_cpu),
                    _cpu(rest_cpu),
                    f"{tool_cpu / rest_cpu:.2f}" if tool_cpu and rest_cpu else "–",
                    str(tool["errors"]),
                ]
            )
    header = ["tasks", "tool", "tool req/s", "REST req/s", "tool / REST", "tool p50"]
    header += ["REST p50", "tool API CPU µs", "REST API CPU µs", "CPU ×", "errors"]
    return [*out, *table(header, rows, "ll" + "r" * 9), ""]


def offline_section(r: Results) -> list[str]:
    """Offline clients (issue 14): incremental sync against the first page, writes with an
    Idempotency-Key against the same writes without one, each size, the same run."""
    w = ORGANIZATION_WORKERS
    out = [
        "## Offline clients (issue 14)",
        "",
        f"{w} workers, the same run. **Sync**: `GET /api/{{user_id}}/sync?limit=50&token=...` "
        "for the heavy user, the token at the point of their change sequence after which 0 "
        "(their latest change number) or exactly 50 changes (tasks and tombstones) follow, written "
        "when the scenario starts (after the write scenarios have moved the sequence) and "
        "checked with one request first; against the first page of their list (list50), "
        f"target ≥ {pct(SYNC_TARGET)} at {label(SYNC_TARGET_TASKS)}. **Writes with an "
        'Idempotency-Key**: every request carries a key of its own (`"<thread>-<counter>-'
        '<stamp>"`), so each write records its key with the row it wrote, in its own '
        "statement (no replay; the PUT completes a task that does not recur); against the same "
        f"write without a key, target ≥ {pct(KEY_TARGET)} (within 15%) at every size. Each "
        f"pair is measured in turn, {KEY_ROUNDS} rounds each (which goes first alternating), and "
        "the medians compared (one "
        "run each, minutes apart, moved by 20-30% on this machine). 'by CPU': the share the CPU "
        "per request predicts (the plain one's API + database CPU over this one's). The "
        "stored keys are deleted with the write scenarios' tasks.",
        "",
    ]
    keys = [s.key for s in OFFLINE if s.key in r.scenarios]
    if not keys:
        names = ", ".join(s.key for s in OFFLINE)
        return [
            *out,
            f"Not measured: none of {names} is in these results (an older run, or left out "
            f"with --scenarios, or a run without {w} workers).",
            "",
        ]
    rows = []
    for t in r.scales:
        for key in (s.key for s in OFFLINE):
            run, plain = r.get(t, w, key), r.get(t, w, OFFLINE_PLAIN[key])
            ratio, by_cpu = offline_ratios(r, t, w, key)
            target = offline_target(key, t)
            ok = None if ratio is None or target is None else ratio >= target
            rows.append(
                [
                    label(t),
                    BY_KEY[key].title,
                    num(run["rps"]) if run else NOT_MEASURED,
                    BY_KEY[OFFLINE_PLAIN[key]].title,
                    num(plain["rps"]) if plain else NOT_MEASURED,
                    pct(ratio),
                    _cpu(r.cost(t, w, key)),
                    _cpu(r.cost(t, w, OFFLINE_PLAIN[key])),
                    pct(by_cpu),
                    ms(run["p50_ms"]) if run else "–",
                    ms(run["p99_ms"]) if run else "–",
                    str(run["errors"]) if run else "–",
                    "–" if target is None else f"≥ {pct(target)}: {verdict(ok)}",
                ]
            )
    header = ["tasks", "scenario", "req/s", "against", "its req/s", "ratio"]
    header += ["CPU µs/req", "its CPU µs/req", "by CPU", "p50 ms", "p99 ms", "errors", "target"]
    return [*out, *table(header, rows, "llrlr" + "r" * 8), ""]


def events_section(r: Results, events: dict[str, Any] | None) -> list[str]:
    """Task events (issue 15): the outbox's cost on writes (matrix), the relay's throughput,
    commit-to-delivery delays and idle live streams (`--events`)."""
    w = ORGANIZATION_WORKERS
    out = [
        "## Task events (issue 15)",
        "",
        f"**The outbox's cost on writes**, {w} workers, the same run: create and full update "
        "as they are (revision 011's row trigger writes each change's event to outbox_events "
        "in the write's transaction) and with that trigger switched off (`ALTER TABLE tasks "
        f"DISABLE TRIGGER tasks_outbox`: the write as before 011), in turn, {KEY_ROUNDS} rounds "
        "each (which goes first alternating), medians compared; the outbox is emptied before "
        "each round, as a running relay "
        f"keeps it. Target ≥ {pct(OUTBOX_TARGET)} (within 15%) at every size. A deletion's "
        "event is written by 008's tombstone trigger, which cannot be switched off apart: not "
        "measured.",
        "",
    ]
    rows = []
    for t in r.scales:
        for key, (on, off) in OUTBOX_PAIRS.items():
            with_, without = r.get(t, w, on.key), r.get(t, w, off.key)
            if not with_ or not without:
                continue
            ratio = _ratio(with_, without)
            by_cpu = r.cpu_share_of(t, w, on.key, off.key)
            ok = None if ratio is None else ratio >= OUTBOX_TARGET
            rows.append(
                [
                    label(t),
                    key,
                    num(with_["rps"]),
                    num(without["rps"]),
                    pct(ratio),
                    _cpu(r.cost(t, w, on.key)),
                    _cpu(r.cost(t, w, off.key)),
                    pct(by_cpu),
                    ms(with_["p99_ms"]),
                    str(with_["errors"]),
                    f"≥ {pct(OUTBOX_TARGET)}: {verdict(ok)}",
                ]
            )
    if rows:
        header = ["tasks", "write", "outbox on req/s", "off req/s", "ratio", "CPU µs/req on"]
        header += ["off", "by CPU", "p99 ms on", "errors", "target"]
        out += [*table(header, rows, "ll" + "r" * 9), ""]
    else:
        out += [
            "Not measured: no outbox pair in these results (a run without create and put "
            f"at {w} workers, or from before revision 011).",
            "",
        ]
    if not events:
        return [
            *out,
            "**Relay, delivery, live streams**: not measured yet (`make bench BENCH_ARGS="
            '"--events --scales 1000"`).',
            "",
        ]
    relay, e2e, streams = events["relay"], events["end_to_end"], events["idle_streams"]
    mixed = e2e["mixed"]
    out += [
        f"**Relay, delivery, live streams**, {events['tasks']:,} tasks, one run "
        f"(`{events['meta']['command']}`), against a nats-server with JetStream of its own "
        "(file storage) on this machine; the relay is `python -m src.cli.relay` (batches of "
        "200), the API 2 workers of `scripts/serve`.",
        "",
        *table(
            ["measure", "figure"],
            [
                [
                    f"relay throughput: a backlog of {relay['backlog']:,} task events "
                    "published and deleted, events/s (median of rounds)",
                    f"{num(_median(relay['events_per_second']))} "
                    f"({', '.join(num(x) for x in relay['events_per_second'])})",
                ],
                [
                    "commit to delivery under the mixed load: from the write's transaction "
                    "start (the event's `time`) to its arrival at a NATS subscriber, p50 / p99",
                    f"{e2e['p50_ms']} ms / {e2e['p99_ms']} ms ({e2e['events']:,} events; "
                    f"mixed at {num(mixed['rps'])} req/s, {mixed['errors']} errors)",
                ],
                [
                    f"{streams['streams']:,} idle live-update streams "
                    "(`GET /api/{user_id}/events`) on 2 workers: database connections checked "
                    "out (`taskapi_db_pool_checked_out`)",
                    f"{streams.get('db_connections_checked_out', NOT_MEASURED):g} "
                    f"(streams open, `taskapi_live_streams`: {streams.get('live_streams', 0):g};"
                    f" statuses {streams['statuses']})",
                ],
            ],
        ),
        "",
    ]
    return out


def two_floors_section(r: Results) -> list[str]:
    """The framework's ceiling and the API's own bare endpoint, side by side (issue 13)."""
    rows, rounds = [], 1
    for w in r.workers:
        for t in r.scales:
            ceiling, bare = r.get(t, w, "framework"), r.get(t, w, "bare")
            if not ceiling or not bare:
                continue
            rounds = len(bare.get("rounds_rps", [])) or 1
            rows.append(
                [
                    f"{w}",
                    label(t),
                    num(ceiling["rps"]),
                    num(bare["rps"]),
                    pct(bare["rps"] / ceiling["rps"]),
                    _cpu(ceiling.get("api_cpu_us")),
                    _cpu(bare.get("api_cpu_us")),
                    _cpu((bare.get("api_cpu_us") or 0) - (ceiling.get("api_cpu_us") or 0)),
                    " / ".join(
                        ", ".join(num(x) for x in run.get("rounds_rps", []))
                        for run in (ceiling, bare)
                    ),
                ]
            )
    if not rows:
        return []
    return [
        "## Two floors: the framework's ceiling and the API's bare endpoint",
        "",
        "Both serve `GET /bench/bare` (a constant JSON object, no dependency, no database) "
        "with `scripts/serve` and the same wrk script, in the same run. **Bare FastAPI** "
        "(`bench/framework_app.py`) is `FastAPI()` with that one route: uvicorn, Starlette's "
        "routing and error handling, FastAPI's endpoint call. **The API's bare endpoint** "
        "(`bench/bare_app.py`) is the same route added to `src.main:app`: everything the API "
        "does around every request (src/api/middleware.py, the database session middleware). "
        "The targets above and the 'of bare FastAPI' columns use the first; 'of bare' and the "
        f"scale ratios use the second. Each is the median of {rounds} rounds, the two "
        "servers measured in turn (every round's req/s in the last column).",
        "",
        *table(
            [
                "workers",
                "tasks",
                "bare FastAPI req/s",
                "API bare req/s",
                "API bare / FastAPI",
                "FastAPI CPU µs/req",
                "API bare CPU µs/req",
                "the API's own µs/req",
                "rounds: FastAPI / API",
            ],
            rows,
        ),
    ]


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def prices_section(prices: dict[str, Any] | None) -> list[str]:
    """Each piece of per-request work, priced by switching it off (or on) in turn."""
    if not prices:
        return []
    by_variant: dict[str, list[dict[str, Any]]] = {}
    for run in prices["rounds"]:
        by_variant.setdefault(run["variant"], []).append(run)
    cpu = {key: _median([run["api_cpu_us"] for run in runs]) for key, runs in by_variant.items()}
    rps = {key: _median([run["rps"] for run in runs]) for key, runs in by_variant.items()}
    rounds = max(len(runs) for runs in by_variant.values())
    titles = {variant.key: variant.title for variant in PRICE_VARIANTS}
    rows = []
    for variant in PRICE_VARIANTS:
        key = variant.key
        if key not in cpu:
            continue
        if key.startswith("without-"):
            price = cpu["api"] - cpu[key]
        elif key == "api-logged":
            price = cpu[key] - cpu["api"]
        elif key == "get-rate-limited":
            price = cpu[key] - cpu["get"]
        else:
            price = None
        errors = sum(run["errors"] for run in by_variant[key])
        rows.append(
            [
                titles[key],
                num(rps[key]),
                _cpu(cpu[key]),
                "–" if price is None else f"**{price:+,.0f}**",
                ", ".join(_cpu(run["api_cpu_us"]) for run in by_variant[key]),
                str(errors),
            ]
        )
    return [
        "## Price list: what each piece of per-request work costs",
        "",
        f"From the same run: {prices['workers']} workers, {prices['tasks']:,} tasks, "
        f"{rounds} rounds of every variant in turn (a server of its own each), medians. A "
        "piece's price is the API workers' CPU per request with it, minus without it: "
        "`BENCH_WITHOUT=<piece>` switches one off in `bench/bare_app.py`; the access log "
        "(off at the benchmark's LOG_LEVEL=WARNING) is priced by switching it on, as "
        "production runs it (LOG_LEVEL=INFO, JSON lines, here written to /dev/null); the "
        "rate limit (a check in Redis, `RATE_LIMIT_PER_MINUTE`) on get-one, the route it "
        "guards. The rounds of one variant spread by up to 10-15 µs on this machine: a price "
        "smaller than that is not resolved (bench/inprocess.py measures them in-process).",
        "",
        *table(
            ["variant", "req/s", "API CPU µs/req", "price µs/req", "each round", "errors"],
            rows,
        ),
    ]


def floors_section(r: Results) -> list[str]:
    rows = []
    for t in r.scales:
        for key, sql in (("get", "get one"), ("list50", "first page (51 rows)")):
            run = r.db.get((t, key))
            if run:
                rows.append(
                    [
                        f"{t:,}",
                        sql,
                        num(run["rps"]),
                        ms(run["p50_ms"]),
                        ms(run["p99_ms"]),
                        str(run["errors"]),
                    ]
                )
    return [
        "## Database floor (pgbench)",
        "",
        *table(["tasks", "SQL", "tx/s", "p50 ms", "p99 ms", "failed"], rows),
    ]


def scale_section(r: Results) -> list[str]:
    if len(r.scales) < 2:
        return []
    out = [
        "## Scale: throughput as the table grows",
        "",
        "CPU µs/req: API workers + database backends per request; 'by CPU' is the cost at the "
        "smallest size over the cost at the largest (100% = flat).",
        "",
    ]
    for w in reversed(r.workers):
        rows = []
        for key in ["bare", *r.scenarios]:
            cells = [num(r.get(t, w, key)["rps"]) if r.get(t, w, key) else "–" for t in r.scales]
            costs = [_cpu(r.cost(t, w, key)) for t in r.scales]
            rows.append(
                [
                    BY_KEY[key].title,
                    *cells,
                    pct(r.scale_ratio(w, key)),
                    *costs,
                    pct(r.cpu_scale_ratio(w, key)),
                ]
            )
        ratio = f"{label(r.scales[-1])} / {label(r.scales[0])}"
        header = [
            f"{w} worker{'s' if w > 1 else ''}",
            *[f"req/s {label(t)}" for t in r.scales],
            ratio,
            *[f"CPU µs/req {label(t)}" for t in r.scales],
            f"{ratio} by CPU",
        ]
        out += table(header, rows)
    return out


def memory_growth(memory: dict[str, Any]) -> dict[str, float]:
    first, last = memory["samples"][0]["rss_mib"], memory["samples"][-1]["rss_mib"]
    return {pid: last[pid] / first[pid] - 1 for pid in first if pid in last}


def memory_section(memory: dict[str, Any] | None) -> list[str]:
    if not memory:
        return ["## Memory", "", 'Not measured yet: `make bench BENCH_ARGS="--memory 10"`.', ""]
    first, last = memory["samples"][0]["rss_mib"], memory["samples"][-1]["rss_mib"]
    peak = {pid: max(s["rss_mib"].get(pid, 0) for s in memory["samples"]) for pid in first}
    growth = memory_growth(memory)
    rows = [
        [
            f"worker {n + 1}",
            f"{first[pid]:.1f}",
            f"{peak[pid]:.1f}",
            f"{last[pid]:.1f}",
            f"{100 * growth[pid]:+.1f}%",
        ]
        for n, pid in enumerate(sorted(first))
    ]
    run = memory["result"]
    return [
        "## Memory",
        "",
        f"The mixed workload for {memory['minutes']:g} minutes on {memory['tasks']:,} tasks, "
        f"2 workers, after {memory['warmup_seconds']:.0f} s of warm-up; resident memory (VmRSS) "
        f"sampled every 10 s. Meanwhile: {num(run['rps'])} req/s, p50 {ms(run['p50_ms'])} ms, "
        f"p99 {ms(run['p99_ms'])} ms, {run['errors']} errors. "
        f"Command: `{memory['meta']['command']}`.",
        "",
        *table(["process", "RSS after warm-up, MiB", "peak MiB", "at the end MiB", "growth"], rows),
    ]


def ha_section(ha: dict[str, Any] | None) -> list[str]:
    head = ["## High availability", ""]
    if not ha:
        return [*head, 'Not measured yet: `make bench BENCH_ARGS="--ha"` (docs/ha.md).', ""]
    runs = {(run["setup"], run["scenario"]): run for run in ha["runs"]}
    setups = ["one server", "pair", "pair, reads on the standby"]
    rows = []
    for key in dict.fromkeys(run["scenario"] for run in ha["runs"]):
        one, pair, standby = (runs.get((setup, key)) for setup in setups)
        rows.append(
            [
                key,
                *(f"{num(run['rps'])} ({ms(run['p99_ms'])})" if run else "" for run in (one, pair)),
                pct(_ratio(pair, one)),
                f"{num(standby['rps'])} ({ms(standby['p99_ms'])})" if standby else "",
                pct(_ratio(standby, pair)),
                " / ".join(_cpu(run.get("db_cpu_us")) for run in (pair, standby) if run),
            ]
        )
    return [
        *head,
        f"{ha['tasks']:,} tasks, 2 workers, one run (`{ha['meta']['command']}`): the API on "
        "this run's server, then on a pg_auto_failover primary whose every commit waits for "
        "its synchronous standby's flush (both on this machine), then on that pair with "
        "DATABASE_READ_URL (reads on the standby, read-your-writes checked in Redis; "
        "DATABASE_READ_STICKY_SECONDS=3600 so that the read-only scenarios, which commit "
        "nothing, may use the standby). req/s (p99 ms); the primary's database CPU per "
        "request (the standby's is not counted). For writes, the last ratio is the price of "
        "read-your-writes: a Redis mark before, the WAL position read and stored after.",
        "",
        *table(
            [
                "scenario",
                "one server",
                "pair",
                "pair / one server",
                "pair, reads on the standby",
                "with standby reads / pair",
                "primary DB CPU µs (pair / standby reads)",
            ],
            rows,
        ),
        "",
    ]


def profile_section(profile: dict[str, Any] | None) -> list[str]:
    if not profile:
        return []
    out = [
        "## Profile",
        "",
        f"py-spy (`--gil`, 250 Hz) on one of the 2 workers, {profile['tasks']:,} tasks, "
        "while wrk drives the scenario: the share of samples in which the worker's Python "
        "code held the GIL, by whose code was running (innermost known frame).",
        "",
    ]
    for key, data in profile["profiles"].items():
        if "error" in data:
            out += [f"### {BY_KEY[key].title}", "", f"py-spy failed: `{data['error'][-300:]}`", ""]
            continue
        out += [
            f"### {BY_KEY[key].title} ({num(data['result']['rps'])} req/s, "
            f"{data['samples']:,} samples)",
            "",
        ]
        out += table(
            ["where (innermost known frame)", "share"],
            [[a, f"{s}%"] for a, s in data["areas"][:10]],
        )
        out += table(
            ["function (self)", "share"], [[f"`{f}`", f"{s}%"] for f, s in data["self"][:10]]
        )
        out += table(
            ["the API's functions (inclusive)", "share"],
            [[f"`{f}`", f"{s}%"] for f, s in data.get("api_inclusive", [])[:8]],
        )
    return out


def setup_section(r: Results) -> list[str]:
    m = r.meta
    s = m["settings"]
    packages = ", ".join(f"{k} {v}" for k, v in m["packages"].items())
    layouts = "; ".join(
        f"{t:,}: heavy user {Layout(t).heavy_tasks:,}, deep page {Layout(t).deep_page}"
        for t in r.scales
    )
    return [
        "## How it was measured",
        "",
        f"- Command: `{m['command']}` (wall time {m['wall_seconds'] / 60:.1f} min, "
        f"started {m['started']}).",
        f"- Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB; {m['os']}; load "
        f"average at start {m['load_average_at_start']}. Load generator, API and database "
        "share the machine.",
        f"- Versions: Python {m['python']}, PostgreSQL {m['postgresql']} ({m['database']}), "
        f"{m['wrk']}, {m['pgbench']}; {packages}. Code: {m['git']}.",
        f"- Server: `scripts/serve` (uvicorn, uvloop, httptools, no access log) with WORKERS=1 "
        "or 2, serving `bench/bare_app.py` (the app of `src.main` plus `GET /bench/bare`) on "
        "127.0.0.1; APP_ENV=development, LOG_LEVEL=WARNING (so no access log line: its price "
        "is in the price list), HS256 tokens, pool settings "
        f"default{'; ' + ', '.join(s['server_env']) if s['server_env'] else ''}.",
        f"- Load: wrk, {s['connections']} connections, {s['wrk_threads']} thread(s), "
        f"{s['warmup']:g} s warm-up then {s['seconds']:g} s measured per scenario; "
        "latencies are wrk's (closed loop: p50 is mostly queueing at this concurrency).",
        "- Data (`bench/seed.sql`, through SQL): 1,000 ordinary users and one heavy user; "
        "every 2nd (10⁶: every 10th) task is the heavy user's, the others go round robin to "
        f"the ordinary users. Per table size: {layouts}. Page N of the deep scenario is the one "
        "the cursor after the first (N - 1) × 50 tasks opens: 24,950 tasks deep at page 500. "
        "(The issue's '1,000,000 rows owned by one user' is read as the heavy user's "
        "100,000, so that every table size keeps 1,000 ordinary users.)",
        "- Scenarios: get, PUT and toggle hit 20,000 random seeded tasks with their owners' "
        "tokens; lists read the heavy user's first page (`?limit=50`, `?limit=100`) or the page "
        "the cursor of the previous one opens (`?limit=50&cursor=...`, default order "
        "`-created_at`); create writes for random ordinary users; delete removes distinct "
        "tasks (those the create run added, topped up through SQL); mixed draws per request "
        "45% first page of a random ordinary user, 35% get, 10% create, 5% toggle, 3% PUT, "
        "2% delete of a task the run created; the offline scenarios are described in their "
        "section. Write scenarios' rows (tasks, stored Idempotency-Keys) are removed after "
        "each worker count (`DELETE`, `VACUUM ANALYZE`).",
        "- Floors, measured in the same run: `bare FastAPI` = a bare FastAPI app "
        "(`bench/framework_app.py`) served the same way, the framework's ceiling; `bare` = the "
        "API's own async endpoint returning a constant JSON object (no auth, no database), "
        "behind all of the API's middleware; SQL floor = pgbench "
        f"(simple protocol, {s['connections']} clients, 2 threads, same Unix socket or host) "
        "running the repository's SELECT of get-one and of a first page (`bench/pgbench/`). "
        "'of SQL floor' for list 100 and deep pages is relative to the first-page SQL.",
        f"- Indexes on tasks at the end of the run: {', '.join(r.data.get('indexes', []))}.",
        "",
    ]


def closing_note() -> list[str]:
    """bench/closing-note.md, written by whoever read the results and the profile."""
    note = BENCH_DIR / "closing-note.md"
    return [note.read_text().rstrip(), ""] if note.exists() else []


def write(results_dir: Path, doc: Path, plot: Path) -> None:
    matrix = _load(results_dir, "matrix")
    memory = _load(results_dir, "memory")
    profile = _load(results_dir, "profile")
    ha = _load(results_dir, "ha")
    prices = _load(results_dir, "prices")
    events = _load(results_dir, "events")
    baseline = _load(results_dir, "baseline")
    if matrix is None:
        raise SystemExit(f"no {results_dir / 'matrix.json'}: run the benchmark first")
    r = Results(matrix)
    draw(r, plot)
    lines = [
        "# Performance",
        "",
        "Written by `make bench` (bench/run.py) from its own measurements: edit the driver, "
        "not this file. Every figure comes from one run on one machine; compare the ratios "
        "(to the floors measured in the same run) rather than absolute requests per second, "
        "which drift with the machine and its other load.",
        "",
        *targets_section(r, memory),
        f"![Throughput and p99 against table size]({plot.name})",
        "",
        *two_floors_section(r),
        *prices_section(prices),
        *scale_section(r),
        *scenario_tables(r),
        *organization_section(r),
        *baseline_section(baseline),
        *mcp_section(r),
        *offline_section(r),
        *events_section(r, events),
        *floors_section(r),
        *memory_section(memory),
        *profile_section(profile),
        *ha_section(ha),
        *setup_section(r),
        *closing_note(),
    ]
    doc.write_text("\n".join(lines).rstrip() + "\n")


def draw(r: Results, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 5.5))
    w = TARGET_WORKERS if TARGET_WORKERS in r.workers else r.workers[-1]
    metric: list[tuple[Any, str, Callable[[dict[str, Any]], float], str]] = [
        (left, "rps", lambda run: run["rps"], "requests/s"),
        (right, "p99", lambda run: run["p99_ms"], "p99 latency, ms"),
    ]
    for axis, _, value, ylabel in metric:
        for key in ["framework", "bare", *r.scenarios]:
            points = [(t, value(r.get(t, w, key))) for t in r.scales if r.get(t, w, key)]
            if not points:
                continue
            style = "--" if key in ("bare", "framework") else "-"
            axis.plot(*zip(*points, strict=True), style, marker="o", label=BY_KEY[key].title)
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_xlabel("tasks in the table")
        axis.set_ylabel(ylabel)
        axis.grid(True, which="both", alpha=0.3)
    left.set_title(f"Throughput, {w} workers")
    right.set_title(f"p99 latency, {w} workers")
    right.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1))
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
