"""Prometheus metrics (prometheus-client), correct across several worker processes.

With PROMETHEUS_MULTIPROC_DIR set (scripts/serve sets it to a fresh folder), every worker
writes its samples to files there and /metrics adds them up (prometheus-client's
multiprocess mode); without it, the process's own registry is served.
"""

import os
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead

REQUESTS = Counter(
    "taskapi_http_requests_total",
    "HTTP requests, by route template and status",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "taskapi_http_request_duration_seconds",
    "HTTP request duration, by route template",
    ["method", "route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
ERRORS = Counter(
    "taskapi_errors_total",
    "Error responses, by problem type",
    ["type"],
)
TOOL_CALLS = Counter(
    "taskapi_mcp_tool_calls_total",
    "MCP tool calls, by tool and outcome (ok, or the problem type of the tool error)",
    ["tool", "outcome"],
)
TOOL_LATENCY = Histogram(
    "taskapi_mcp_tool_call_duration_seconds",
    "MCP tool call duration, by tool (the HTTP request around it is in the request metrics)",
    ["tool"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
DB_READS = Counter(
    "taskapi_db_reads_total",
    "With DATABASE_READ_URL: reads by the server that served them (standby or primary)",
    ["target"],
)
POOL_CHECKED_OUT = Gauge(
    "taskapi_db_pool_checked_out",
    "Database connections in use, over all live workers",
    multiprocess_mode="livesum",
)
LIVE_STREAMS = Gauge(
    "taskapi_live_streams",
    "Open live-update streams (GET /api/{user_id}/events), over all live workers",
    multiprocess_mode="livesum",
)
POOL_CONNECTIONS = Gauge(
    "taskapi_db_pool_connections",
    "Database connections open, over all live workers",
    multiprocess_mode="livesum",
)


# The children of (method, route template, status): `labels()` takes a lock and builds the
# key on every call, and did so twice per request. Bounded like the labels themselves.
_request_children: dict[tuple[str, str | None, int], tuple[Counter, Histogram]] = {}


def observe_request(method: str, route: str | None, status: int, seconds: float) -> None:
    key = (method, route, status)
    children = _request_children.get(key)
    if children is None:
        template = route or "<unmatched>"
        children = _request_children[key] = (
            REQUESTS.labels(method, template, str(status)),
            LATENCY.labels(method, template),
        )
    children[0].inc()
    children[1].observe(seconds)


def observe_tool_call(tool: str, outcome: str, seconds: float) -> None:
    TOOL_CALLS.labels(tool, outcome).inc()
    TOOL_LATENCY.labels(tool).observe(seconds)


def count_error(problem_type: str) -> None:
    ERRORS.labels(problem_type).inc()


def exposition() -> tuple[bytes, str]:
    """The text exposition format: all live workers' samples in multiprocess mode."""
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def worker_exited(*_: Any) -> None:
    """Drop this worker's live gauges (its counters stay counted)."""
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]
