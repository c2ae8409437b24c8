"""``kotacerdas migrate-to-postgres URL``: move this SQLite install's data (and files) to PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.template.defaultfilters import filesizeformat

from kotacerdas.lib import topostgres
from kotacerdas.lib.commands import JsonCommand

BAD_INPUT = 2


class Command(JsonCommand):
    help = (
        "Copy every table of this SQLite install into an empty PostgreSQL database (migrated first), reset "
        "its sequences and compare every table by row count and checksum; with --media-root, copy the "
        "uploaded files to the new install's folder too."
    )

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument("url", metavar="URL", help="postgres://user:password@host:port/database")
        parser.add_argument(
            "--media-root",
            type=Path,
            default=None,
            help="The new install's KOTACERDAS_MEDIA_ROOT, when the files move too (an empty folder).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = topostgres.move(options["url"], media_root=options["media_root"])
        except topostgres.MoveError as error:
            raise CommandError(str(error), returncode=BAD_INPUT) from None
        payload = {
            "target": report.target,
            "seconds": report.seconds,
            "rows": report.rows,
            "tables": [{"table": t.table, "rows": t.rows, "checksum": t.checksum} for t in report.tables],
            "sequences_reset": report.sequences,
            "files": report.files,
            "file_bytes": report.file_bytes,
            "files_copied": report.files_copied,
            "media_root": report.media_root,
        }
        width = max((len(t.table) for t in report.tables), default=10)
        lines = [
            f"Moved to {report.target} in {report.seconds} s: {report.rows} rows in {len(report.tables)} tables, "
            f"each with the same row count and checksum as here; {report.sequences} sequences reset.",
            *(f"  {t.table:<{width}} {t.rows:>8}  {t.checksum[:16]}" for t in report.tables if t.rows),
            (
                f"{report.files} uploaded files ({filesizeformat(report.file_bytes)}) copied to {report.media_root} "
                "and checked by SHA-256."
                if report.files_copied
                else f"{report.files} uploaded files ({filesizeformat(report.file_bytes)}) stay in "
                f"{report.media_root}: the new install's KOTACERDAS_MEDIA_ROOT must point there."
            ),
            "Next: set KOTACERDAS_DATABASE_URL to the new database and restart the app and the worker.",
        ]
        self.emit(options, payload, "\n".join(lines))
