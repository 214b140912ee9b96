"""Which revisions the database's objects show, whatever alembic_version says.

`alembic_version` records what was run or *stamped*; a stamp runs nothing. The migration
guide's troubleshooting advice (`alembic stamp head` on tables made by hand) therefore leaves
a database that claims the head and lacks everything after revision 001, and it answered 500
on the first list. Each revision declares, in `SCHEMA_OBJECTS`, objects it creates (tables,
indexes, functions, types, columns as `table.column`, storage parameters of an index as
`table.index:name=value`); one query asks PostgreSQL which of them exist (`to_regclass`,
`to_regprocedure`, `to_regtype`, pg_attribute, pg_class.reloptions: NULL for a missing name, no
error), and `SchemaObjects` answers:

- `shown_revision`: the last revision whose objects, and those of every revision before it,
  all exist: what the database really holds;
- `missing_through(revision)`: what a database at `revision` should hold and does not: the
  objects of `revision` and its ancestors, less those a revision among them declares it
  dropped (`SCHEMA_OBJECTS["dropped"]`, e.g. `{"dropped": {"relations": ["ix_old"]}}`).

Presence only: an index a failed `CREATE INDEX CONCURRENTLY` left INVALID counts as there
(revision 006 drops and rebuilds such indexes when it runs again).

alembic/env.py uses it to refuse an upgrade on tables Alembic did not make and a stamp the
objects do not back; the schema gate (/readyz, the API's 503) and `make migrate` use it to
refuse a database stamped past its objects. The query costs one round trip.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import (
    ColumnElement,
    Select,
    Text,
    any_,
    bindparam,
    case,
    column,
    func,
    literal_column,
    not_,
    select,
    table,
)

BACKEND_DIR = Path(__file__).resolve().parents[2]

_PG_ATTRIBUTE = table(
    "pg_attribute",
    column("attrelid"),
    column("attname"),
    column("attnum"),
    column("attisdropped"),
    schema="pg_catalog",
)


def _column_number(name: ColumnElement[str]) -> ColumnElement[Any]:
    """A column named `table.column`: its number, NULL when either is absent (a revision
    that only adds a column shows by it)."""
    attribute = _PG_ATTRIBUTE.c
    dot: ColumnElement[str] = literal_column("'.'")
    first: ColumnElement[int] = literal_column("1")
    second: ColumnElement[int] = literal_column("2")
    return (
        select(attribute.attnum)
        .where(
            attribute.attrelid == func.to_regclass(func.split_part(name, dot, first)),
            attribute.attname == func.split_part(name, dot, second),
            not_(attribute.attisdropped),
        )
        .scalar_subquery()
    )


_PG_CLASS = table("pg_class", column("oid"), column("reloptions"), schema="pg_catalog")


def _index_option(name: ColumnElement[str]) -> ColumnElement[Any]:
    """A storage parameter named `table.index:option=value`: 1 when the index has it, NULL
    when it lacks it. Where the table exists without the index, it shows too: an index built
    only on some servers (revision 006's trigram indexes, where pg_trgm is) has nothing to set
    elsewhere, and the revision that builds it shows whether that ran."""
    colon: ColumnElement[str] = literal_column("':'")
    dot: ColumnElement[str] = literal_column("'.'")
    first: ColumnElement[int] = literal_column("1")
    second: ColumnElement[int] = literal_column("2")
    qualified = func.split_part(name, colon, first)
    index = func.to_regclass(func.split_part(qualified, dot, second))
    table_exists = func.to_regclass(func.split_part(qualified, dot, first)).is_not(None)
    has_option = (
        select(first)
        .where(
            _PG_CLASS.c.oid == index,
            func.split_part(name, colon, second) == any_(_PG_CLASS.c.reloptions),
        )
        .scalar_subquery()
    )
    return case((index.is_(None), case((table_exists, first))), else_=has_option)


# The lookup function for each kind of object; each returns NULL for a name that is absent.
_LOOKUPS: Mapping[str, Callable[..., Any]] = {
    "relations": func.to_regclass,
    "functions": func.to_regprocedure,
    "types": func.to_regtype,
    "columns": _column_number,
    "index_options": _index_option,
}


@dataclass(frozen=True)
class SchemaObject:
    revision: str
    kind: str  # a key of _LOOKUPS
    name: str
    dropped_by: str | None = None  # the revision that drops it, if one does

    def __str__(self) -> str:
        if self.kind in ("types", "columns"):
            return f"{self.kind[:-1]} {self.name}"
        if self.kind == "index_options":
            index, option = self.name.split(".", 1)[1].split(":", 1)
            return f"option {option} on {index}"
        return self.name


def declared_objects(script: ScriptDirectory) -> tuple[tuple[str, ...], tuple[SchemaObject, ...]]:
    """The revisions, base first, and the objects each declares in SCHEMA_OBJECTS (each with
    the revision that declares it dropped, if any)."""
    revisions = list(reversed(list(script.walk_revisions())))
    objects: list[SchemaObject] = []
    for revision in revisions:
        declared = getattr(revision.module, "SCHEMA_OBJECTS", None)
        if not isinstance(declared, dict):
            raise ValueError(f"revision {revision.revision} declares no SCHEMA_OBJECTS")
        for kind, names in declared.items():
            if kind == "dropped":
                continue
            if kind not in _LOOKUPS:
                raise ValueError(f"revision {revision.revision}: unknown kind {kind!r}")
            objects += [SchemaObject(revision.revision, kind, name) for name in names]
        for kind, names in declared.get("dropped", {}).items():
            for name in names:
                found = [i for i, o in enumerate(objects) if (o.kind, o.name) == (kind, name)]
                if not found:
                    raise ValueError(
                        f"revision {revision.revision} drops {kind} {name!r}, which no earlier "
                        "revision declares"
                    )
                objects[found[-1]] = replace(objects[found[-1]], dropped_by=revision.revision)
    return tuple(r.revision for r in revisions), tuple(objects)


class SchemaObjects:
    """The declared objects of this code's revisions, and the statement that finds them."""

    def __init__(self, script: ScriptDirectory) -> None:
        self.revisions, self.objects = declared_objects(script)
        # Each revision and its ancestors (the history a database at it has run).
        self._history = {
            revision: frozenset(s.revision for s in script.iterate_revisions(revision, "base"))
            for revision in self.revisions
        }
        # One boolean column per object, each name a parameter (o0, o1...): the same text
        # every time, with the names as values.
        self.statement: Select[Any] = select(
            *(
                _LOOKUPS[o.kind](bindparam(f"o{i}", type_=Text)).is_not(None).label(f"o{i}")
                for i, o in enumerate(self.objects)
            )
        )
        self.params = {f"o{i}": o.name for i, o in enumerate(self.objects)}

    def present(self, row: Mapping[Any, Any]) -> frozenset[SchemaObject]:
        """The declared objects that exist, from the statement's row."""
        return frozenset(o for i, o in enumerate(self.objects) if row[f"o{i}"])

    def shown_revision(self, present: frozenset[SchemaObject]) -> str | None:
        """The latest revision whose objects, and its ancestors' (less those dropped since),
        all exist; None if not even the first revision's do."""
        for revision in reversed(self.revisions):
            if not self.missing_through(revision, present):
                return revision
        return None

    def missing_through(
        self, revision: str, present: frozenset[SchemaObject]
    ) -> tuple[SchemaObject, ...]:
        """The objects of `revision` and of every revision before it that do not exist."""
        history = self._history.get(revision)
        if history is None:
            return ()  # a revision this code does not know: nothing to check it against
        return tuple(
            o
            for o in self.objects
            if o.revision in history
            and (o.dropped_by is None or o.dropped_by not in history)
            and o not in present
        )


@lru_cache
def alembic_script() -> ScriptDirectory:
    """The migrations shipped with this code (backend/alembic)."""
    config = Config(str(BACKEND_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(BACKEND_DIR / "alembic"))
    return ScriptDirectory.from_config(config)


@lru_cache
def schema_objects() -> SchemaObjects:
    return SchemaObjects(alembic_script())


def describe_missing(missing: Sequence[SchemaObject]) -> str:
    """`a, b (revisions 002, 003 never ran)`: the words /readyz, make migrate and a refused
    stamp all use."""
    never_ran = sorted({o.revision for o in missing})
    revisions = ("revision " if len(never_ran) == 1 else "revisions ") + ", ".join(never_ran)
    return f"{', '.join(str(o) for o in missing)} ({revisions} never ran)"
