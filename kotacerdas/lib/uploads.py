"""Opening the files people import: one place that turns a parser's failure into a sentence.

Every import (plan JSON/XLSX, assessment runs and templates, framework files) reads its file
through these functions (workbooks through ``kotacerdas.lib.spreadsheets.open_workbook``), so a
wrong or damaged file is refused with what the file should have been, the file's name and, for
text formats, the line and column in plain words; never with a parser's own English
("BadZipFile", "Expecting value: line 1 column 1").

They also bound the work a file can cause (issue 14): a file larger than
``settings.IMPORT_MAX_BYTES``, JSON or TOML nested deeper than :data:`MAX_DEPTH`, and numbers that
are not finite (``NaN``, ``Infinity``, ``1e400``) are refused before any importer sees them, and
:func:`capped` keeps a list of problems to ``settings.IMPORT_MAX_PROBLEMS``.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from collections.abc import Sequence
from typing import Any, TypeVar

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

TOML_PLACE = re.compile(r"at line (\d+), column (\d+)")
# No document we read nests deeper than a handful of levels; 32 leaves room and keeps every
# recursive reader (schema checks, importers) far from Python's recursion limit.
MAX_DEPTH = 32
T = TypeVar("T")


class UnreadableFile(Exception):
    """The file is not of the kind the import expects; ``message`` says what it should be."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def check_size(size: int, name: str) -> None:
    """UnreadableFile when a file of ``size`` bytes is larger than any import reads."""
    limit = settings.IMPORT_MAX_BYTES
    if size > limit:
        raise UnreadableFile(
            _("The file “%(name)s” is too large to import: %(size)s MB, at most %(limit)s MB.")
            % {"name": name, "size": _megabytes(size), "limit": _megabytes(limit)}
        )


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".rstrip("0").rstrip(".")


def check_depth(value: Any, name: str, limit: int = MAX_DEPTH) -> None:
    """UnreadableFile when lists and tables in ``value`` nest deeper than ``limit`` (no recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        if depth > limit:
            raise UnreadableFile(_too_deep(name, limit))
        stack.extend((child, depth + 1) for child in children)


def _too_deep(name: str, limit: int = MAX_DEPTH) -> str:
    return _("The file “%(name)s” nests lists or tables more than %(limit)s levels deep.") % {
        "name": name,
        "limit": limit,
    }


class _NotFinite(Exception):
    pass


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise _NotFinite(text)
    return number


def _no_constant(text: str) -> float:
    raise _NotFinite(text)


def _not_finite(name: str, text: str) -> str:
    return _("The file “%(name)s” holds the number %(value)s, which is not a finite number.") % {
        "name": name,
        "value": text[:40],
    }


def capped(problems: Sequence[T], more: Any) -> list[T]:
    """The first ``settings.IMPORT_MAX_PROBLEMS`` problems, and ``more(n)`` for the n left off."""
    limit = settings.IMPORT_MAX_PROBLEMS
    if len(problems) <= limit:
        return list(problems)
    return [*problems[:limit], more(len(problems) - limit)]


def more_problems(count: int) -> str:
    """“and N more problems”: the line that ends a capped list."""
    return ngettext("and %(count)s more problem", "and %(count)s more problems", count) % {"count": count}


def parse_json(data: bytes, name: str, hint: str | None = None) -> Any:
    """The JSON value in ``data``; UnreadableFile naming the file and the place of the fault."""
    hint = hint or _("Upload a .json file exported from KotaCerdas.")
    check_size(len(data), name)
    if not data.strip():
        raise UnreadableFile(f"{_('The file “%(name)s” is empty.') % {'name': name}} {hint}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        message = _("The file “%(name)s” is not a JSON text file.") % {"name": name}
        raise UnreadableFile(f"{message} {hint}") from None
    try:
        value = json.loads(text, parse_float=_finite_float, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        message = _(
            "The file “%(name)s” is not valid JSON: it cannot be read from line %(line)s, character %(column)s on."
        ) % {"name": name, "line": error.lineno, "column": error.colno}
        raise UnreadableFile(f"{message} {hint}") from None
    except _NotFinite as error:
        raise UnreadableFile(_not_finite(name, str(error))) from None
    except RecursionError:
        raise UnreadableFile(_too_deep(name)) from None
    except ValueError:  # an integer of more than 4,300 digits
        message = _("The file “%(name)s” holds a number too long to read.") % {"name": name}
        raise UnreadableFile(message) from None
    check_depth(value, name)
    return value


def parse_toml(data: bytes | str, name: str, hint: str | None = None) -> dict[str, Any]:
    """The table in a TOML file; UnreadableFile naming the file and the place of the fault."""
    hint = hint or _("Check the file against the examples shipped with KotaCerdas.")
    check_size(len(data), name)
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            message = _("The file “%(name)s” is not a TOML text file.") % {"name": name}
            raise UnreadableFile(f"{message} {hint}") from None
    try:
        value = tomllib.loads(data, parse_float=_finite_float)
    except _NotFinite as error:
        raise UnreadableFile(_not_finite(name, str(error))) from None
    except RecursionError:
        raise UnreadableFile(_too_deep(name)) from None
    except ValueError as error:
        if not isinstance(error, tomllib.TOMLDecodeError):  # an integer of more than 4,300 digits
            message = _("The file “%(name)s” holds a number too long to read.") % {"name": name}
            raise UnreadableFile(message) from None
        place = TOML_PLACE.search(str(error))
        if place:
            message = _(
                "The file “%(name)s” is not valid TOML: it cannot be read from line %(line)s, character %(column)s on."
            ) % {"name": name, "line": place.group(1), "column": place.group(2)}
        else:
            message = _(
                "The file “%(name)s” is not valid TOML: "
                "it cannot be read at its end (something is unfinished or repeated)."
            ) % {"name": name}
        raise UnreadableFile(f"{message} {hint}") from None
    check_depth(value, name)
    return value
