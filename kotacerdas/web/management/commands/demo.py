from typing import Any

from kotacerdas.demo.data import PASSWORD
from kotacerdas.demo.loader import load_demo
from kotacerdas.demo.national import generate
from kotacerdas.frameworks.loader import load_all
from kotacerdas.lib.commands import JsonCommand


class Command(JsonCommand):
    help = (
        "Load the demo: Kota Solok (public facts, invented parts marked as sample) and a second region. "
        "With --national, the national sample instead: 514 invented regions for the ministry's national view. "
        "Safe to run twice."
    )

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--national",
            action="store_true",
            help="Generate the national sample (514 regions × 4 sessions × 20 obstacles × 300 programmes), "
            "all marked as sample data.",
        )
        parser.add_argument("--regions", type=int, default=514, help="With --national: how many regions.")
        parser.add_argument("--programmes", type=int, default=300, help="With --national: programmes per region.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["national"]:
            self._national(options)
            return
        result = load_demo()
        lines = [
            f"Regions created: {', '.join(result.regions_created) or 'none'}; "
            f"already present: {', '.join(result.regions_kept) or 'none'}.",
            f"Demo accounts (password: {PASSWORD}):",
            *[f"  {username:<18} {role}" for username, role in result.users],
        ]
        payload = {
            "regions_created": result.regions_created,
            "regions_kept": result.regions_kept,
            "password": PASSWORD,
            "users": [{"username": u, "access": r} for u, r in result.users],
        }
        self.emit(options, payload, "\n".join(lines))

    def _national(self, options: dict[str, Any]) -> None:
        load_all()
        result = generate(regions=max(options["regions"], 1), programmes=max(options["programmes"], 0))
        if not result.created:
            text = "The national sample is already there; nothing was added."
        else:
            counts = ", ".join(f"{n} {what}" for what, n in result.rows.items())
            text = f"National sample (is_sample) written in {result.seconds:.1f} s: {counts}."
        payload = {"created": result.created, "seconds": round(result.seconds, 2), "rows": result.rows}
        self.emit(options, payload, text + "\n")
