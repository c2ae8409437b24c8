"""The ``kotacerdas`` command: Django's management commands plus KotaCerdas's own verbs.

Own verbs are management commands of the apps (``demo``, ``setup``, ``createadmin``, ``grant``,
``regions``, ``frameworks``, ``plan``, ``quickwins`` and the rest), so ``kotacerdas help`` lists
them all in one place. With nothing configured it runs as the one-laptop install (see
docs/configuration.md).
"""

from __future__ import annotations

import os
import sys

# Any KOTACERDAS_ variable means an operator configured this install, and the settings' own rules
# apply (a server without a secret key refuses to start).
PREFIX = "KOTACERDAS_"


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.settings")
    if not any(name.startswith(PREFIX) for name in os.environ):
        # Nothing configured: the one-laptop install on its own SQLite file, as `make run` starts
        # it, so `kotacerdas regions list` or `kotacerdas quickwins select FILE` just work.
        os.environ["KOTACERDAS_DEBUG"] = "true"
    args = list(sys.argv[1:] if argv is None else argv)
    if args and "-" in args[0] and not args[0].startswith("-"):
        # Verbs read as words (`kotacerdas migrate-to-postgres`); their modules need underscores.
        args[0] = args[0].replace("-", "_")
    if args[:2] == ["quickwins", "select"]:
        return _without_apps(args)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kotacerdas", *args])
    return 0


def _without_apps(args: list[str]) -> int:
    """Run a verb that reads a file and never the database, without setting up Django's apps.

    ``quickwins select`` needs the settings (language, number formats) and the translation
    catalogue, which comes from LOCALE_PATHS; importing every app's models, the admin and the
    logging set-up would cost about 0.3 s of a 0.5 s start (issue 17)."""
    from django.apps import apps
    from django.conf import settings

    settings.LOCALE_PATHS  # noqa: B018 (reads the settings module, as django.setup() would)
    apps.populate([])
    from kotacerdas.quickwins.management.commands.quickwins import Command

    Command().run_from_argv(["kotacerdas", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
