"""Where a finding points, for people: the JSON path of a finding turned into the page that
fixes it and the field's label (pure Python).

``Finding.path`` (``$.programmes[33].indicators[0].targets[2].year``) is for machines and stays
in ``kotacerdas plan check --json``; pages show :class:`Location`: field labels as msgids (the
verbose names of the model fields, translated by the page) and the URL name of the page where
the field is edited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kotacerdas.plans.checks.findings import gettext_noop as _


@dataclass(frozen=True)
class Part:
    label: str  # msgid
    number: int | None = None  # 1-based position in a list (budget line 2), or None


@dataclass(frozen=True)
class Location:
    view: str  # URL name of the page that fixes it; programme pages take the programme code
    parts: tuple[Part, ...] = ()
    anchor: str = ""

    @property
    def per_programme(self) -> bool:
        return self.view.startswith("plans:programme_")


# The verbose names of the fields (their msgids), so the page shows the label of the form.
FIELDS = {
    "code": _("code"),
    "dimension": _("dimension"),
    "element": _("element"),
    "strategy": _("strategy"),
    "name": _("name"),
    "description": _("description"),
    "innovation_kind": _("kind of innovation"),
    "lead_opd": _("lead agency (OPD)"),
    "supporting_opds": _("supporting agencies"),
    "horizon": _("horizon"),
    "start_year": _("start year"),
    "end_year": _("end year"),
    "status": _("status"),
    "rpjmd_programme": _("RPJMD programme"),
    "permendagri_code": _("Permendagri 90 code"),
    "spbe_indicator": _("SPBE indicator"),
    "dependencies": _("depends on"),
    "quick_win_years": _("quick win in"),
    "year": _("year"),
    "source": _("source"),
    "amount": _("amount (Rp)"),
    "sub_activity_code": _("SIPD sub-activity code"),
    "baseline": _("baseline"),
    "data_producer": _("data producer (OPD)"),
    "targets": _("indicator target"),
    "activity": _("activity"),
    "starts_on": _("from"),
    "ends_on": _("to"),
    "rationale": _("rationale"),
    "reason": _("rationale"),
}
LISTS = {
    "budgets": (_("budget line"), "plans:programme_budgets"),
    "indicators": (_("indicator"), "plans:programme_indicators"),
    "action_items": (_("action plan item"), "plans:programme_actions"),
}
STEP = re.compile(r"\.?([a-z_]+)(?:\[(\d+)\])?")


def _steps(path: str) -> list[tuple[str, int | None]]:
    rest = path[1:] if path.startswith("$") else path
    return [(m.group(1), int(m.group(2)) if m.group(2) is not None else None) for m in STEP.finditer(rest)]


def locate(path: str) -> Location:
    """The page and field labels of a finding's path; the edition overview when unknown."""
    steps = _steps(path)
    if not steps:
        return Location("plans:edition")
    head, _index = steps[0]
    tail = steps[1:]
    if head == "programmes":
        if _index is None:
            return Location("plans:programmes", (Part(_("programmes")),))
        if not tail:
            return Location("plans:programme_edit")
        name, number = tail[0]
        if name in LISTS:
            label, view = LISTS[name]
            parts = [Part(label, None if number is None else number + 1)]
            for field_name, k in tail[1:]:
                if field_name == "targets":
                    parts.append(Part(FIELDS["targets"], None if k is None else k + 1))
                elif field_name in FIELDS:
                    parts.append(Part(FIELDS[field_name]))
            return Location(view, tuple(parts))
        return Location("plans:programme_edit", (Part(FIELDS.get(name, name)),))
    if head == "edition":
        return Location("plans:edition_edit", (Part(_("master plan edition")),))
    if head == "dispositions":
        parts = [Part(_("disposition"), None if _index is None else _index + 1)]
        parts += [Part(FIELDS[f]) for f, _k in tail if f in FIELDS]
        return Location("plans:dispositions", tuple(parts))
    if head == "strategies":
        parts = [Part(_("strategy"), None if _index is None else _index + 1)]
        parts += [Part(FIELDS[f]) for f, _k in tail if f in FIELDS]
        return Location("plans:edition", tuple(parts), "strategies")
    if head == "waivers":
        parts = [Part(_("waived element"), None if _index is None else _index + 1)]
        parts += [Part(FIELDS[f]) for f, _k in tail if f in FIELDS]
        return Location("plans:edition", tuple(parts), "waivers")
    return Location("plans:edition")
