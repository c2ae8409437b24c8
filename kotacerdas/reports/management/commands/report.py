"""``kotacerdas report``: generate a document synchronously from the command line.

    kotacerdas report buku2 --region 13.72 --edition 2024 --format pdf --output buku2.pdf [--json]
    kotacerdas report changelog --region 13.72 --edition 2024 [--compare 2019] --format docx --output log.docx
    kotacerdas report quickwins --region 13.72 [--round 2024] --format pdf --output qw.pdf
    kotacerdas report assessment --region 13.72 --run 12 --format pdf --output penilaian.pdf

The same generation as the background job of the documents page, without the queue.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.http import Http404

from kotacerdas.lib.commands import JsonCommand, fail
from kotacerdas.reports.generate import generate
from kotacerdas.reports.models import DocumentFormat, DocumentKind


class Command(JsonCommand):
    help = "Generate a master plan book or report as PDF or DOCX: buku1|buku2|changelog|quickwins|assessment."

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument("document", choices=DocumentKind.values)
        parser.add_argument("--region", required=True, help="Kemendagri code of the region, e.g. 13.72.")
        parser.add_argument("--edition", type=int, help="Edition year (books and change log).")
        parser.add_argument("--compare", type=int, help="Change log: the edition to compare with (default: previous).")
        parser.add_argument("--round", type=int, help="Quick-win report: the round year (default: the latest).")
        parser.add_argument("--run", type=int, help="Assessment report: the run's number (its id in the web address).")
        parser.add_argument("--year", type=int, help="Evaluation letter: the evaluation year (a released one).")
        parser.add_argument("--format", dest="fmt", choices=DocumentFormat.values, default="pdf")
        parser.add_argument("--output", required=True, help="Path of the file to write.")

    def handle(self, *args: Any, **options: Any) -> None:
        from kotacerdas.plans.models import Edition
        from kotacerdas.regions.models import Region

        region = Region.objects.filter(code=options["region"]).first()
        if region is None:
            raise CommandError(f"--region: no region {options['region']!r}.")
        edition = None
        if options["edition"] is not None:
            edition = Edition.objects.filter(region=region, year=options["edition"]).first()
            if edition is None:
                raise CommandError(f"--edition: region {region.code} has no edition {options['edition']}.")
        elif options["document"] not in (DocumentKind.QUICKWINS, DocumentKind.ASSESSMENT, DocumentKind.EVALUATION):
            years = ", ".join(str(y) for y in Edition.objects.filter(region=region).values_list("year", flat=True))
            raise CommandError(f"--edition: which edition? The region has: {years or 'none'}.")
        if options["document"] == DocumentKind.ASSESSMENT:
            self.check_run(region, options["run"])
        output = Path(options["output"])
        if not output.parent.exists():
            raise CommandError(f"--output: the folder {output.parent} does not exist.")
        try:
            generated = generate(
                options["document"],
                options["fmt"],
                region,
                edition,
                {
                    "compare": options["compare"],
                    "round": options["round"],
                    "run": options["run"],
                    "year": options["year"],
                },
            )
        except ValidationError as error:
            raise fail(error) from None
        except Http404:
            raise CommandError("--round: the region has no such quick-win selection round.") from None
        output.write_bytes(generated.content)
        payload = {
            "document": options["document"],
            "format": options["fmt"],
            "region": region.code,
            "edition": edition.year if edition else None,
            "run": options["run"],
            "output": str(output),
            "bytes": len(generated.content),
            "pages": generated.pages,
            "seconds": round(generated.seconds, 3),
            "chapters": generated.headings,
            "missing": generated.missing,
        }
        pages = f", {generated.pages} pages" if generated.pages else ""
        self.emit(
            options,
            payload,
            f"{output}: {len(generated.content):,} bytes{pages} in {generated.seconds:.2f} s; "
            f"{len(generated.missing)} placeholder(s) still to fill.",
        )

    def check_run(self, region: Any, run: int | None) -> None:
        """An assessment report needs one of the region's runs; name them when it is missing or wrong."""
        from kotacerdas.assessments.models import Run

        runs = Run.objects.filter(region=region).order_by("-year", "-id")
        if run is not None and runs.filter(pk=run).exists():
            return
        known = ", ".join(f"{r.pk} ({r.title})" for r in runs) or "none"
        problem = "which run?" if run is None else f"region {region.code} has no assessment run {run}."
        raise CommandError(f"--run: {problem} The region has: {known}.")
