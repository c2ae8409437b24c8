"""``kotacerdas quickwins select FILE``: the quick-win decision on a candidates file, with no server.

A mentor runs it on a spreadsheet (XLSX) or a JSON file exported from a round; it prints the
optimal selection with its explanation, or with ``--json`` one JSON document. ``select`` never
opens the database, so it works on a laptop with nothing set up. ``export REGION YEAR`` writes a
region's round as it stands in that file format (what the round page's export link gives), so
the page's ranking and solve can be reproduced from the command line.

``--explain`` sets how deep left-out candidates are explained: ``none``; ``summary`` (the
default: bounds for every one from a single solve of the relaxation, a fraction of a second at
1,000 candidates); ``all`` (exact re-solves, the budget and weight changes that would bring each
in, for the ``--explain-limit`` most valuable; seconds to minutes on large files).

Start-up is kept lean: the engine, the spreadsheet reader and the database layer are imported
only by the verb that uses them, and ``kotacerdas quickwins select`` skips Django's app set-up
altogether (see kotacerdas/cli.py).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext

from kotacerdas.lib.uploads import UnreadableFile, parse_json
from kotacerdas.quickwins.engine.messages import ProblemError
from kotacerdas.quickwins.engine.parse import parse_problem
from kotacerdas.quickwins.text import renderer

LEVELS = ("none", "summary", "all")


def load_file(path: str) -> Any:
    """The Problem in ``path`` (``.xlsx`` or JSON; ``-`` reads JSON from standard input)."""
    try:
        if path == "-":
            return parse_problem(parse_json(sys.stdin.buffer.read(), "-"))
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"FILE: no such file {path!r}.")
        if file.suffix.lower() in (".xlsx", ".xlsm"):
            from kotacerdas.quickwins.engine.xlsx import read_xlsx  # openpyxl: only for spreadsheets

            with file.open("rb") as handle:
                return read_xlsx(handle)
        return parse_problem(parse_json(file.read_bytes(), file.name))
    except UnreadableFile as error:  # too large, not JSON, nested too deep, NaN or Infinity
        raise CommandError(f"FILE: {error.message}") from None


class Command(BaseCommand):
    help = "Quick-win selection on a candidates file (JSON or XLSX), without the database; export a region's round."
    # Nothing here needs the database: no system checks (they would open it) and no migrations check.
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        select = actions.add_parser("select", help="Score, select optimally and explain.")
        select.add_argument("file", metavar="FILE", help="Candidates file: .xlsx, or JSON (- for standard input).")
        select.add_argument("--json", action="store_true", help="Print one JSON document for scripts.")
        select.add_argument("--robustness", type=int, default=0, metavar="N", help="Weight perturbation draws.")
        select.add_argument("--spread", type=float, default=0.2, help="Weight perturbation, ±share (default 0.2).")
        select.add_argument("--seed", type=int, default=0, metavar="S", help="Seed of the draws (default 0).")
        select.add_argument(
            "--explain",
            choices=LEVELS,
            default="summary",
            help="Left-out candidates: none; summary (default: a proven bound for each, from one solve); "
            "all (exact re-solves: the budget or weight change that would bring each in).",
        )
        select.add_argument(
            "--explain-limit",
            type=int,
            default=60,
            metavar="N",
            help="With --explain all: the N most valuable left-out candidates analysed exactly (default 60).",
        )

        export = actions.add_parser("export", help="Write a region's round as a candidates file.")
        export.add_argument("region", metavar="REGION", help="Kemendagri code, e.g. 13.72.")
        export.add_argument("year", metavar="YEAR", type=int, help="The round's year (not its budget year).")
        export.add_argument("--format", choices=["json", "xlsx"], default="json", dest="fmt")
        export.add_argument("--output", "-o", required=True, help="File to write (- for standard output, JSON only).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "export":
            self.export(options["region"], options["year"], options["fmt"], options["output"])
            return
        if options["robustness"] < 0:
            raise CommandError("--robustness: give 0 or more draws.")
        if not 0 <= options["spread"] < 1:
            raise CommandError("--spread: give a share from 0 to below 1, e.g. 0.2 for ±20 %.")
        if options["explain_limit"] < 0:
            raise CommandError("--explain-limit: give 0 or more candidates.")
        from kotacerdas.quickwins.engine.analysis import analyse
        from kotacerdas.quickwins.engine.explain import Level
        from kotacerdas.quickwins.engine.output import to_dict, to_text

        text = renderer()
        try:
            problem = load_file(options["file"])
        except ProblemError as error:
            raise CommandError("\n".join(issue.render(text) for issue in error.issues)) from None
        analysis = analyse(
            problem,
            draws=options["robustness"],
            spread=options["spread"],
            seed=options["seed"],
            explain_limit=options["explain_limit"],
            explain=Level(options["explain"]),
        )
        if options["json"]:
            # Indented for a person at a terminal; one line for a script (the C encoder: 5,000
            # candidates dump in a tenth of the time).
            indent = 2 if sys.stdout.isatty() else None
            self.stdout.write(json.dumps(to_dict(analysis, text), ensure_ascii=False, indent=indent, default=str))
        else:
            self.stdout.write(to_text(analysis, text), ending="")
            if any(entry.summarised and not entry.analysed for entry in analysis.left_out):
                self.stdout.write(
                    gettext(
                        "The budget or weight change that would bring a left-out candidate in: run again "
                        "with --explain all."
                    )
                )

    def export(self, code: str, year: int, fmt: str, output: str) -> None:
        from django.http import Http404

        from kotacerdas.quickwins import selectors
        from kotacerdas.quickwins.engine.xlsx import write_xlsx_data
        from kotacerdas.regions.models import Region

        region = Region.objects.filter(code=code).first()
        if region is None:
            raise CommandError(f"REGION: no region with the code {code!r}.")
        try:
            selection_round = selectors.round_for(region, year)
        except Http404:
            raise CommandError(
                f"YEAR: {region} has no quick-win round in {year} (rounds go by the year the forum decides in)."
            ) from None
        payload = selectors.problem_data(selectors.load_round(selection_round))
        if fmt == "json":
            text = json.dumps(payload, ensure_ascii=False, indent=1)
            if output == "-":
                self.stdout.write(text)
                return
            Path(output).write_text(text + "\n", encoding="utf-8")
        else:
            if output == "-":
                raise CommandError("--output: an XLSX file needs a file name, not standard output.")
            Path(output).write_bytes(write_xlsx_data(payload))
        count = len(payload.get("candidates", []))
        self.stderr.write(f"{region.code} · {selection_round.label}: {count} candidates written to {output}.")
