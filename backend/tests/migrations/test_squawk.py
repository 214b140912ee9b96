"""Every revision's SQL passes squawk, the PostgreSQL migration linter, or says why not.

Each revision is rendered on its own, exactly as `alembic upgrade <down>:<rev> --sql` prints
it (offline: no database needed), and linted by the squawk binary of the `squawk-cli` wheel.
squawk flags statements that take locks a busy table cannot afford, rewrite tables, or break
the code that is running during a deploy.

A finding is fixed in the revision, or justified there: the revision module defines

    SQUAWK_IGNORE: dict[str, str] = {
        "rule-name": "why this rule's findings are safe in this revision",
    }

Those rules (and only those, for that revision only) are passed to `squawk --exclude`. Every
justification must say something, and every justified rule must really fire on the revision
(no stale or misspelt entries). squawk's own `-- squawk-ignore rule` comments are not used:
alembic would have to emit them with op.execute, i.e. run them as SQL online too.
"""

import json
import subprocess
import sys
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.script import Script, ScriptDirectory

from tests.support.databases import BACKEND_DIR, alembic_config

SQUAWK = Path(sys.executable).parent / "squawk"

# The oldest PostgreSQL the suite runs on (CI's server); the embedded one is 16.
PG_VERSION = "15.0"

MIN_JUSTIFICATION = 20  # characters: "ok", "safe" or "n/a" explain nothing


@dataclass(frozen=True)
class Finding:
    rule: str
    line: int  # 1-based
    message: str
    statement: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.rule}: {self.message}\n    > {self.statement}"


def lint(
    sql: str, name: str = "migration.sql", exclude: frozenset[str] = frozenset()
) -> list[Finding]:
    """squawk's findings on `sql` (read from stdin, reported as `name`)."""
    args = [str(SQUAWK), "--reporter", "json", f"--pg-version={PG_VERSION}"]
    args += ["--stdin-filepath", name]
    if exclude:
        args.append("--exclude=" + ",".join(sorted(exclude)))
    # From backend/: a .squawk.toml of the project, if one is ever added, applies here too.
    result = subprocess.run(
        args, input=sql, capture_output=True, text=True, cwd=BACKEND_DIR, timeout=60, check=False
    )
    # 0: clean, 1: findings; anything else is squawk failing (bad option, crash...).
    assert result.returncode in (0, 1), f"squawk exited {result.returncode}: {result.stderr}"
    raw: list[dict[str, Any]] = json.loads(result.stdout)
    lines = sql.splitlines()
    findings = []
    for item in raw:
        line = int(item["line"])  # 0-based in squawk's JSON
        statement = lines[line].strip() if 0 <= line < len(lines) else ""
        findings.append(Finding(item["rule_name"], line + 1, item["message"], statement))
    return findings


def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


REVISIONS: list[Script] = list(reversed(list(script_directory().walk_revisions())))


def render(revision: Script) -> str:
    """`alembic upgrade <down>:<rev> --sql`: this revision's SQL alone, as deployed."""
    down = revision.down_revision
    if isinstance(down, tuple | list):
        pytest.fail(f"{revision.revision} merges {down}: render each parent range instead")
    buffer = StringIO()
    config = alembic_config()
    config.output_buffer = buffer
    command.upgrade(config, f"{down or 'base'}:{revision.revision}", sql=True)
    return buffer.getvalue()


def justifications(revision: Script) -> dict[str, str]:
    ignore = getattr(revision.module, "SQUAWK_IGNORE", {})
    assert isinstance(ignore, dict), f"{revision.path}: SQUAWK_IGNORE must be a dict"
    return ignore


@pytest.fixture(scope="module")
def rendered() -> dict[str, str]:
    return {revision.revision: render(revision) for revision in REVISIONS}


def test_there_are_revisions_to_lint() -> None:
    assert SQUAWK.is_file(), f"{SQUAWK} missing: install requirements.lock (squawk-cli)"
    assert len(REVISIONS) >= 2


@pytest.mark.parametrize("revision", REVISIONS, ids=lambda r: r.revision)
def test_revision_renders_only_itself(revision: Script, rendered: dict[str, str]) -> None:
    sql = rendered[revision.revision]
    ran = [line for line in sql.splitlines() if line.startswith("-- Running upgrade")]
    assert ran == [f"-- Running upgrade {revision.down_revision or ''} -> {revision.revision}"]


@pytest.mark.parametrize("revision", REVISIONS, ids=lambda r: r.revision)
def test_revision_has_no_unjustified_squawk_finding(
    revision: Script, rendered: dict[str, str]
) -> None:
    justified = frozenset(justifications(revision))
    findings = lint(rendered[revision.revision], f"{revision.revision}.sql", exclude=justified)
    assert not findings, (
        f"squawk on `alembic upgrade {revision.down_revision or 'base'}:{revision.revision}"
        f" --sql` ({Path(revision.path).name}): fix the revision, or justify the rule in its "
        "SQUAWK_IGNORE\n" + "\n".join(map(str, findings))
    )


@pytest.mark.parametrize("revision", REVISIONS, ids=lambda r: r.revision)
def test_every_justification_explains_a_rule_that_fires(
    revision: Script, rendered: dict[str, str]
) -> None:
    ignore = justifications(revision)
    for rule, why in ignore.items():
        assert isinstance(why, str), f"{rule}: the justification must be a string"
        assert len(why.strip()) >= MIN_JUSTIFICATION, f"{rule}: say why it is safe here"
    fired = {finding.rule for finding in lint(rendered[revision.revision])}
    stale = sorted(set(ignore) - fired)
    assert not stale, f"{revision.revision}: SQUAWK_IGNORE names rules squawk does not report"


BAD_SQL = """\
BEGIN;
CREATE INDEX ix_tasks_title ON tasks (title);
ALTER TABLE tasks ADD COLUMN priority int NOT NULL;
COMMIT;
"""


def test_the_lint_fails_on_a_locking_migration() -> None:
    """The check can fail: a blocking index build and a required column on a live table."""
    findings = lint(BAD_SQL)
    rules = {(finding.rule, finding.line) for finding in findings}
    assert ("require-concurrent-index-creation", 2) in rules
    assert ("adding-required-field", 3) in rules
    assert ("require-lock-timeout", 2) in rules


def test_exclude_silences_only_the_rules_named() -> None:
    findings = lint(BAD_SQL, exclude=frozenset({"require-concurrent-index-creation"}))
    rules = {finding.rule for finding in findings}
    assert "require-concurrent-index-creation" not in rules
    assert "adding-required-field" in rules


def test_a_lock_aware_migration_is_clean() -> None:
    """What squawk asks for passes: timeouts first, index built concurrently, outside BEGIN."""
    sql = """\
SET lock_timeout = '2s';
SET statement_timeout = '5min';
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_tasks_title ON tasks (title);
"""
    assert lint(sql) == []
