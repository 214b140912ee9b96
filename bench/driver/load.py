"""Load generation with wrk, and the measurement every scenario and floor reports."""

import json
import math
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from driver.layout import BENCH_DIR


@dataclass
class Measurement:
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    errors: int
    error_detail: dict[str, int] | None = None
    # CPU time per request: the API's workers, and the database server (when it is local)
    api_cpu_us: float | None = None
    db_cpu_us: float | None = None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def percentiles(values: list[int], wanted: Sequence[float]) -> list[float]:
    if not values:
        return [math.nan for _ in wanted]
    ordered = sorted(values)
    return [ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] for p in wanted]


@dataclass(frozen=True)
class Wrk:
    """wrk's settings, the same for every scenario of a run."""

    base_url: str
    connections: int
    threads: int
    timeout_seconds: int = 5

    def run(self, script: str, args: Sequence[str], seconds: float, path: str = "/") -> Measurement:
        command = [
            "wrk",
            f"--threads={self.threads}",
            f"--connections={self.connections}",
            f"--duration={max(1, round(seconds))}s",
            f"--timeout={self.timeout_seconds}s",
            f"--script={script}",
            self.base_url + path,
            "--",
            *map(str, args),
        ]
        # From bench/: the scripts load common.lua with a relative path.
        result = subprocess.run(command, cwd=BENCH_DIR, capture_output=True, text=True, check=False)
        summary = _last_json_line(result.stdout)
        if result.returncode != 0 or summary is None:
            sys.exit(f"wrk failed ({' '.join(command)}):\n{result.stdout}\n{result.stderr}")
        errors: dict[str, int] = summary["errors"]
        elapsed = summary["duration_us"] / 1e6
        return Measurement(
            requests=summary["requests"],
            seconds=elapsed,
            rps=summary["requests"] / elapsed,
            p50_ms=summary["p50_us"] / 1000,
            p90_ms=summary["p90_us"] / 1000,
            p99_ms=summary["p99_us"] / 1000,
            errors=sum(errors.values()),
            error_detail={name: count for name, count in errors.items() if count},
        )


def _last_json_line(output: str) -> dict | None:  # type: ignore[type-arg]
    for line in reversed(output.splitlines()):
        if line.startswith("{"):
            return json.loads(line)  # type: ignore[no-any-return]
    return None


def write_rows(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    """A tab-separated data file for the wrk scripts."""
    path.write_text("".join("\t".join(map(str, row)) + "\n" for row in rows))
    return path
