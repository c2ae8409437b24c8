"""``kotacerdas backup OUT``: the database and every uploaded file in one archive (lib/backup.py)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError
from django.template.defaultfilters import filesizeformat

from kotacerdas.lib import backup
from kotacerdas.lib.commands import JsonCommand

BAD_INPUT = 2


class Command(JsonCommand):
    help = (
        "Write the database (SQLite online backup or pg_dump) and every uploaded file to one ZIP archive "
        "with a manifest of checksums. OUT is a new file, or a folder to write a dated archive into."
    )

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument("out", metavar="OUT")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            done = backup.backup(options["out"])
        except backup.BackupError as error:
            raise CommandError(str(error), returncode=BAD_INPUT) from None
        payload = {
            "archive": done.archive,
            "size": done.size,
            "sha256": done.sha256,
            "seconds": done.seconds,
            "engine": done.engine,
            "tables": done.tables,
            "rows": done.rows,
            "files": done.files,
            "file_bytes": done.file_bytes,
            "created_at": done.manifest["created_at"],
            "kotacerdas_version": done.manifest["kotacerdas_version"],
        }
        text = (
            f"Backup written to {done.archive} ({filesizeformat(done.size)}, {done.seconds} s): the {done.engine} "
            f"database ({done.rows} rows in {done.tables} tables) and {done.files} uploaded files "
            f"({filesizeformat(done.file_bytes)}).\nSHA-256 of the archive: {done.sha256}"
        )
        self.emit(options, payload, text)
