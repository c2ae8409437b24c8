from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from kotacerdas.accounts.models import User
from kotacerdas.accounts.services import grant
from kotacerdas.lib.commands import JsonCommand, fail
from kotacerdas.regions.models import OPD, Region


class Command(JsonCommand):
    help = "Give a user a role in a region: admin, editor, viewer or mentor (an editor may be tied to an agency)."

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument("username")
        parser.add_argument("region", help="Kemendagri code, e.g. 13.72")
        parser.add_argument("role")
        parser.add_argument("--opd", help="Abbreviation of the agency an editor belongs to.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"username: no user {options['username']!r}.")
        region = Region.objects.filter(code=options["region"]).first()
        if region is None:
            raise CommandError(f"region: no region with code {options['region']!r}.")
        opd = None
        if options["opd"]:
            opd = OPD.objects.filter(region=region, abbreviation=options["opd"]).first()
            if opd is None:
                raise CommandError(f"--opd: {region} has no agency {options['opd']!r}.")
        try:
            membership = grant(actor=None, user=user, region=region, role=options["role"], opd=opd)
        except ValidationError as error:
            raise fail(error) from None
        payload = {
            "username": user.username,
            "region": region.code,
            "role": membership.role,
            "opd": opd.abbreviation if opd else None,
        }
        self.emit(options, payload, f"{user.username} is now {membership.role} in {region}.")
