"""``kotacerdas files check FILE…``: the upload policy of every file field, from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.management.base import CommandError

from kotacerdas.lib import files
from kotacerdas.lib.commands import JsonCommand


class Command(JsonCommand):
    help = "Check files against the upload policy (type read from the bytes, name, size) as the web pages do."

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument("action", choices=["check"])
        parser.add_argument("paths", nargs="+", metavar="FILE")

    def handle(self, *args: Any, **options: Any) -> None:
        rows: list[dict[str, Any]] = []
        for raw in options["paths"]:
            path = Path(raw)
            if not path.is_file():
                raise CommandError(f"FILE: {raw} is not a readable file.")
            row: dict[str, Any] = {"file": str(path), "size": path.stat().st_size}
            with path.open("rb") as handle:
                try:
                    ext = files.check_upload(File(handle, name=path.name), "file")
                except ValidationError as error:
                    row.update(accepted=False, problem=" ".join(error.message_dict["file"]))
                else:
                    row.update(accepted=True, content_type=files.content_type_for(path.name), extension=ext)
            rows.append(row)
        text = "\n".join(
            f"{r['file']}: {'accepted as ' + r['content_type'] if r['accepted'] else r['problem']}" for r in rows
        )
        self.emit(options, {"max_bytes": files.max_bytes(), "files": rows}, text)
        refused = sum(not r["accepted"] for r in rows)
        if refused:
            raise CommandError(f"{refused} of {len(rows)} files would be refused.")
