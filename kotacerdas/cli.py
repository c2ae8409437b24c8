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
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    if args and "-" in args[0] and not args[0].startswith("-"):
        # Verbs read as words (`kotacerdas migrate-to-postgres`); their modules need underscores.
        args[0] = args[0].replace("-", "_")
    execute_from_command_line(["kotacerdas", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
