"""One policy for every file people upload and download (evidence, decrees, agreements, scans).

On the way in, :func:`accept_upload` refuses a file whose bytes are not one of the allowed kinds
(PDF, PNG/JPEG/GIF/WebP images, office documents), whose name does not agree with its bytes, or
which is larger than ``settings.UPLOAD_MAX_BYTES``; the error names the file and says why. A file
that passes is stored under a random name (:class:`RandomName`, ``<app>/<region id>/<hex>.<ext>``)
through the default storage of ``STORAGES``, and its original name is kept in the database for
the download.

On the way out, files are never served from ``MEDIA_URL``: each kind has a view that reaches the
row through ``access.region_for`` and answers with :func:`file_response` (attachment, the original
name, ``nosniff``, the content type the upload was checked against; optionally handed to nginx or
Apache with X-Accel-Redirect or X-Sendfile, see docs/configuration.md).
"""

from __future__ import annotations

import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.forms import ClearableFileInput
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The part of an OOXML package that only that kind of document has.
OOXML_PARTS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
    b"application/vnd.oasis.opendocument.presentation": "odp",
}


@dataclass(frozen=True)
class Kind:
    """An allowed kind of file: the extensions its name may have and the type it is served as."""

    code: str
    extensions: tuple[str, ...]
    content_type: str


KINDS: dict[str, Kind] = {
    k.code: k
    for k in (
        Kind("pdf", ("pdf",), "application/pdf"),
        Kind("png", ("png",), "image/png"),
        Kind("jpeg", ("jpg", "jpeg"), "image/jpeg"),
        Kind("gif", ("gif",), "image/gif"),
        Kind("webp", ("webp",), "image/webp"),
        Kind("docx", ("docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        Kind("xlsx", ("xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        Kind("pptx", ("pptx",), "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
        Kind("odt", ("odt",), "application/vnd.oasis.opendocument.text"),
        Kind("ods", ("ods",), "application/vnd.oasis.opendocument.spreadsheet"),
        Kind("odp", ("odp",), "application/vnd.oasis.opendocument.presentation"),
        # A legacy Office file is an OLE2 compound file: the bytes say "legacy Office", the name
        # says which of the three (telling them apart would mean parsing the compound file).
        Kind("ole2", ("doc", "xls", "ppt"), "application/octet-stream"),
    )
}
LEGACY_TYPES = {"doc": "application/msword", "xls": "application/vnd.ms-excel", "ppt": "application/vnd.ms-powerpoint"}
ACCEPT = ",".join(f".{ext}" for kind in KINDS.values() for ext in kind.extensions)
FALLBACK_TYPE = "application/octet-stream"


def _sniff_zip(stream: IO[bytes]) -> str | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as entry:  # a few bytes: never inflate a whole entry
                    return ODF_MIMETYPES.get(entry.read(100).strip())
            if "[Content_Types].xml" in names:
                for code, part in OOXML_PARTS.items():
                    if any(name.startswith(part) for name in names):
                        return code
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, KeyError, EOFError):
        return None
    return None


def sniff(stream: IO[bytes]) -> str | None:
    """The code of the allowed kind ``stream`` holds by its bytes, or None; the position is kept."""
    start = stream.tell()
    try:
        head = stream.read(16)
        if head.startswith(b"%PDF-"):
            return "pdf"
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return "png"
        if head.startswith(b"\xff\xd8\xff"):
            return "jpeg"
        if head.startswith((b"GIF87a", b"GIF89a")):
            return "gif"
        if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            return "webp"
        if head.startswith(OLE2):
            return "ole2"
        if head.startswith(b"PK\x03\x04"):
            stream.seek(start)
            return _sniff_zip(stream)
        return None
    finally:
        stream.seek(start)


def extension(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def content_type_for(name: str) -> str:
    """The type a stored file is served as, from its name (which agreed with its bytes on upload)."""
    ext = extension(name)
    if ext in LEGACY_TYPES:
        return LEGACY_TYPES[ext]
    for kind in KINDS.values():
        if ext in kind.extensions:
            return kind.content_type
    return FALLBACK_TYPE


def max_bytes() -> int:
    return int(settings.UPLOAD_MAX_BYTES)


def upload_help() -> str:
    """What a file field accepts, for its help text."""
    return _("PDF, image or office document, at most %(limit)s.") % {"limit": filesizeformat(max_bytes())}


class StoredFileInput(ClearableFileInput):
    """A file input that names the current file by the name it was uploaded with.

    Django's own widget links the current file to its storage URL (``MEDIA_URL``), which nothing
    serves and which would show the stored name; downloads go through the pages' own links."""

    template_name = "web/widgets/stored_file_input.html"
    shown_name = ""

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        stored = getattr(value, "name", "") or ""
        context["widget"]["shown_name"] = self.shown_name or PurePath(stored).name
        return context


def describe_file_field(field: Any, shown_name: str = "") -> None:
    """Make a form's file field follow the policy: what it accepts (checked again on upload) and
    the current file shown by its original name, not linked to storage."""
    widget = StoredFileInput(attrs={**field.widget.attrs, "accept": ACCEPT})
    widget.shown_name = shown_name
    widget.is_required = field.required
    field.widget = widget
    field.help_text = f"{field.help_text} {upload_help()}".strip()


def check_upload(upload: File, field: str) -> str:
    """The extension of an acceptable ``upload``; ValidationError on ``field`` naming the file and why."""
    name = PurePath(upload.name or "").name or _("(no name)")
    limit = max_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            {
                field: _("The file “%(name)s” is larger than %(limit)s; upload a smaller file.")
                % {"name": name, "limit": filesizeformat(limit)}
            }
        )
    found = sniff(upload.file) if upload.file is not None else None
    if found is None:
        raise ValidationError(
            {
                field: _(
                    "The file “%(name)s” is not a PDF, an image (PNG, JPEG, GIF, WebP) or an office document "
                    "(Word, Excel, PowerPoint, OpenDocument)."
                )
                % {"name": name}
            }
        )
    ext = extension(name)
    if ext not in KINDS[found].extensions:
        raise ValidationError(
            {
                field: _("The name of the file “%(name)s” does not match its content, which is %(kind)s.")
                % {"name": name, "kind": found.upper() if found != "ole2" else "DOC/XLS/PPT"}
            }
        )
    return ext


def original_name(upload: UploadedFile, limit: int = 255) -> str:
    """The uploaded file's own name (no folders), shortened to ``limit`` keeping its extension."""
    name = PurePath((upload.name or "").replace("\\", "/")).name
    if len(name) <= limit:
        return name
    suffix = PurePath(name).suffix[:20]
    return name[: limit - len(suffix)] + suffix


def accept_upload(obj: Any, field: str, name_field: str, value: Any) -> bool:
    """Put ``value`` from a form or command into ``obj.<field>`` under this policy; True if changed.

    ``value``: an upload (checked, then stored under a random name when ``obj`` is saved), False
    (a form's "clear" box: the file is removed from the row) or anything else (no change).
    """
    if value is False:
        changed = bool(getattr(obj, field))
        setattr(obj, field, "")
        setattr(obj, name_field, "")
        return changed
    if isinstance(value, UploadedFile):
        check_upload(value, field)
        setattr(obj, field, value)
        setattr(obj, name_field, original_name(value))
        return True
    return False


@deconstructible
class RandomName:
    """``upload_to`` for every uploaded file: ``<app>/<region id>/<uuid4 hex>.<ext>``.

    Nothing in the path can be guessed from what a user sees, and no two uploads collide."""

    def __init__(self, app: str) -> None:
        self.app = app

    def __call__(self, instance: Any, filename: str) -> str:
        ext = extension(filename)
        return f"{self.app}/{instance.region_id}/{uuid.uuid4().hex}{'.' + ext if ext else ''}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RandomName) and other.app == self.app

    def __hash__(self) -> int:
        return hash(self.app)


def download_name(stored: FieldFile, original: str = "") -> str:
    """The name a download is saved under: the original, or (for older rows) the stored one's."""
    return original or PurePath(stored.name or "").name


def file_response(stored: FieldFile, filename: str, content_type: str | None = None) -> HttpResponseBase:
    """Send a stored file as an attachment: streamed, or handed to the web server when configured.

    ``Content-Disposition`` carries ``filename`` safely (RFC 5987 ``filename*`` for non-ASCII).
    """
    content_type = content_type or content_type_for(stored.name or "")
    accel = getattr(settings, "FILE_ACCEL", "none")
    response: HttpResponseBase
    name = stored.name or ""
    if accel == "nginx":
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.FILE_ACCEL_PREFIX.rstrip("/") + "/" + name
    elif accel == "apache":
        response = HttpResponse(content_type=content_type)
        response["X-Sendfile"] = stored.path
    else:
        response = FileResponse(stored.open("rb"), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
