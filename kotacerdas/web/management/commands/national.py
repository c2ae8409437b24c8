"""``kotacerdas national [filters] [--sort KEY] [--desc] [--measure M] [--date D] [--json]``: the
ministry's national view on the command line (the same table and figures as the page)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.management.base import CommandError
from django.utils import timezone

from kotacerdas.engagements.models.register import ObstacleCategory
from kotacerdas.lib.commands import JsonCommand
from kotacerdas.regions.provinces import find as find_province
from kotacerdas.web import national
from kotacerdas.web import national_figures as figures


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def _spread(spread: figures.Spread) -> dict[str, Any]:
    return {"n": spread.n, "q1": _plain(spread.q1), "median": _plain(spread.median), "q3": _plain(spread.q3)}


class Command(JsonCommand):
    help = "Every region compared: the national view's table and figures, filtered and sorted as on the page."

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument("--cohort", type=int, help="Cohort year.")
        parser.add_argument("--province", help="Province name or its two-digit code.")
        parser.add_argument("--kind", choices=["kota", "kabupaten"])
        parser.add_argument("--size", help="Size class code (e.g. KECIL, SEDANG, BESAR).")
        parser.add_argument("--stage", choices=[code for code, _l in figures.STAGES])
        parser.add_argument("--plan", help="Status of the latest edition (e.g. adopted), or 'none'.")
        parser.add_argument("--predicate", help="Evaluation predicate code (e.g. BAIK).")
        parser.add_argument("--sort", choices=[c.key for c in national.COLUMNS], default="code")
        parser.add_argument("--desc", action="store_true", help="Sort descending.")
        parser.add_argument("--measure", choices=list(national.MEASURES), default="regions", help="Of the map.")
        parser.add_argument("--date", help="As of this day (YYYY-MM-DD); today when left out.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = datetime.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError:
            raise CommandError(f"--date: {options['date']!r} is not a date (YYYY-MM-DD).") from None
        province = ""
        if options["province"]:
            found = find_province(options["province"])
            if found is None:
                raise CommandError(f"--province: {options['province']!r} is not a province of Indonesia.")
            province = found.code
        filters = national.Filters(
            cohort=options["cohort"],
            province=province,
            kind=options["kind"] or "",
            size=options["size"] or "",
            stage=options["stage"] or "",
            plan=options["plan"] or "",
            predicate=options["predicate"] or "",
        )
        data = national.national(
            today, filters, sort=options["sort"], descending=options["desc"], measure=options["measure"]
        )
        table = national.export_rows(data.rows)
        payload = {
            "date": today.isoformat(),
            "filters": filters.as_dict(),
            "regions": data.total,
            "shown": len(data.rows),
            "columns": [c.key for c in national.COLUMNS],
            "rows": [dict(zip((c.key for c in national.COLUMNS), map(_plain, row), strict=True)) for row in table[1:]],
            "funnel": [
                {
                    "cohort": year,
                    "name": name,
                    "stages": dict(zip([c for c, _l in figures.STAGES[1:]], counts, strict=True)),
                }
                for year, name, counts in data.funnel
            ],
            "late_reporting": [{"code": r.code, "late": r.late_reports, "due": r.due_reports} for r in data.league],
            "obstacles": [
                {"province": code, "category": category, "unresolved": n}
                for (code, category), n in sorted(data.heat.counts.items())
            ],
            "predicates": [{"code": c, "name": name, "regions": n} for c, name, n in data.predicates],
            "improvement": {k: _plain(v) for k, v in data.improvement.items()},
            "benchmarks": [
                {
                    "size_class": b.size_label,
                    "regions": b.regions,
                    "index": _spread(b.index),
                    "realised": _spread(b.realised),
                }
                for b in data.benchmarks
            ],
            "map": {
                "measure": data.measure,
                "provinces": {code: _plain(v) for code, _n, v in data.tiles if v is not None},
            },
        }
        self.emit(options, payload, self._text(data, table))

    def _text(self, data: national.National, table: list[list[Any]]) -> str:
        lines = [f"{len(data.rows)} of {data.total} regions, {data.today.isoformat()}"]
        widths = [max(len(str(r[i])) for r in table) for i in range(len(table[0]))]
        for row in table:
            lines.append("  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
        lines.append("")
        lines.append("Stage funnel per cohort (regions at each stage or beyond):")
        for year, _name, counts in data.funnel:
            lines.append(
                f"  {year}: " + ", ".join(f"{c} {n}" for (c, _l), n in zip(figures.STAGES[1:], counts, strict=True))
            )
        lines.append("Late reporting: " + (", ".join(f"{r.code} {r.late_reports}" for r in data.league) or "none"))
        categories = dict(ObstacleCategory.choices)
        heat = sorted(data.heat.counts.items(), key=lambda item: -item[1])[:10]
        lines.append(
            "Unresolved obstacles, largest cells: "
            + (", ".join(f"{code} {categories[cat]} {n}" for (code, cat), n in heat) or "none")
        )
        lines.append("Predicates: " + ", ".join(f"{name} {n}" for _c, name, n in data.predicates))
        for b in data.benchmarks:
            lines.append(
                f"Size class {b.size_label}: {b.regions} regions; index median {b.index.median} "
                f"(Q1 {b.index.q1}, Q3 {b.index.q3}); realised median {b.realised.median}"
            )
        return "\n".join(lines) + "\n"
