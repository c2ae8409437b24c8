"""Bring an interchange document read from a file into the shapes the rules rely on (pure Python)."""

from __future__ import annotations

from typing import Any

Doc = dict[str, Any]

# Documents come from files: bring every field the rules read to the type they expect first, so
# a list where a code should be is reported as an odd code instead of crashing a rule.
CODE_FIELDS = (
    "code",
    "dimension",
    "element",
    "strategy",
    "lead_opd",
    "horizon",
    "name",
    "status",
    "permendagri_code",
    "spbe_indicator",
    "rpjmd_programme",
    "innovation_kind",
)


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return str(value)


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [dict(v) for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _texts(value: Any) -> list[str]:
    return [v if isinstance(v, str) else str(v) for v in value if v is not None] if isinstance(value, list) else []


def _hashable(value: Any) -> Any:
    return value if value is None or isinstance(value, (str, int, float, bool)) else str(value)


def normalise(doc: Any) -> Doc:
    """A copy of ``doc`` with the shapes the rules rely on (lists of dicts, text codes)."""
    doc = dict(doc) if isinstance(doc, dict) else {}
    doc["edition"] = dict(doc["edition"]) if isinstance(doc.get("edition"), dict) else {}
    taxonomy = doc.get("taxonomy") if isinstance(doc.get("taxonomy"), dict) else {}
    dimensions = []
    for d in _dicts(taxonomy.get("dimensions")):
        d["code"] = _text(d.get("code"))
        d["elements"] = [{**e, "code": _text(e.get("code"))} for e in _dicts(d.get("elements"))]
        dimensions.append(d)
    doc["taxonomy"] = {**taxonomy, "dimensions": dimensions}
    doc["opds"] = [{**o, "abbreviation": _text(o.get("abbreviation"))} for o in _dicts(doc.get("opds"))]
    for key in ("strategies", "waivers", "dispositions"):
        rows = _dicts(doc.get(key))
        for row in rows:
            for field_name in ("code", "dimension", "element", "kind", "programme"):
                if field_name in row:
                    row[field_name] = _text(row[field_name])
            if "previous" in row and not isinstance(row["previous"], dict):
                row["previous"] = None
        doc[key] = rows
    programmes = []
    for p in _dicts(doc.get("programmes")):
        for field_name in CODE_FIELDS:
            if field_name in p:
                p[field_name] = _text(p[field_name])
        p["supporting_opds"] = _texts(p.get("supporting_opds"))
        p["dependencies"] = _texts(p.get("dependencies"))
        p["quick_win_years"] = p["quick_win_years"] if isinstance(p.get("quick_win_years"), list) else []
        p["action_items"] = _dicts(p.get("action_items"))
        p["budgets"] = [
            {**b, "year": _hashable(b.get("year")), "source": _hashable(b.get("source"))}
            for b in _dicts(p.get("budgets"))
        ]
        indicators = []
        for i in _dicts(p.get("indicators")):
            i["data_producer"] = _text(i.get("data_producer"))
            i["direction"] = _text(i.get("direction"))
            i["targets"] = _dicts(i.get("targets"))
            indicators.append(i)
        p["indicators"] = indicators
        programmes.append(p)
    doc["programmes"] = programmes
    # Not part of the interchange format: the confirmed quick-win selections the database adds
    # (quickwins.selectors.confirmed_selections); a file has none and PC022 stays silent.
    selections = []
    for s in _dicts(doc.get("quick_win_selections")):
        s["selection"] = _texts(s.get("selection"))
        selections.append(s)
    doc["quick_win_selections"] = selections
    return doc
