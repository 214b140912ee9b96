"""The lock files pin what pyproject.toml pins: requirements.lock (serving: `make run`,
`make serve`) the runtime dependencies, requirements-dev.lock (`make test`, `make lint`) those
and the dev extra, every package at the same version in both."""

import re
import tomllib
from pathlib import Path

import pytest

from tests.support.databases import BACKEND_DIR

PROJECT = tomllib.loads((BACKEND_DIR / "pyproject.toml").read_text())["project"]
RUNTIME = PROJECT["dependencies"]
DEV = PROJECT["optional-dependencies"]["dev"]
# Serving must not pull these in (they made the first `make run` install 411 MB).
DEV_ONLY = ("pytest", "mypy", "ruff", "schemathesis", "hypothesis", "selenium", "squawk-cli")


def parse(requirement: str) -> tuple[str, str]:
    """'uvicorn[standard]==0.54.0' -> ('uvicorn', '0.54.0'), name normalized, marker dropped."""
    requirement = requirement.split(";")[0]
    match = re.fullmatch(r"\s*([A-Za-z0-9._-]+)(\[[^\]]*\])?\s*==\s*(\S+)\s*", requirement)
    assert match, f"not pinned with ==: {requirement!r}"
    return re.sub(r"[-_.]+", "-", match[1]).lower(), match[3]


def locked(path: Path) -> list[tuple[str, str]]:
    return [
        parse(line)
        for line in path.read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


SERVING = locked(BACKEND_DIR / "requirements.lock")
WITH_DEV = locked(BACKEND_DIR / "requirements-dev.lock")


def test_parse_normalizes_names_and_strips_extras() -> None:
    assert parse("Typing_Extensions[a,b] == 4.16.0") == ("typing-extensions", "4.16.0")
    assert parse('uvloop==0.23.0 ; sys_platform != "win32"') == ("uvloop", "0.23.0")


@pytest.mark.parametrize("lock", [SERVING, WITH_DEV], ids=["serving", "dev"])
def test_each_lock_pins_each_package_once(lock: list[tuple[str, str]]) -> None:
    names = [name for name, _ in lock]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("requirement", RUNTIME)
def test_runtime_dependency_is_locked_at_the_same_version_in_both(requirement: str) -> None:
    name, version = parse(requirement)
    assert dict(SERVING).get(name) == version
    assert dict(WITH_DEV).get(name) == version


@pytest.mark.parametrize("requirement", DEV)
def test_dev_dependency_is_locked_for_tests_only(requirement: str) -> None:
    name, version = parse(requirement)
    assert dict(WITH_DEV).get(name) == version


def test_the_dev_lock_is_the_serving_lock_plus_tools() -> None:
    assert set(SERVING) <= set(WITH_DEV)
    assert not [name for name, _ in SERVING if name in DEV_ONLY]
