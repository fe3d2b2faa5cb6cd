"""A light Table Schema check, run on every CSV export before it is written.

The tests validate the same files with frictionless, the reference implementation; at run
time fundledger only needs the few constraints the schemas it ships use (``required``,
``pattern``, ``enum``, ``maxLength``, ``minimum``, ``maximum``, and the ``date``,
``number``, ``integer`` and ``boolean`` types), so it checks those itself rather than
load frictionless and its dependencies on every export.
"""

from __future__ import annotations

import datetime
import importlib.resources
import json
import re
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any


@cache
def load_schema(name: str) -> dict[str, Any]:
    """A schema shipped in ``fundledger/opendata/schemas/``."""
    resource = importlib.resources.files("fundledger.opendata") / "schemas" / name
    return json.loads(resource.read_text(encoding="utf-8"))


def columns(schema: dict[str, Any]) -> list[str]:
    return [f["name"] for f in schema["fields"]]


def field_problem(spec: dict[str, Any], value: str) -> str | None:
    """Why ``value`` (a CSV cell, as text) breaks the field ``spec``, or ``None``."""
    constraints = spec.get("constraints", {})
    if value == "":
        return "is required and empty" if constraints.get("required") else None
    kind = spec.get("type", "string")
    number: Decimal | None = None
    if kind == "date":
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            return f"{value!r} is not a date (YYYY-MM-DD)"
    elif kind in ("number", "integer"):
        try:
            number = Decimal(value)
        except InvalidOperation:
            return f"{value!r} is not a number"
        if kind == "integer" and number != number.to_integral_value():
            return f"{value!r} is not an integer"
    elif kind == "boolean":
        allowed = spec.get("trueValues", ["true"]) + spec.get("falseValues", ["false"])
        if value not in allowed:
            return f"{value!r} is not one of {', '.join(allowed)}"
    if "pattern" in constraints and not re.fullmatch(constraints["pattern"], value):
        return f"{value!r} does not match {constraints['pattern']}"
    if "enum" in constraints and value not in constraints["enum"]:
        return f"{value!r} is not one of {', '.join(map(repr, constraints['enum']))}"
    if "maxLength" in constraints and len(value) > constraints["maxLength"]:
        return f"is longer than {constraints['maxLength']} characters"
    if number is not None:
        if "minimum" in constraints and number < Decimal(str(constraints["minimum"])):
            return f"{value} is below the minimum {constraints['minimum']}"
        if "maximum" in constraints and number > Decimal(str(constraints["maximum"])):
            return f"{value} is above the maximum {constraints['maximum']}"
    return None


def row_problems(schema: dict[str, Any], row: dict[str, str]) -> list[str]:
    """``field: why`` for every field of ``row`` the schema refuses."""
    problems = []
    for spec in schema["fields"]:
        why = field_problem(spec, str(row.get(spec["name"], "")))
        if why:
            problems.append(f"{spec['name']}: {why}")
    return problems
