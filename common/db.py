"""Which database constraint refused a write.

Services that catch an ``IntegrityError`` must know which invariant the database defended
(one live registration per person, the seat trigger, a unique slug) to answer with the
right message, and re-raise anything else. The message text differs between databases and
versions, so they ask for the constraint's name instead:

- PostgreSQL (psycopg) reports it in ``diag.constraint_name`` of the driver's error.
- SQLite names CHECK constraints, expression indexes and ``RAISE(ABORT, '<name>')``
  triggers in its message, but for a unique violation only lists the columns
  (``UNIQUE constraint failed: table.a, table.b``): the name is then looked up among the
  models' unique constraints on those columns. A single ``unique=True`` column gets the
  name PostgreSQL gives it, ``<table>_<column>_key``, so callers compare with one name.
"""

from __future__ import annotations

import re

from django.apps import apps
from django.db import IntegrityError, models

_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (?P<what>.+)$")
_SQLITE_INDEX = re.compile(r"index '(?P<name>[^']+)'")
_SQLITE_CHECK = re.compile(r"CHECK constraint failed: (?P<name>\w+)")
_IDENTIFIER = re.compile(r"^\w+$")


def constraint_name(error: IntegrityError) -> str | None:
    """The name of the constraint ``error`` reports, or None when it names none."""
    cause = error.__cause__
    diagnostics = getattr(cause, "diag", None)
    name = getattr(diagnostics, "constraint_name", None)
    if name:
        return name
    return _name_from_sqlite_message(str(cause if cause is not None else error).strip())


def _name_from_sqlite_message(message: str) -> str | None:
    check = _SQLITE_CHECK.search(message)
    if check:
        return check["name"]
    unique = _SQLITE_UNIQUE.search(message)
    if unique:
        what = unique["what"].strip()
        index = _SQLITE_INDEX.fullmatch(what)
        if index:
            return index["name"]
        return _unique_constraint_on(
            [column.strip() for column in what.split(",") if column.strip()]
        )
    # A trigger's RAISE(ABORT, 'registration_within_capacity') is the message itself.
    if _IDENTIFIER.match(message):
        return message
    return None


def _unique_constraint_on(qualified_columns: list[str]) -> str | None:
    """The model constraint that is unique over exactly these ``table.column`` names."""
    tables = {column.rpartition(".")[0] for column in qualified_columns}
    if len(tables) != 1:
        return None
    table = tables.pop()
    columns = {column.rpartition(".")[2] for column in qualified_columns}
    for model in apps.get_models():
        if model._meta.db_table != table:
            continue
        if len(columns) == 1:
            (column,) = columns
            for field in model._meta.local_fields:
                if field.unique and not field.primary_key and field.column == column:
                    return f"{table}_{column}_key"
        matches = [
            constraint.name
            for constraint in model._meta.constraints
            if isinstance(constraint, models.UniqueConstraint)
            and constraint.fields
            and {model._meta.get_field(name).column for name in constraint.fields} == columns
        ]
        return matches[0] if len(matches) == 1 else None
    return None
