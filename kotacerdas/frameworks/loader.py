"""Load framework versions from the TOML files in ``frameworks/data``.

Loading is idempotent: a (code, version) already in the database is left alone, so a published
version is never overwritten by a later edit of its file. A new version is a new file.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from kotacerdas.frameworks.models import Framework, FrameworkEntry, Kind, Status
from kotacerdas.frameworks.rules import EntryData, problems

DATA_DIR = Path(__file__).resolve().parent / "data"


class FrameworkFileError(Exception):
    """A framework file is unreadable or invalid; the message names the file and the entry."""


@dataclass
class LoadResult:
    created: list[str]
    skipped: list[str]


def _decimal(value: Any, where: str, field: str) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise FrameworkFileError(f"{where}: {field} {value!r} is not a number.") from None


def _entry(raw: dict[str, Any], where: str) -> EntryData:
    for key in ("code", "name"):
        if not str(raw.get(key, "")).strip():
            raise FrameworkFileError(f"{where}: missing '{key}'.")
    here = f"{where} entry {raw['code']}"
    return EntryData(
        code=str(raw["code"]),
        name=str(raw["name"]),
        level=raw.get("level"),
        weight=_decimal(raw.get("weight"), here, "weight"),
        lower_bound=_decimal(raw.get("lower_bound"), here, "lower_bound"),
        lower_inclusive=bool(raw.get("lower_inclusive", True)),
        children=[_entry(c, here) for c in raw.get("children", [])],
    )


def read_file(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise FrameworkFileError(f"{path.name}: {error}") from None
    for key in ("kind", "code", "version", "title"):
        if key not in data:
            raise FrameworkFileError(f"{path.name}: missing '{key}'.")
    if data["kind"] not in Kind.values:
        raise FrameworkFileError(f"{path.name}: unknown kind {data['kind']!r}.")
    entries = [_entry(e, path.name) for e in data.get("entries", [])]
    found = problems(data["kind"], entries)
    if found:
        raise FrameworkFileError(f"{path.name}: " + " ".join(found))
    return data


@transaction.atomic
def load_all(directory: Path = DATA_DIR) -> LoadResult:
    """Load every ``*.toml`` in ``directory``; all files are checked before anything is written."""
    files = sorted(directory.glob("*.toml"))
    parsed = [(path, read_file(path)) for path in files]
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
            code=raw["code"],
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
