"""A small JSON Schema checker for the subset our schema uses (pure Python, no dependency).

Supports type (with lists and null), enum, const, required, properties,
additionalProperties: false, items, minimum, maximum, and the formats ``date`` (YYYY-MM-DD) and
``decimal`` (a number, or a string of one: "12.5", not "1 hari"). Every problem is reported with the JSON
path it sits at, so an import lists all of them at once. The problems are messages
(``lib.messages``): the importer shows them in the reader's language.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from kotacerdas.lib.messages import Message, gettext_noop

TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "null": (type(None),),
}


def _is(value: Any, kind: str) -> bool:
    if kind in ("integer", "number") and isinstance(value, bool):
        return False
    return isinstance(value, TYPES[kind])


def _formatted(value: Any, kind: str) -> bool:
    """Whether a string is what the format says (other types are the type check's business)."""
    if not isinstance(value, str):
        return True
    if kind == "date":
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            return False
        return True
    if kind == "decimal":
        try:
            return Decimal(value.strip()).is_finite() if value.strip() else False
        except InvalidOperation:
            return False
    return True


def validate(value: Any, schema: dict[str, Any], path: str = "$") -> list[tuple[str, Message]]:
    """(json path, message) for every place where ``value`` breaks ``schema``."""
    problems: list[tuple[str, Message]] = []
    kinds = schema.get("type")
    if kinds is not None:
        wanted = [kinds] if isinstance(kinds, str) else list(kinds)
        if not any(_is(value, k) for k in wanted):
            found = {"wanted": " or ".join(wanted), "found": type(value).__name__}
            return [(path, Message("type", gettext_noop("expected %(wanted)s, found %(found)s"), found))]
    if "const" in schema and value != schema["const"]:
        problems.append((path, Message("const", gettext_noop("must be %(value)r"), {"value": schema["const"]})))
    if "enum" in schema and value not in schema["enum"]:
        choices = {"value": value, "choices": ", ".join(str(c) for c in schema["enum"] if c is not None)}
        problems.append((path, Message("enum", gettext_noop("%(value)r is not one of %(choices)s"), choices)))
    if "format" in schema and not _formatted(value, schema["format"]):
        message = (
            gettext_noop("%(value)r is not a date (YYYY-MM-DD)")
            if schema["format"] == "date"
            else gettext_noop("%(value)r is not a number")
        )
        problems.append((path, Message("format", message, {"value": value})))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            bound = {"value": value, "bound": schema["minimum"]}
            problems.append((path, Message("minimum", gettext_noop("%(value)s is below the minimum %(bound)s"), bound)))
        if "maximum" in schema and value > schema["maximum"]:
            bound = {"value": value, "bound": schema["maximum"]}
            problems.append((path, Message("maximum", gettext_noop("%(value)s is above the maximum %(bound)s"), bound)))
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for key in schema.get("required", []):
            if key not in value:
                problems.append((f"{path}.{key}", Message("required", gettext_noop("is required"))))
        for key, item in value.items():
            if key in props:
                problems.extend(validate(item, props[key], f"{path}.{key}"))
            elif schema.get("additionalProperties") is False:
                problems.append((f"{path}.{key}", Message("unknown", gettext_noop("is not a known field"))))
    if isinstance(value, list) and "items" in schema:
        for n, item in enumerate(value):
            problems.extend(validate(item, schema["items"], f"{path}[{n}]"))
    return problems
