from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from kotacerdas.assessments.loader import load_templates
from kotacerdas.frameworks.loader import load_all
from kotacerdas.frameworks.sipd import load_sample as load_sipd_sample


class Command(BaseCommand):
    help = (
        "Prepare a database: apply migrations, create the cache table, load the reference frameworks "
        "the assessment templates and the sample SIPD code list (marked as sample)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = options.get("verbosity", 1)
        call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))
        call_command("createcachetable", verbosity=max(verbosity - 1, 0))
        result = load_all()
        templates = load_templates()
        sipd = load_sipd_sample()
        self.stdout.write(
            f"Database ready. Frameworks loaded: {len(result.created)} new, {len(result.skipped)} already present. "
            f"Assessment templates loaded: {len(templates.created)} new, {len(templates.skipped)} already present. "
            f"SIPD sample code list: {'loaded' if sipd else 'already present'}."
        )
