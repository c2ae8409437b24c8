"""``kotacerdas assessment``: templates and runs from the command line.

Verbs: ``templates``, ``load`` (the shipped template files, idempotent), ``list`` (runs),
``score RUN`` (``--json`` for the full explanation tree), ``export RUN -o FILE``,
``import RUN FILE`` (all or nothing), ``score-file FILE --template-file T`` (no database
needed for the run), ``export-template CODE -o FILE`` and ``import-template FILE``.
Writes act as the system and are audited.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from kotacerdas.assessments import interchange, offline, scoring, selectors
from kotacerdas.assessments.definition import TemplateInvalid
from kotacerdas.assessments.loader import load_templates
from kotacerdas.assessments.models import Run, Template
from kotacerdas.lib.commands import JsonCommand, validation_message

VERBS = ["templates", "load", "list", "score", "export", "import", "score-file", "export-template", "import-template"]


def _tree_text(node: scoring.Node, thresholds: list[float], depth: int = 0) -> list[str]:
    score = "n/a" if node.score is None else f"{node.score:6.1f}"
    level = "" if node.score is None or node.kind == "item" else f" L{scoring.level_for(node.score, thresholds)}"
    spread = f" spread {node.spread:.1f}" if node.kind == "item" and node.assessors > 1 and node.spread else ""
    lines = [f"{'  ' * depth}{node.code:<12} {score}{level} share {node.share:.2f}{spread}"]
    if depth < 2 or node.kind != "element":
        for child in node.children:
            lines.extend(_tree_text(child, thresholds, depth + 1))
    return lines


class Command(JsonCommand):
    help = "Assessments: list runs, score a run (--json), export/import a run as XLSX, manage templates."

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument("verb", choices=VERBS)
        parser.add_argument("target", nargs="?", help="Run id (score, export, import) or template code or file.")
        parser.add_argument("file", nargs="?", help="The XLSX file to import.")
        parser.add_argument("--region", help="list: only runs of this region code.")
        parser.add_argument("-o", "--output", help="export: where to write the XLSX.")
        parser.add_argument("--template-file", help="score-file: the template as TOML or XLSX.")
        parser.add_argument("--template-version", type=int, help="export-template: the version (default newest).")
        parser.add_argument("--publish", action="store_true", help="import-template: publish at once.")

    def handle(self, *args: Any, **options: Any) -> None:
        verb = options["verb"].replace("-", "_")
        try:
            getattr(self, f"_{verb}")(options)
        except ValidationError as error:
            raise CommandError(validation_message(error)) from None
        except (TemplateInvalid, interchange.ImportRefused) as error:
            raise CommandError("\n".join(str(p) for p in error.problems)) from None

    def _need(self, options: dict[str, Any], key: str, what: str) -> Any:
        if not options.get(key):
            raise CommandError(f"{key}: {options['verb']} needs {what}.")
        return options[key]

    def _run(self, options: dict[str, Any]) -> Run:
        target = self._need(options, "target", "a run id (see kotacerdas assessment list)")
        run = Run.objects.select_related("region", "template").filter(pk=int(target) if target.isdigit() else 0).first()
        if run is None:
            raise CommandError(f"target: no run {target!r}; see kotacerdas assessment list.")
        return run

    def _templates(self, options: dict[str, Any]) -> None:
        rows = [
            {"kind": t.kind, "code": t.code, "version": t.version, "status": t.status, "title": t.title}
            for t in Template.objects.order_by("kind", "code", "version")
        ]
        text = "\n".join(f"{r['kind']:<10} {r['code']:<24} v{r['version']} {r['status']:<9} {r['title']}" for r in rows)
        self.emit(options, rows, text or "No templates; run kotacerdas assessment load.")

    def _load(self, options: dict[str, Any]) -> None:
        result = load_templates()
        payload = {"created": result.created, "skipped": result.skipped}
        self.emit(options, payload, f"Loaded {len(result.created)} new; {len(result.skipped)} already present.")

    def _list(self, options: dict[str, Any]) -> None:
        runs = Run.objects.select_related("region", "template").order_by("region__code", "-year", "-id")
        if options.get("region"):
            runs = runs.filter(region__code=options["region"])
        rows = [
            {
                "id": r.pk,
                "region": r.region.code,
                "year": r.year,
                "template": f"{r.template.code} v{r.template.version}",
                "status": r.status,
                "title": r.title,
                "is_sample": r.is_sample,
            }
            for r in runs
        ]
        text = "\n".join(
            f"{r['id']:>5} {r['region']} {r['year']} {r['status']:<9} {r['template']:<28} {r['title']}" for r in rows
        )
        self.emit(options, rows, text or "No runs.")

    def _score(self, options: dict[str, Any]) -> None:
        run = self._run(options)
        result = selectors.run_result(run)
        payload = {
            "run": run.pk,
            "region": run.region.code,
            "year": run.year,
            "template": f"{run.template.code} v{run.template.version}",
            "status": run.status,
            "score": result.tree.score,
            "level": result.overall_level,
            "thresholds": result.thresholds,
            "unanswered": result.unanswered,
            "gaps": [
                {"element": g.code, "label": g.label, "score": g.score, "current": g.current, "target": g.target}
                for g in result.gaps
            ],
            "tree": result.tree.as_dict(),
        }
        self.emit(options, payload, "\n".join(_tree_text(result.tree, result.thresholds)))

    def _export(self, options: dict[str, Any]) -> None:
        run = self._run(options)
        output = Path(self._need(options, "output", "-o FILE"))
        output.write_bytes(interchange.export_run(run))
        self.emit(options, {"run": run.pk, "file": str(output)}, f"Wrote {output}.")

    def _import(self, options: dict[str, Any]) -> None:
        run = self._run(options)
        path = Path(self._need(options, "file", "the XLSX file"))
        with path.open("rb") as handle:
            result = interchange.import_run(actor=None, run=run, handle=handle, name=path.name)
        payload = {"run": run.pk, "changed": result.changed, "unchanged": result.unchanged}
        self.emit(options, payload, f"Imported: {result.changed} changed, {result.unchanged} unchanged.")

    def _score_file(self, options: dict[str, Any]) -> None:
        path = Path(self._need(options, "target", "the run XLSX file"))
        spec = offline.read_spec(Path(self._need(options, "template_file", "--template-file")))
        with path.open("rb") as handle:
            tree = offline.score_workbook(spec, handle, path.name)
        payload = {
            "score": tree.score,
            "level": None if tree.score is None else scoring.level_for(tree.score, spec.thresholds),
            "tree": tree.as_dict(),
        }
        self.emit(options, payload, "\n".join(_tree_text(tree, spec.thresholds)))

    def _export_template(self, options: dict[str, Any]) -> None:
        code = self._need(options, "target", "a template code")
        versions = Template.objects.filter(code=code).select_related("taxonomy", "levels").order_by("-version")
        if options.get("template_version"):
            versions = versions.filter(version=options["template_version"])
        template = versions.first()
        if template is None:
            raise CommandError(f"target: no template {code!r}; see kotacerdas assessment templates.")
        output = Path(self._need(options, "output", "-o FILE"))
        output.write_bytes(interchange.export_template(template))
        self.emit(options, {"template": code, "version": template.version, "file": str(output)}, f"Wrote {output}.")

    def _import_template(self, options: dict[str, Any]) -> None:
        path = Path(self._need(options, "target", "the template XLSX file"))
        with path.open("rb") as handle:
            template = interchange.import_template(
                actor=None, handle=handle, name=path.name, publish=options.get("publish", False)
            )
        payload = {"template": template.code, "version": template.version, "status": template.status}
        self.emit(options, payload, f"Imported {template.code} v{template.version} ({template.status}).")
