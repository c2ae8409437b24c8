"""The import's own verdict as plan-check findings (pure Python).

``kotacerdas plan check FILE`` must report everything ``kotacerdas plan import`` would refuse:
both run the one validation of the importer (``interchange.importer.check_document``), and its
problems become findings of PI001 (refused) and PI002 (accepted with a warning) here, beside the
guide's rules. The rules register themselves in the catalogue when this module is imported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from kotacerdas.plans.checks.findings import RULES, Finding, Rule, Severity
from kotacerdas.plans.checks.findings import gettext_noop as _

IMPORT_RULES: dict[str, Rule] = {
    r.id: r
    for r in [
        Rule(
            "PI001",
            Severity.ERROR,
            _("The file can be imported"),
            _("The import refuses the whole file while any of these remain; nothing is saved until all are fixed."),
        ),
        Rule(
            "PI002",
            Severity.WARNING,
            _("Accepted by the import, worth a look"),
            _("The import takes the file as it is, but a reviewer should confirm these."),
        ),
    ]
}
RULES.update(IMPORT_RULES)
PROGRAMME = re.compile(r"^\$\.programmes\[(\d+)\]")


def _programme(doc: Any, path: str) -> tuple[str | None, str | None]:
    match = PROGRAMME.match(path)
    programmes = doc.get("programmes") if isinstance(doc, dict) else None
    if not match or not isinstance(programmes, list) or int(match.group(1)) >= len(programmes):
        return None, None
    p = programmes[int(match.group(1))]
    if not isinstance(p, dict):
        return None, None
    code, dimension = p.get("code"), p.get("dimension")
    return (code if isinstance(code, str) else None), (dimension if isinstance(dimension, str) else None)


def import_findings(
    doc: Any, refused: Iterable[tuple[str, str]], warned: Iterable[tuple[str, str]] = ()
) -> list[Finding]:
    """Findings for the import's problems (path, text already in the reader's language)."""
    found = []
    for rule, problems in (("PI001", refused), ("PI002", warned)):
        for path, text in problems:
            code, dimension = _programme(doc, path)
            found.append(Finding(rule, RULES[rule].severity, "%(problem)s", {"problem": text}, path, code, dimension))
    return found
