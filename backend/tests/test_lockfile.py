"""requirements.lock (what `make venv` installs) pins what pyproject.toml pins."""

import re
import tomllib

import pytest

from tests.support.databases import BACKEND_DIR

PROJECT = tomllib.loads((BACKEND_DIR / "pyproject.toml").read_text())["project"]
PINNED = PROJECT["dependencies"] + PROJECT["optional-dependencies"]["dev"]


def parse(requirement: str) -> tuple[str, str]:
    """'uvicorn[standard]==0.54.0' -> ('uvicorn', '0.54.0'), name normalized, marker dropped."""
    requirement = requirement.split(";")[0]
    match = re.fullmatch(r"\s*([A-Za-z0-9._-]+)(\[[^\]]*\])?\s*==\s*(\S+)\s*", requirement)
    assert match, f"not pinned with ==: {requirement!r}"
    return re.sub(r"[-_.]+", "-", match[1]).lower(), match[3]


LOCKED = [
    parse(line)
    for line in (BACKEND_DIR / "requirements.lock").read_text().splitlines()
    if line.strip() and not line.lstrip().startswith("#")
]


def test_parse_normalizes_names_and_strips_extras() -> None:
    assert parse("Typing_Extensions[a,b] == 4.16.0") == ("typing-extensions", "4.16.0")
    assert parse('uvloop==0.23.0 ; sys_platform != "win32"') == ("uvloop", "0.23.0")


def test_lock_pins_each_package_once() -> None:
    names = [name for name, _ in LOCKED]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("requirement", PINNED)
def test_pinned_dependency_is_locked_at_the_same_version(requirement: str) -> None:
    name, version = parse(requirement)
    assert dict(LOCKED).get(name) == version
