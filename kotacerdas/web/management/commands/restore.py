"""``kotacerdas restore IN``: check a backup archive and put its database and files back (lib/backup.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from kotacerdas.lib import backup
from kotacerdas.lib.commands import JsonCommand

BAD_INPUT = 2


class Command(JsonCommand):
    help = (
        "Restore a backup made by `kotacerdas backup`: every member is checked against the manifest first; "
        "an archive of a newer schema or a target that holds data (without --force) is refused."
    )

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument("archive", metavar="IN")
        parser.add_argument(
            "--force", action="store_true", help="Replace the database and files of an install that holds data."
        )
        parser.add_argument(
            "--check", action="store_true", help="Only check the archive against its manifest; change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["archive"])
        try:
            if options["check"]:
                manifest = backup.verify(path)
                newer = backup.schema_problem(manifest)
                payload = {
                    "archive": str(path),
                    "sound": True,
                    "newer_schema": newer,
                    **{k: v for k, v in manifest.items() if k != "members"},
                    "members": len(manifest["members"]),
                }
                text = (
                    f"{path}: every member matches the manifest ({len(manifest['members'])} members; "
                    f"{manifest['database']['engine']} database made {manifest['created_at']} by KotaCerdas "
                    f"{manifest['kotacerdas_version']})."
                    + (f"\nIts schema is newer than this KotaCerdas: {', '.join(newer)}." if newer else "")
                )
                self.emit(options, payload, text)
                return
            done = backup.restore(path, force=options["force"])
        except backup.BackupError as error:
            raise CommandError(str(error), returncode=BAD_INPUT) from None
        payload = {
            "archive": done.archive,
            "sha256": done.sha256,
            "seconds": done.seconds,
            "engine": done.engine,
            "replaced": done.replaced,
            "tables": done.tables,
            "rows": done.rows,
            "files": done.files,
            "file_bytes": done.file_bytes,
            "migrations_applied": done.migrations_applied,
            "created_at": done.manifest["created_at"],
            "kotacerdas_version": done.manifest["kotacerdas_version"],
        }
        lines = [
            f"Restored {done.archive} (made {done.manifest['created_at']} by KotaCerdas "
            f"{done.manifest['kotacerdas_version']}) in {done.seconds} s:",
            "- every member matched its SHA-256 in the manifest;",
            f"- the {done.engine} database {'replaced' if done.replaced else 'written'}: {done.rows} rows in "
            f"{done.tables} tables, the same counts as the manifest;",
            f"- {done.files} uploaded files written to the storage"
            + (", the files stored before removed" if done.replaced else "")
            + ";",
            f"- {len(done.migrations_applied)} newer migrations applied"
            + (f" ({', '.join(done.migrations_applied)})" if done.migrations_applied else "")
            + ";",
            "- the restore is recorded in the audit trail.",
            "Restart the app servers and the job workers.",
        ]
        self.emit(options, payload, "\n".join(lines))
