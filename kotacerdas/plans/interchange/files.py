"""Reading an edition file (JSON document or XLSX workbook) for the web import and the command line.

Both callers get the same refusals: a file that is neither format, a damaged one or JSON that is
not a plan document is one problem with a sentence naming the file and what it should be.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from kotacerdas.lib.uploads import UnreadableFile, parse_json
from kotacerdas.plans.interchange.table import is_table, read_table
from kotacerdas.plans.interchange.xlsx import WorkbookRead, read_workbook


def _hint() -> str:
    return _("Upload a .json or .xlsx file exported from KotaCerdas.")


def read_document(data: bytes, name: str) -> WorkbookRead:
    """The document in a file's bytes, with its reading problems (``where`` is a cell or the file name).

    A workbook keeps its map from JSON paths to cells; a JSON document has none.
    """
    if name.lower().endswith(".xlsx") or data[:2] == b"PK":
        if is_table(data):  # the programme-table template (interchange/table.py)
            return read_table(data, name, _hint())
        return read_workbook(data, name, _hint())
    try:
        doc = parse_json(data, name, _hint())
    except UnreadableFile as error:
        return WorkbookRead({}, [(name, error.message)])
    if not isinstance(doc, dict):
        message = _("The file “%(name)s” holds JSON, but not a master plan edition.") % {"name": name}
        return WorkbookRead({}, [(name, f"{message} {_hint()}")])
    return WorkbookRead(doc)
