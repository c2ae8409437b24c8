"""The SIPD rules (issue 16): codes from the code list of the plan's year, and budget lines that
carry one when the region requires it. Pure functions over the interchange document, like
:mod:`.rules`.

They read ``doc["sipd"]``, which the database adds beside the plan (``plans.selectors.check_document``):
``version`` (the label of the code list in force in the edition's year, None when no list is
loaded), ``known`` (which of the plan's codes that list holds) and ``required`` (the region's
setting). A file checked with no database carries none, and the rules stay silent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from kotacerdas.plans.checks.findings import RULES, Finding
from kotacerdas.plans.checks.findings import gettext_noop as _

Doc = dict[str, Any]


def _finding(rule: str, message: str, path: str, **where: Any) -> Finding:
    return Finding(rule, RULES[rule].severity, message, path=path, **where)


def _context(doc: Doc) -> dict[str, Any]:
    found = doc.get("sipd")
    return found if isinstance(found, dict) else {}


def _programmes(doc: Doc) -> Iterator[tuple[int, dict[str, Any]]]:
    for n, p in enumerate(doc.get("programmes") or []):
        if isinstance(p, dict):
            yield n, p


def _code(value: Any) -> str:
    return " ".join(str(value).split()) if isinstance(value, (str, int, float)) else ""


def codes_in_list(doc: Doc) -> Iterator[Finding]:
    """PC037: a programme's code or a budget line's sub kegiatan code that the list lacks."""
    context = _context(doc)
    version = context.get("version")
    if not version:
        return
    known = {str(c) for c in context.get("known") or []}
    for n, p in _programmes(doc):
        code = _code(p.get("permendagri_code"))
        if code and code not in known:
            yield _finding(
                "PC037",
                _("Code %(value)s of programme %(code)s is not in the SIPD code list %(version)s."),
                f"$.programmes[{n}].permendagri_code",
                programme=p.get("code"),
                dimension=p.get("dimension"),
                params={"value": code, "code": p.get("code"), "version": version},
            )
        for k, b in enumerate(p.get("budgets") or []):
            sub = _code(b.get("sub_activity_code")) if isinstance(b, dict) else ""
            if sub and sub not in known:
                yield _finding(
                    "PC037",
                    _("Sub-activity code %(value)s (budget %(year)s) is not in the SIPD code list %(version)s."),
                    f"$.programmes[{n}].budgets[{k}].sub_activity_code",
                    programme=p.get("code"),
                    dimension=p.get("dimension"),
                    params={"value": sub, "year": b.get("year"), "version": version},
                )


def budget_codes_required(doc: Doc) -> Iterator[Finding]:
    """PC038: when the region requires codes, a programme with budget lines that carry none."""
    if _context(doc).get("required") is not True:
        return
    for n, p in _programmes(doc):
        lines = [b for b in p.get("budgets") or [] if isinstance(b, dict)]
        missing = [k for k, b in enumerate(lines) if not _code(b.get("sub_activity_code"))]
        if missing:
            yield _finding(
                "PC038",
                _("Programme %(code)s has budget lines without a SIPD sub-activity code."),
                f"$.programmes[{n}].budgets[{missing[0]}].sub_activity_code",
                programme=p.get("code"),
                dimension=p.get("dimension"),
                params={"code": p.get("code"), "lines": len(missing)},
            )


CHECKS: list[Callable[[Doc], Iterator[Finding]]] = [codes_in_list, budget_codes_required]
