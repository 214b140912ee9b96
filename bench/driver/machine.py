"""What the results were measured on: machine, versions, settings, exact command."""

import argparse
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

from driver.database import BenchDatabase

PACKAGES = [
    "fastapi",
    "starlette",
    "uvicorn",
    "uvloop",
    "httptools",
    "pydantic",
    "pydantic-core",
    "sqlalchemy",
    "sqlmodel",
    "psycopg2-binary",
    "psycopg",
    "psycopg-binary",
    "psycopg-pool",
    "pyjwt",
]


def _first_line(command: list[str]) -> str:
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError:
        return "missing"
    return (result.stdout or result.stderr).strip().splitlines()[0]


def _proc_value(path: str, key: str) -> str:
    for line in Path(path).read_text().splitlines():
        if line.startswith(key):
            return line.split(":", 1)[1].strip()
    return "?"


def _os_name() -> str:
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                return line.split("=", 1)[1].strip('"')
    except OSError:
        pass
    return platform.platform()


def _git(repo: Path) -> str:
    head = _first_line(["git", "-C", str(repo), "rev-parse", "--short", "HEAD"])
    dirty = subprocess.run(
        ["git", "-C", str(repo), "status", "--porcelain"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return head + (" + uncommitted changes" if dirty else "")


def describe(
    db: BenchDatabase, repo: Path, command: str, args: argparse.Namespace
) -> dict[str, Any]:
    mem_kib = int(_proc_value("/proc/meminfo", "MemTotal").split()[0])
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return {
        "command": command,
        "cpu": _proc_value("/proc/cpuinfo", "model name"),
        "cores": os.cpu_count(),
        "memory_gib": round(mem_kib / 1024 / 1024, 1),
        "os": f"{_os_name()}, Linux {platform.release()}",
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "postgresql": db.server_version(),
        "database": "embedded, pgserver"
        if "host=%2F" in db.uri or "host=/" in db.uri
        else "DATABASE_URL",
        "wrk": _first_line(["wrk", "--version"]).split(" [")[0],
        "pgbench": _first_line(["pgbench", "--version"]),
        "packages": versions,
        "git": _git(repo),
        "settings": {
            "seconds": args.seconds,
            "warmup": args.warmup,
            "connections": args.connections,
            "wrk_threads": args.threads,
            "scales": args.scales,
            "workers": args.workers,
            "server_env": args.server_env,
            "repo": str(repo),
        },
    }
