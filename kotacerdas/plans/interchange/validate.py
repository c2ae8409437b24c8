"""A small JSON Schema checker for the subset our schema uses (pure Python, no dependency).

Supports type (with lists and null), enum, const, required, properties,
additionalProperties: false, items, minimum, maximum. Every problem is reported with the JSON
path it sits at, so an import lists all of them at once.
"""

from __future__ import annotations

from typing import Any

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


def validate(value: Any, schema: dict[str, Any], path: str = "$") -> list[tuple[str, str]]:
    """(json path, message) for every place where ``value`` breaks ``schema``."""
    problems: list[tuple[str, str]] = []
    kinds = schema.get("type")
    if kinds is not None:
        wanted = [kinds] if isinstance(kinds, str) else list(kinds)
        if not any(_is(value, k) for k in wanted):
            return [(path, f"expected {' or '.join(wanted)}, found {type(value).__name__}")]
    if "const" in schema and value != schema["const"]:
        problems.append((path, f"must be {schema['const']!r}"))
    if "enum" in schema and value not in schema["enum"]:
        problems.append((path, f"{value!r} is not one of {', '.join(map(str, schema['enum']))}"))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            problems.append((path, f"{value} is below the minimum {schema['minimum']}"))
        if "maximum" in schema and value > schema["maximum"]:
            problems.append((path, f"{value} is above the maximum {schema['maximum']}"))
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for key in schema.get("required", []):
            if key not in value:
                problems.append((f"{path}.{key}", "is required"))
        for key, item in value.items():
            if key in props:
                problems.extend(validate(item, props[key], f"{path}.{key}"))
            elif schema.get("additionalProperties") is False:
                problems.append((f"{path}.{key}", "is not a known field"))
    if isinstance(value, list) and "items" in schema:
        for n, item in enumerate(value):
            problems.extend(validate(item, schema["items"], f"{path}[{n}]"))
    return problems
