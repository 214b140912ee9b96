"""py-spy: where one worker spends its time under a load (sampled, with the GIL held)."""

import collections
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TOP = 15

# Frames are "function (path:line)". A sample is charged to the area of its innermost frame
# that matches, in this order (stdlib frames of the thread pool count as the thread pool).
AREAS = [
    ("psycopg2", "psycopg2 (driver)"),
    ("psycopg/", "psycopg (driver)"),
    ("psycopg_pool/", "psycopg (driver)"),
    ("sqlalchemy/", "SQLAlchemy"),
    ("sqlmodel/", "SQLModel"),
    ("pydantic", "pydantic (validation, JSON)"),
    ("jwt/", "PyJWT (token verification)"),
    ("prometheus", "prometheus-client (metrics)"),
    ("anyio/", "thread-pool hand-off (anyio, queue, threading)"),
    ("sniffio/", "thread-pool hand-off (anyio, queue, threading)"),
    ("/queue.py", "thread-pool hand-off (anyio, queue, threading)"),
    ("/threading.py", "thread-pool hand-off (anyio, queue, threading)"),
    ("concurrency.py", "thread-pool hand-off (anyio, queue, threading)"),
    ("fastapi/dependencies/", "FastAPI dependency resolution"),
    ("fastapi/", "FastAPI routing and responses"),
    ("starlette/", "Starlette (requests, middleware)"),
    # py-spy names files under the worker's working directory (backend/) relatively.
    ("(src/", "the API's own code (src/)"),
    ("/src/", "the API's own code (src/)"),
    ("uvicorn/", "uvicorn (HTTP)"),
    ("asyncio/", "asyncio event loop"),
    ("logging/", "logging"),
]


@dataclass
class Recorder:
    process: subprocess.Popen[bytes]
    output: Path


def start(pid: int, seconds: float, output: Path) -> Recorder:
    binary = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    command = [
        binary,
        "record",
        "--pid",
        str(pid),
        "--duration",
        str(max(1, round(seconds))),
        "--rate",
        "250",
        "--gil",
        "--format",
        "raw",
        "--output",
        str(output),
    ]
    return Recorder(
        subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE), output
    )


def finish(recorder: Recorder) -> dict[str, Any]:
    _, stderr = recorder.process.communicate(timeout=120)
    if recorder.process.returncode != 0 or not recorder.output.exists():
        return {"error": stderr.decode(errors="replace")[-2000:]}
    return summarize(recorder.output.read_text())


def summarize(collapsed: str) -> dict[str, Any]:
    """Self and inclusive shares of the sampled stacks (py-spy's raw, collapsed format)."""
    total = 0
    inclusive: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    areas: collections.Counter[str] = collections.Counter()
    for line in collapsed.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack:
            continue
        count = int(count_text)
        frames = [frame for frame in stack.split(";") if frame]
        total += count
        for name in {_short(frame) for frame in frames}:  # once per stack, even if recursive
            inclusive[name] += count
        own[_short(frames[-1])] += count
        areas[_area(frames)] += count
    share = lambda counter: [  # noqa: E731
        [name, round(100 * n / total, 1)] for name, n in counter.most_common(TOP)
    ]
    ours = collections.Counter({name: n for name, n in inclusive.items() if "(src/" in name})
    return {
        "samples": total,
        "self": share(own),
        "api_inclusive": share(ours),
        "areas": share(areas),
    }


def _short(frame: str) -> str:
    """'execute (sqlalchemy/engine/base.py:1234)' -> 'execute (sqlalchemy/engine/base.py)'."""
    name, _, where = frame.partition(" (")
    path = where.rstrip(")").rsplit(":", 1)[0]
    for marker in ("site-packages/", "/backend/", "/lib/python3"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{name} ({path})"


def _area(frames: list[str]) -> str:
    """The innermost frame's area: whose code the CPU was running."""
    for frame in reversed(frames):
        for marker, area in AREAS:
            if marker in frame:
                return area
    return "other (interpreter, stdlib)"
