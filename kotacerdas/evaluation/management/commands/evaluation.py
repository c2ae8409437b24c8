"""``kotacerdas evaluation index FILE``: the annual evaluation index of many regions from one file.

FILE is JSON or XLSX (see :mod:`kotacerdas.evaluation.files`); the weights and the predicate
bands are the published reference data of the scheme's year (``kotacerdas setup`` loads them on
a laptop). A bad file prints every problem, each naming the region and the field, and exits with
code 2; nothing is written anywhere. ``template`` writes an XLSX to fill in.

``show REGION YEAR`` prints a recorded evaluation (a draft's index computed now), ``export
REGION YEAR --format pdf|docx --output F`` writes the letter of a released evaluation through
the document pipeline. An unknown region or year, or a draft to export, exits with code 2.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from kotacerdas.evaluation.domain import Scheme, evaluate
from kotacerdas.evaluation.files import EvaluationFile, parse, parse_workbook, write_workbook
from kotacerdas.evaluation.schemes import NoScheme, scheme_for
from kotacerdas.evaluation.selectors import EvaluationPage, page

BAD_INPUT = 2
MAX_BYTES = 20 * 1024 * 1024


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def read(path: str) -> EvaluationFile:
    if path == "-":
        text = sys.stdin.read(MAX_BYTES + 1)
    else:
        file = Path(path)
        if not file.is_file():
            raise CommandError(_("FILE: there is no file %(path)s.") % {"path": path}, returncode=BAD_INPUT)
        if file.stat().st_size > MAX_BYTES:
            raise CommandError(_("FILE: %(path)s is larger than 20 MB.") % {"path": path}, returncode=BAD_INPUT)
        if file.suffix.lower() in (".xlsx", ".xlsm"):
            try:
                with file.open("rb") as handle:
                    return parse_workbook(handle)
            except Exception:  # openpyxl raises many kinds for a file that is not a workbook
                raise CommandError(
                    _("FILE: %(path)s is not an XLSX workbook.") % {"path": path}, returncode=BAD_INPUT
                ) from None
        try:
            text = file.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise CommandError(_("FILE: %(path)s is not UTF-8 text.") % {"path": path}, returncode=BAD_INPUT) from None
    if len(text) > MAX_BYTES:
        raise CommandError(_("FILE: the input is larger than 20 MB."), returncode=BAD_INPUT)
    try:
        # NaN and Infinity are no scores (and a NaN would break every comparison): refused like
        # any other fault; ValueError is also an integer of more than 4,300 digits.
        data = json.loads(text, parse_float=Decimal, parse_constant=_no_constant)
    except (ValueError, RecursionError) as error:
        raise CommandError(
            _("FILE: not valid JSON (%(error)s).") % {"error": str(error)[:200]}, returncode=BAD_INPUT
        ) from None
    return parse(data)


def results(file: EvaluationFile, scheme: Scheme) -> dict[str, Any]:
    weights = {name: _number(weight) for name, weight in scheme.weights.items()}
    rows = []
    for region in file.regions:
        result = evaluate(region.scores, scheme, region.previous_index)
        rows.append(
            {
                "code": region.code,
                "name": region.name,
                "index": _number(result.index),
                "index_2dp": _number(result.index_2dp),
                "previous_index": _number(region.previous_index),
                "improvement": _number(result.improvement),
                "predicate": None
                if result.predicate is None
                else {"code": result.predicate.code, "name": result.predicate.label},
                "dimensions": {name: _number(score) for name, score in region.scores.items()},
                "weights": weights,
            }
        )
    return {
        "scheme": {"year": scheme.year, "code": scheme.code, "version": scheme.version, "weights": weights},
        "bands": {"code": scheme.bands_code, "version": scheme.bands_version},
        "regions": rows,
    }


def as_text(payload: dict[str, Any]) -> str:
    scheme = payload["scheme"]
    weights = " · ".join(f"{name} {weight:g} %" for name, weight in scheme["weights"].items())
    lines = [_("Evaluation scheme %(year)s (version %(version)s): %(weights)s") % {**scheme, "weights": weights}]
    for row in payload["regions"]:
        change = "" if row["improvement"] is None else f"  {row['improvement']:+.2f}"
        predicate = row["predicate"]["name"] if row["predicate"] else "—"
        lines.append(f"{row['code']:<8} {row['name'][:40]:<40} {row['index_2dp']:.2f}{change}  {predicate}")
    return "\n".join(lines) + "\n"


def recorded(code: str, year: int) -> EvaluationPage:
    """The recorded evaluation of region ``code`` in ``year`` (the console sees drafts too)."""
    from kotacerdas.evaluation.models import Evaluation
    from kotacerdas.regions.models import Region

    region = Region.objects.filter(code=code).first()
    if region is None:
        raise CommandError(
            _("REGION: there is no region with the code %(code)s.") % {"code": code}, returncode=BAD_INPUT
        )
    evaluation = Evaluation.objects.filter(region=region, year=year).first()
    if evaluation is None:
        raise CommandError(
            _("YEAR: %(region)s has no evaluation for %(year)s.") % {"region": region, "year": year},
            returncode=BAD_INPUT,
        )
    evaluation.region = region
    return page(evaluation)


def as_payload(data: EvaluationPage) -> dict[str, Any]:
    evaluation, result = data.evaluation, data.computed
    return {
        "region": {"code": evaluation.region.code, "name": str(evaluation.region)},
        "year": evaluation.year,
        "status": evaluation.status,
        "scheme_year": evaluation.scheme_year,
        "is_sample": evaluation.is_sample,
        "index": _number(result.index),
        "index_2dp": _number(result.index_2dp),
        "previous_index": _number(result.previous_index),
        "improvement": _number(result.improvement),
        "predicate": {"code": result.predicate_code, "name": result.predicate_name} if result.predicate_code else None,
        "computed": "stored" if result.stored else "live",
        "problem": result.problem or None,
        "weights": {name: _number(weight) for name, weight in result.weights.items()},
        "dimensions": {
            row.dimension: {"score": _number(row.score), "note": row.note, "evidence_link": row.evidence_link or None}
            for row in data.rows
        },
        "smart_city_dimensions": {
            area.code: {"name": area.name, "score": _number(area.score), "programmes": area.programmes}
            for area in data.areas
        },
        "evaluators": data.evaluators,
    }


def show_text(data: dict[str, Any]) -> str:
    def shown(value: float | None) -> str:
        return "—" if value is None else f"{value:.2f}"

    lines = [
        f"{data['region']['name']} ({data['region']['code']}) · {data['year']} · {data['status']}",
        _("Index %(index)s · improvement %(improvement)s · predicate %(predicate)s")
        % {
            "index": shown(data["index_2dp"]),
            "improvement": shown(data["improvement"]),
            "predicate": data["predicate"]["name"] if data["predicate"] else "—",
        },
    ]
    if data["problem"]:
        lines.append(data["problem"])
    for name, row in data["dimensions"].items():
        weight = data["weights"].get(name)
        lines.append(f"  {name:<10} {shown(row['score']):>5}  {'' if weight is None else f'{weight:g} %'}")
    for code, area in data["smart_city_dimensions"].items():
        lines.append(f"  {code:<10} {shown(area['score']):>5}  {area['programmes']}  {area['name']}")
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
    help = "The annual evaluation index of the regions in a file (JSON or XLSX); an XLSX template to fill in."
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        index = actions.add_parser("index", help="Index, improvement and predicate per region.")
        index.add_argument("file", metavar="FILE", help="JSON or .xlsx (- reads JSON from standard input).")
        index.add_argument("--json", action="store_true", help="Print one JSON document for scripts.")
        template = actions.add_parser("template", help="Write an XLSX to fill in for a scheme year.")
        template.add_argument("year", type=int, metavar="YEAR", help="The scheme's year, e.g. 2022.")
        template.add_argument("--output", "-o", required=True, help="The .xlsx file to write.")
        show = actions.add_parser("show", help="A recorded evaluation: scores, index, improvement, predicate.")
        show.add_argument("region", metavar="REGION", help="The region's Kemendagri code, e.g. 13.72.")
        show.add_argument("year", type=int, metavar="YEAR", help="The evaluation year, e.g. 2025.")
        show.add_argument("--json", action="store_true", help="Print one JSON document for scripts.")
        export = actions.add_parser("export", help="The letter of a released evaluation as PDF or DOCX.")
        export.add_argument("region", metavar="REGION", help="The region's Kemendagri code, e.g. 13.72.")
        export.add_argument("year", type=int, metavar="YEAR", help="The evaluation year, e.g. 2025.")
        export.add_argument("--format", dest="fmt", choices=["pdf", "docx"], default="pdf", help="pdf or docx.")
        export.add_argument("--output", "-o", required=True, help="The file to write.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "show":
            self.show(options)
            return
        if options["action"] == "export":
            self.export(options)
            return
        if options["action"] == "template":
            data = {"scheme": options["year"], "regions": [{"code": "13.72", "name": "Kota Solok", "dimensions": {}}]}
            Path(options["output"]).write_bytes(write_workbook(data))
            self.stderr.write(_("Template written to %(path)s.") % {"path": options["output"]})
            return
        file = read(options["file"])
        scheme = None
        if not file.problems and file.scheme_year is not None:
            try:
                scheme = scheme_for(file.scheme_year)
            except NoScheme as error:
                raise CommandError(f"scheme: {error}", returncode=BAD_INPUT) from None
        if file.problems or scheme is None:
            lines = [f"{p.where}: {p.problem.render(_)}" for p in file.problems]
            if file.more_problems:
                lines.append(_("… and %(count)s more problems.") % {"count": file.more_problems})
            raise CommandError("\n".join(lines), returncode=BAD_INPUT)
        payload = results(file, scheme)
        if options["json"]:
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(as_text(payload), ending="")

    def show(self, options: dict[str, Any]) -> None:
        data = as_payload(recorded(options["region"], options["year"]))
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(show_text(data), ending="")

    def export(self, options: dict[str, Any]) -> None:
        from django.core.exceptions import ValidationError

        from kotacerdas.lib.commands import validation_message
        from kotacerdas.reports.generate import generate
        from kotacerdas.reports.models import DocumentKind

        found = recorded(options["region"], options["year"])
        try:
            generated = generate(
                DocumentKind.EVALUATION, options["fmt"], found.evaluation.region, None, {"year": options["year"]}
            )
        except ValidationError as error:
            raise CommandError(validation_message(error), returncode=BAD_INPUT) from None
        Path(options["output"]).write_bytes(generated.content)
        self.stderr.write(_("Evaluation letter written to %(path)s.") % {"path": options["output"]})
