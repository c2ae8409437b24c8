from typing import Any

from django.core.management.base import CommandError

from kotacerdas.frameworks.loader import FrameworkFileError, load_all
from kotacerdas.frameworks.models import Framework
from kotacerdas.lib.commands import JsonCommand


class Command(JsonCommand):
    help = "Reference frameworks: list versions, show one, or load the data files (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument("action", choices=["list", "show", "load"])
        parser.add_argument("code", nargs="?")
        parser.add_argument("--version", dest="fw_version", type=int, help="Version to show (default: newest).")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "load":
            try:
                result = load_all()
            except FrameworkFileError as error:
                raise CommandError(str(error)) from None
            payload: dict[str, Any] = {"created": result.created, "skipped": result.skipped}
            self.emit(options, payload, f"Loaded {len(result.created)} new; {len(result.skipped)} already present.")
        elif action == "list":
            rows = [
                {
                    "kind": f.kind,
                    "code": f.code,
                    "version": f.version,
                    "year": f.year,
                    "status": f.status,
                    "title": f.title,
                }
                for f in Framework.objects.order_by("kind", "code", "version")
            ]
            text = "\n".join(
                f"{r['kind']:<13} {r['code']:<20} v{r['version']} {r['status']:<9} {r['title']}" for r in rows
            )
            self.emit(options, rows, text)
        else:
            if not options["code"]:
                raise CommandError("show needs a framework code, e.g. kotacerdas frameworks show kominfo-6")
            versions = Framework.objects.filter(code=options["code"])
            if options["fw_version"]:
                versions = versions.filter(version=options["fw_version"])
            framework = versions.order_by("-version").prefetch_related("entries").first()
            if framework is None:
                raise CommandError(
                    f"code: no framework {options['code']!r}"
                    + (f" version {options['fw_version']}" if options["fw_version"] else "")
                    + "."
                )
            entries = [
                {
                    "code": e.code,
                    "name": e.name,
                    "name_en": e.name_en,
                    "parent": e.parent_id
                    and next((p.code for p in framework.entries.all() if p.pk == e.parent_id), None),
                    "level": e.level,
                    "weight": str(e.weight) if e.weight is not None else None,
                    "lower_bound": str(e.lower_bound) if e.lower_bound is not None else None,
                    "lower_inclusive": e.lower_inclusive,
                }
                for e in framework.entries.all()
            ]
            payload = {
                "kind": framework.kind,
                "code": framework.code,
                "version": framework.version,
                "year": framework.year,
                "status": framework.status,
                "title": framework.title,
                "entries": entries,
            }
            text = "\n".join(
                [
                    f"{framework.title} v{framework.version} ({framework.status})",
                    *[f"  {'  ' if e['parent'] else ''}{e['code']}  {e['name']}" for e in entries],
                ]
            )
            self.emit(options, payload, text)
