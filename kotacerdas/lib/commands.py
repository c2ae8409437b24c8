"""Helpers for management commands: ``--json`` output and errors that name the bad argument."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError


class JsonCommand(BaseCommand):
    """A command that prints either human text or, with ``--json``, one JSON document."""

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--json", action="store_true", help="Print JSON for scripts.")

    def execute(self, *args: Any, **options: Any) -> Any:
        # Commands act as the operator (``actor=None``), whom the services do not ask; should one
        # act for a user the access layer refuses, say so in one line rather than a traceback.
        try:
            return super().execute(*args, **options)
        except PermissionDenied as refused:
            raise CommandError(str(refused) or "Not allowed.") from None

    def emit(self, options: dict[str, Any], payload: Any, text: str) -> None:
        if options.get("json"):
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
        else:
            self.stdout.write(text)


def validation_message(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(m for e in errs for m in e.messages)}" for field, errs in error.error_dict.items()
        )
    return " ".join(error.messages)


def fail(error: ValidationError) -> CommandError:
    return CommandError(validation_message(error))
