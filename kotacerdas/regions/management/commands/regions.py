from typing import Any

from django.core.management.base import CommandError

from kotacerdas.lib.commands import JsonCommand
from kotacerdas.regions.models import Region
from kotacerdas.regions.selectors import region_summary


class Command(JsonCommand):
    help = "List regions, or show one region's profile with its size classes, agencies and governance bodies."

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument("action", choices=["list", "show"])
        parser.add_argument("code", nargs="?", help="Kemendagri code, for show.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            rows = list(Region.objects.order_by("code").values("code", "name", "kind", "province"))
            text = "\n".join(f"{r['code']}  {r['kind'].title()} {r['name']} ({r['province']})" for r in rows)
            self.emit(options, rows, text or "No regions.")
            return
        if not options["code"]:
            raise CommandError("show needs a region code, e.g. kotacerdas regions show 13.72")
        region = Region.objects.filter(code=options["code"]).first()
        if region is None:
            raise CommandError(f"code: no region with code {options['code']!r}.")
        summary = region_summary(region)
        lines = [f"{region} ({region.code}), {region.province}"]
        for p in summary["population"]:  # type: ignore[attr-defined]
            lines.append(f"  population {p['year']}: {p['population']:,}{' (estimate)' if p['estimate'] else ''}")
        for s in summary["size_classes"]:  # type: ignore[attr-defined]
            lines.append(f"  size class {s['scheme']} v{s['version']}: {s['label'] or 'unknown'}")
        lines.append(f"  agencies: {len(summary['opds'])}; governance bodies: {len(summary['governance_bodies'])}")  # type: ignore[arg-type]
        self.emit(options, summary, "\n".join(lines))
