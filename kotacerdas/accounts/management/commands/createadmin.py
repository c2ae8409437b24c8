import getpass
import os
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kotacerdas.accounts.services import create_ministry_admin
from kotacerdas.lib.commands import fail


class Command(BaseCommand):
    help = (
        "Create a ministry admin (sees every region, edits the reference frameworks). "
        "The password comes from --password-env VAR, or is asked for."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--full-name", default="")
        parser.add_argument("--password-env", help="Name of an environment variable holding the password.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["password_env"]:
            password = os.environ.get(options["password_env"])
            if not password:
                raise CommandError(f"--password-env: the variable {options['password_env']} is not set.")
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ.")
        try:
            user = create_ministry_admin(
                username=options["username"], email=options["email"], password=password, full_name=options["full_name"]
            )
        except ValidationError as error:
            raise fail(error) from None
        self.stdout.write(f"Ministry admin {user.username} created.")
