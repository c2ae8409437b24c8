"""Opening the files people import: one place that turns a parser's failure into a sentence.

Every import (plan JSON/XLSX, assessment runs and templates, framework files) reads its file
through these functions (workbooks through ``kotacerdas.lib.spreadsheets.open_workbook``), so a
wrong or damaged file is refused with what the file should have been, the file's name and, for
text formats, the line and column in plain words; never with a parser's own English
("BadZipFile", "Expecting value: line 1 column 1").
"""

from __future__ import annotations

import json
import re
import tomllib
from typing import Any

from django.utils.translation import gettext as _

TOML_PLACE = re.compile(r"at line (\d+), column (\d+)")


class UnreadableFile(Exception):
    """The file is not of the kind the import expects; ``message`` says what it should be."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_json(data: bytes, name: str, hint: str | None = None) -> Any:
    """The JSON value in ``data``; UnreadableFile naming the file and the place of the fault."""
    hint = hint or _("Upload a .json file exported from KotaCerdas.")
    if not data.strip():
        raise UnreadableFile(f"{_('The file “%(name)s” is empty.') % {'name': name}} {hint}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        message = _("The file “%(name)s” is not a JSON text file.") % {"name": name}
        raise UnreadableFile(f"{message} {hint}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        message = _(
            "The file “%(name)s” is not valid JSON: it cannot be read from line %(line)s, character %(column)s on."
        ) % {"name": name, "line": error.lineno, "column": error.colno}
        raise UnreadableFile(f"{message} {hint}") from None


def parse_toml(data: bytes | str, name: str, hint: str | None = None) -> dict[str, Any]:
    """The table in a TOML file; UnreadableFile naming the file and the place of the fault."""
    hint = hint or _("Check the file against the examples shipped with KotaCerdas.")
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            message = _("The file “%(name)s” is not a TOML text file.") % {"name": name}
            raise UnreadableFile(f"{message} {hint}") from None
    try:
        return tomllib.loads(data)
    except tomllib.TOMLDecodeError as error:
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
