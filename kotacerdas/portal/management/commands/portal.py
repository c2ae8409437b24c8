"""``kotacerdas portal``: what a region publishes on its public page, and switching a part.

``publish CODE PART on|off`` switches one part (plan, quick_wins, indicators, books, evaluation)
as the operator (audited like the admin's settings page); ``status CODE`` prints every part's
state and whether the region's public page is on. An unknown region, part or state exits with
code 2. Both accept ``--json``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser

from kotacerdas.lib.commands import JsonCommand, fail
from kotacerdas.portal import services
from kotacerdas.portal.models import PARTS, Publication
from kotacerdas.regions.models import Region

BAD_INPUT = 2
STATES = {"on": True, "off": False}


class Command(JsonCommand):
    help = "Show or switch the parts a region publishes on its public portal page."

    def add_arguments(self, parser: CommandParser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True)
        publish = verbs.add_parser("publish", help="Switch one part of a region's public page on or off.")
        publish.add_argument("code", help="Kemendagri code of the region, e.g. 13.72.")
        publish.add_argument("part", help=f"One of: {', '.join(PARTS)}.")
        publish.add_argument("state", help="on or off.")
        publish.add_argument("--json", action="store_true", help="Print JSON for scripts.")
        status = verbs.add_parser("status", help="Print what a region publishes.")
        status.add_argument("code", help="Kemendagri code of the region, e.g. 13.72.")
        status.add_argument("--json", action="store_true", help="Print JSON for scripts.")

    def handle(self, *args: Any, **options: Any) -> None:
        region = Region.objects.filter(code=options["code"]).first()
        if region is None:
            raise CommandError(f"CODE: there is no region {options['code']}.", returncode=BAD_INPUT)
        if options["verb"] == "publish":
            if options["part"] not in PARTS:
                raise CommandError(f"PART: choose one of {', '.join(PARTS)}.", returncode=BAD_INPUT)
            if options["state"] not in STATES:
                raise CommandError("STATE: choose on or off.", returncode=BAD_INPUT)
            current = Publication.objects.filter(region=region).values_list("version", flat=True).first()
            try:
                services.set_publication(
                    actor=None,
                    region=region,
                    parts={options["part"]: STATES[options["state"]]},
                    expected_version=current or 0,
                )
            except ValidationError as error:
                raise fail(error) from None
        publication = Publication.objects.filter(region=region).first()
        parts = {part: bool(publication and getattr(publication, part)) for part in PARTS}
        payload = {"region": region.code, "page_published": region.is_published, "parts": parts}
        lines = [f"{region.label} ({region.code}): public page {'on' if region.is_published else 'off'}"]
        lines += [f"  {part}: {'on' if on else 'off'}" for part, on in parts.items()]
        self.emit(options, payload, "\n".join(lines))
