"""Load the shipped assessment templates from the TOML files in ``assessments/data``.

Idempotent like the framework loader: a (code, version) already in the database is left alone.
Every file is checked before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kotacerdas.assessments.definition import (
    Problem,
    TemplateInvalid,
    TemplateSpec,
    parse_header,
    parse_item,
    parse_section,
)
from kotacerdas.assessments.models import Template
from kotacerdas.assessments.services.templates import create_template
from kotacerdas.lib.messages import Message
from kotacerdas.lib.uploads import UnreadableFile, parse_toml

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass
class LoadResult:
    created: list[str]
    skipped: list[str]


def spec_from_dict(data: dict[str, Any], name: str) -> TemplateSpec:
    """A spec from the parsed TOML; raises TemplateInvalid with every problem found."""
    problems: list[Problem] = []
    header = {k: v for k, v in data.items() if k != "sections"}
    spec = parse_header(header, name, problems)
    for n, raw_section in enumerate(data.get("sections", []), start=1):
        if not isinstance(raw_section, dict):
            problems.append(Problem(f"{name} section #{n}", "section", Message("section", gettext_noop("not a table"))))
            continue
        where = f"{name} section {raw_section.get('code') or '#' + str(n)}"
        section = parse_section({k: v for k, v in raw_section.items() if k != "items"}, where, problems)
        for m, raw_item in enumerate(raw_section.get("items", []), start=1):
            item_where = f"{where} item {raw_item.get('code') or '#' + str(m)}"
            section.items.append(parse_item(raw_item, item_where, problems))
        spec.sections.append(section)
    if problems:
        raise TemplateInvalid(problems)
    return spec


def read_file(path: Path) -> TemplateSpec:
    try:
        raw = path.read_bytes()
    except OSError:
        raise TemplateInvalid(
            [Problem(path.name, "", _("The file “%(name)s” cannot be read.") % {"name": path.name})]
        ) from None
    return read_toml(raw, path.name)


def read_toml(raw: bytes, name: str) -> TemplateSpec:
    """A spec from the bytes of a template TOML file; TemplateInvalid naming the file and the fault."""
    try:
        data = parse_toml(raw, name, _("Upload a template file (.toml or .xlsx) like those shipped with KotaCerdas."))
    except UnreadableFile as error:
        raise TemplateInvalid([Problem(name, "", error.message)]) from None
    return spec_from_dict(data, name)


@transaction.atomic
def load_templates(directory: Path = DATA_DIR) -> LoadResult:
    parsed = [(path, read_file(path)) for path in sorted(directory.glob("*.toml"))]
    existing = set(Template.objects.values_list("code", "version"))
    result = LoadResult(created=[], skipped=[])
    for path, spec in parsed:
        label = f"{spec.code} v{spec.version}"
        if (spec.code, spec.version) in existing:
            result.skipped.append(label)
            continue
        create_template(actor=None, spec=spec, where=path.name)
        result.created.append(label)
    return result
