"""``kotacerdas quickwins select FILE``: the quick-win decision on a candidates file, with no server.

A mentor runs it on a spreadsheet (XLSX) or a JSON file exported from a round; it prints the
optimal selection with its explanation, or with ``--json`` one JSON document. It never opens the
database, so it works on a laptop with nothing set up.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kotacerdas.quickwins.engine.analysis import analyse
from kotacerdas.quickwins.engine.messages import ProblemError
from kotacerdas.quickwins.engine.output import to_dict, to_text
from kotacerdas.quickwins.engine.parse import parse_problem
from kotacerdas.quickwins.engine.xlsx import read_xlsx
from kotacerdas.quickwins.text import renderer


def load_file(path: str) -> Any:
    """The Problem in ``path`` (``.xlsx`` or JSON; ``-`` reads JSON from standard input)."""
    if path == "-":
        return parse_problem(json.load(sys.stdin))
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"FILE: no such file {path!r}.")
    if file.suffix.lower() in (".xlsx", ".xlsm"):
        with file.open("rb") as handle:
            return read_xlsx(handle)
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CommandError(f"FILE: {path} is not valid JSON ({error}).") from None
    return parse_problem(data)


class Command(BaseCommand):
    help = "Quick-win selection on a candidates file (JSON or XLSX), without the database."
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
            "--explain-limit", type=int, default=60, help="Left-out candidates explained in detail (default 60)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["robustness"] < 0:
            raise CommandError("--robustness: give 0 or more draws.")
        if not 0 <= options["spread"] < 1:
            raise CommandError("--spread: give a share from 0 to below 1, e.g. 0.2 for ±20 %.")
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
        )
        if options["json"]:
            self.stdout.write(json.dumps(to_dict(analysis, text), ensure_ascii=False, indent=2, default=str))
        else:
            self.stdout.write(to_text(analysis, text), ending="")
