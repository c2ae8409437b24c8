"""Load framework versions from the TOML files in ``frameworks/data``.

Loading is idempotent: a (code, version) already in the database is left alone, so a published
version is never overwritten by a later edit of its file. A new version is a new file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.frameworks.models import Framework, FrameworkEntry, Kind, Status
from kotacerdas.frameworks.rules import EntryData, problems
from kotacerdas.lib.limits import field_problem
from kotacerdas.lib.uploads import UnreadableFile, parse_toml

DATA_DIR = Path(__file__).resolve().parent / "data"
SLUG = re.compile(r"[-a-zA-Z0-9_]+")


class FrameworkFileError(Exception):
    """A framework file is unreadable or invalid; the message names the file and the entry."""


@dataclass
class LoadResult:
    created: list[str]
    skipped: list[str]


FILE_KEYS = frozenset({"kind", "code", "version", "title", "title_en", "year", "source", "is_default", "entries"})
ENTRY_KEYS = frozenset(
    {"code", "name", "name_en", "description", "level", "weight", "lower_bound", "lower_inclusive", "children"}
)


def _decimal(value: Any, where: str, field: str) -> Decimal | None:
    if value is None:
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise FrameworkFileError(f"{where}: {field} {value!r} is not a number.")
    return number


def _whole(value: Any, where: str, field: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise FrameworkFileError(f"{where}: {field} {value!r} is not a whole number.")
    return value


def _flag(value: Any, where: str, field: str) -> bool:
    if not isinstance(value, bool):
        raise FrameworkFileError(f"{where}: {field} {value!r} is not true or false.")
    return value


def _unknown_keys(raw: dict[str, Any], known: frozenset[str], where: str) -> None:
    # A misspelt key (lower_bund) would silently leave a bound empty and change every class.
    unknown = sorted(set(raw) - known)
    if unknown:
        raise FrameworkFileError(f"{where}: unknown key {unknown[0]!r}.")


def _entry(raw: Any, where: str, position: int) -> EntryData:
    if not isinstance(raw, dict):
        raise FrameworkFileError(f"{where} entry #{position}: not a table.")
    code = str(raw.get("code", "")).strip()
    here = f"{where} entry {code}" if code else f"{where} entry #{position}"
    for key in ("code", "name"):
        if not str(raw.get(key, "")).strip():
            raise FrameworkFileError(f"{here}: missing '{key}'.")
    _unknown_keys(raw, ENTRY_KEYS, here)
    return EntryData(
        code=code,
        name=str(raw["name"]),
        level=_whole(raw.get("level"), here, "level"),
        weight=_decimal(raw.get("weight"), here, "weight"),
        lower_bound=_decimal(raw.get("lower_bound"), here, "lower_bound"),
        lower_inclusive=_flag(raw.get("lower_inclusive", True), here, "lower_inclusive"),
        children=[_entry(c, here, n) for n, c in enumerate(_list(raw.get("children", []), here, "children"), start=1)],
    )


def _list(value: Any, where: str, field: str) -> list[Any]:
    if not isinstance(value, list):
        raise FrameworkFileError(f"{where}: {field} is not a list of tables.")
    return value


def _limits(data: dict[str, Any], name: str) -> None:
    """A value its column cannot store (too long, too many digits, a NUL character): refused by name."""
    for key in ("code", "version", "title", "title_en", "year", "source"):
        problem = field_problem(Framework, key, data.get(key))
        if problem is not None:
            raise FrameworkFileError(f"{name}: {key}: {problem}")
    stack = [(raw, name, n) for n, raw in enumerate(data.get("entries", []), start=1)]
    while stack:
        raw, where, position = stack.pop()
        here = f"{where} entry {raw.get('code') or f'#{position}'}"
        for key in ("code", "name", "name_en", "description", "level", "weight", "lower_bound"):
            problem = field_problem(FrameworkEntry, key, raw.get(key))
            if problem is not None:
                raise FrameworkFileError(f"{here}: {key}: {problem}")
        stack.extend((child, here, n) for n, child in enumerate(raw.get("children", []), start=1))


def read_file(path: Path) -> dict[str, Any]:
    """The parsed file, after checking it could be published as it is; raises FrameworkFileError."""
    try:
        data = parse_toml(path.read_bytes(), path.name, _("Start from a framework file shipped with KotaCerdas."))
    except OSError:
        raise FrameworkFileError(_("The file “%(name)s” cannot be read.") % {"name": path.name}) from None
    except UnreadableFile as error:
        raise FrameworkFileError(error.message) from None
    for key in ("kind", "code", "version", "title"):
        if key not in data:
            raise FrameworkFileError(f"{path.name}: missing '{key}'.")
    _unknown_keys(data, FILE_KEYS, path.name)
    if not SLUG.fullmatch(str(data["code"])):
        raise FrameworkFileError(f"{path.name}: code {data['code']!r} may hold only letters, digits, - and _.")
    if data["kind"] not in Kind.values:
        raise FrameworkFileError(f"{path.name}: unknown kind {data['kind']!r}.")
    if not _whole(data["version"], path.name, "version"):
        raise FrameworkFileError(f"{path.name}: version must be 1 or more.")
    _whole(data.get("year"), path.name, "year")
    _flag(data.get("is_default", False), path.name, "is_default")
    entries = [_entry(e, path.name, n) for n, e in enumerate(_list(data.get("entries", []), path.name, "entries"), 1)]
    _limits(data, path.name)
    found = problems(data["kind"], entries)
    if found:
        raise FrameworkFileError(f"{path.name}: " + " ".join(str(p) for p in found))
    return data


@transaction.atomic
def load_all(directory: Path = DATA_DIR) -> LoadResult:
    """Load every ``*.toml`` in ``directory``; all files are checked before anything is written."""
    files = sorted(directory.glob("*.toml"))
    parsed = [(path, read_file(path)) for path in files]
    seen: dict[tuple[str, int], str] = {}
    for path, data in parsed:
        key = (data["code"], data["version"])
        if key in seen:
            raise FrameworkFileError(f"{path.name}: {data['code']} v{data['version']} is also in {seen[key]}.")
        seen[key] = path.name
    result = LoadResult(created=[], skipped=[])
    existing = set(Framework.objects.values_list("code", "version"))
    for _path, data in parsed:
        key = (data["code"], int(data["version"]))
        label = f"{data['code']} v{data['version']}"
        if key in existing:
            result.skipped.append(label)
            continue
        framework = Framework.objects.create(
            kind=data["kind"],
            code=data["code"],
            version=int(data["version"]),
            title=data["title"],
            title_en=data.get("title_en", ""),
            year=data.get("year"),
            source=data.get("source", ""),
            is_default=bool(data.get("is_default", False)),
            status=Status.PUBLISHED,
            published_at=timezone.now(),
        )
        _create_entries(framework, data.get("entries", []), parent=None)
        result.created.append(label)
    return result


def _create_entries(framework: Framework, raws: list[dict[str, Any]], parent: FrameworkEntry | None) -> None:
    for order, raw in enumerate(raws, start=1):
        entry = FrameworkEntry.objects.create(
            framework=framework,
            parent=parent,
            code=str(raw["code"]).strip(),
            name=raw["name"],
            name_en=raw.get("name_en", ""),
            description=raw.get("description", ""),
            order=order,
            level=raw.get("level"),
            weight=_decimal(raw.get("weight"), framework.code, "weight"),
            lower_bound=_decimal(raw.get("lower_bound"), framework.code, "lower_bound"),
            lower_inclusive=bool(raw.get("lower_inclusive", True)),
        )
        _create_entries(framework, raw.get("children", []), parent=entry)
