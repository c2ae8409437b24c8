"""The ``kotacerdas`` command: Django's management commands plus KotaCerdas's own verbs.

Own verbs are management commands of the apps (``demo``, ``setup``, ``createadmin``, ``grant``,
``regions``, ``frameworks``), so ``kotacerdas help`` lists them all in one place.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:] if argv is None else argv
    execute_from_command_line(["kotacerdas", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
