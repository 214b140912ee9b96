"""Typed clients generated from /openapi.json compile, as frontends generate them.

Pinned npm packages (tests/frontend/node): openapi-typescript 7 (at its defaults, and with
`--default-non-nullable false`) with openapi-fetch, and @hey-api/openapi-ts. Each generates
from this API's document; TypeScript (strict) then compiles the small clients in
tests/frontend/node/typed-client: create with a title alone, rename with a title alone, read
`is_completed` as a `boolean` and `description` as `string | null`. A deliberately wrong
client must fail to compile with the two expected errors, so a checker that checks nothing
cannot pass.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from src.core.settings import Settings
from src.main import create_app
from tests.support.better_auth import NODE_PROJECT

pytestmark = pytest.mark.integration

SOURCES = NODE_PROJECT / "typed-client"
TSC_OPTIONS = [
    "--strict",
    "--noEmit",
    "--target",
    "ES2022",
    "--module",
    "ESNext",
    "--moduleResolution",
    "Bundler",
    "--lib",
    "ES2022,DOM,DOM.Iterable",
    "--skipLibCheck",
]


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """The API's document, the clients' sources and the pinned packages, side by side."""
    if not (NODE_PROJECT / "node_modules" / ".bin" / "tsc").exists():
        raise RuntimeError(f"{NODE_PROJECT}/node_modules is missing: run `make integration-deps`")
    settings = Settings(_env_file=None, app_env="test")
    document = TestClient(create_app(settings)).get("/openapi.json").json()
    (tmp_path / "openapi.json").write_text(json.dumps(document))
    for source in SOURCES.glob("*.ts"):
        shutil.copy(source, tmp_path)
    (tmp_path / "node_modules").symlink_to(NODE_PROJECT / "node_modules")
    return tmp_path


def npx(workdir: Path, tool: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(workdir / "node_modules" / ".bin" / tool), *arguments],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def compiles(workdir: Path, source: str) -> subprocess.CompletedProcess[str]:
    return npx(workdir, "tsc", *TSC_OPTIONS, source)


@pytest.mark.parametrize("options", [[], ["--default-non-nullable", "false"]])
def test_openapi_typescript_client_compiles(workdir: Path, options: list[str]) -> None:
    generated = npx(workdir, "openapi-typescript", "openapi.json", "-o", "schema.d.ts", *options)
    assert generated.returncode == 0, generated.stderr

    result = compiles(workdir, "openapi-typescript.ts")

    assert result.returncode == 0, result.stdout + result.stderr


def test_hey_api_client_compiles(workdir: Path) -> None:
    generated = npx(workdir, "openapi-ts", "-i", "openapi.json", "-o", "gen")
    assert generated.returncode == 0, generated.stdout + generated.stderr

    result = compiles(workdir, "hey-api.ts")

    assert result.returncode == 0, result.stdout + result.stderr


def test_a_wrong_client_does_not_compile(workdir: Path) -> None:
    assert npx(workdir, "openapi-typescript", "openapi.json", "-o", "schema.d.ts").returncode == 0

    result = compiles(workdir, "wrong.ts")

    assert result.returncode != 0
    errors = [line for line in result.stdout.splitlines() if ": error TS" in line]
    assert len(errors) == 2, result.stdout
    assert "Property 'title' is missing" in errors[0]
    assert "Type 'boolean' is not assignable to type 'string'" in errors[1]
