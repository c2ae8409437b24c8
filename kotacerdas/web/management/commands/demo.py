from typing import Any

from kotacerdas.demo.data import PASSWORD
from kotacerdas.demo.loader import load_demo
from kotacerdas.lib.commands import JsonCommand


class Command(JsonCommand):
    help = (
        "Load the demo: Kota Solok (public facts, invented parts marked as sample) and a second region. "
        "Safe to run twice."
    )

    def handle(self, *args: Any, **options: Any) -> None:
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
