"""The upload policy's pure parts: the sniffer, the names, the response helper, the settings."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.fields.files import FieldFile
from hypothesis import given
from hypothesis import strategies as st

from kotacerdas.lib import files
from kotacerdas.lib.env import ConfigError, Env


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def ooxml(part: str) -> bytes:
    return zipped({"[Content_Types].xml": b"<Types/>", f"{part}/document.xml": b"<x/>"})


def odf(mimetype: str) -> bytes:
    return zipped({"mimetype": mimetype.encode(), "content.xml": b"<x/>"})


SAMPLES: dict[str, bytes] = {
    "pdf": b"%PDF-1.7\n%\xe2\xe3\n1 0 obj",
    "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
    "gif": b"GIF89a\x01\x00\x01\x00",
    "webp": b"RIFF\x24\x00\x00\x00WEBPVP8 ",
    "docx": ooxml("word"),
    "xlsx": ooxml("xl"),
    "pptx": ooxml("ppt"),
    "odt": odf("application/vnd.oasis.opendocument.text"),
    "ods": odf("application/vnd.oasis.opendocument.spreadsheet"),
    "odp": odf("application/vnd.oasis.opendocument.presentation"),
    "ole2": files.OLE2 + b"\x00" * 24,
}
REFUSED: dict[str, bytes] = {
    "html": b"<!DOCTYPE html><script>alert(1)</script>",
    "exe": b"MZ\x90\x00\x03",
    "svg": b'<svg xmlns="http://www.w3.org/2000/svg"/>',
    "empty": b"",
    "plain zip": zipped({"readme.txt": b"hello"}),
    "odf of another kind": odf("application/vnd.oasis.opendocument.graphics"),
    "broken zip": b"PK\x03\x04 not really",
    "pdf later in the file": b" %PDF-1.4",
}


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_the_sniffer_knows_each_allowed_kind_by_its_bytes(kind):
    stream = io.BytesIO(SAMPLES[kind])
    assert files.sniff(stream) == kind
    assert stream.tell() == 0


@pytest.mark.parametrize("what", sorted(REFUSED))
def test_the_sniffer_knows_nothing_else(what):
    assert files.sniff(io.BytesIO(REFUSED[what])) is None


def test_the_sniffer_reads_only_the_start_of_a_zip_entry():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", b"application/vnd.oasis.opendocument.text" + b" " * 20_000_000)
    assert len(buffer.getvalue()) < 100_000  # twenty megabytes once inflated
    assert files.sniff(io.BytesIO(buffer.getvalue())) == "odt"  # from its first bytes, not inflated whole


@given(st.binary(max_size=200))
def test_the_sniffer_never_fails_and_never_takes_markup_for_a_document(data):
    assert files.sniff(io.BytesIO(b"<html>" + data)) is None
    found = files.sniff(io.BytesIO(data))
    assert found is None or found in files.KINDS


@pytest.mark.parametrize(
    ("name", "kind"),
    [("laporan.pdf", "pdf"), ("FOTO.JPG", "jpeg"), ("foto.jpeg", "jpeg"), ("sk.doc", "ole2"), ("rab.xls", "ole2")]
    + [(f"berkas.{ext}", code) for code, kind in files.KINDS.items() for ext in kind.extensions],
)
def test_an_upload_passes_when_its_name_agrees_with_its_bytes(name, kind, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    assert files.check_upload(SimpleUploadedFile(name, SAMPLES[kind]), "file") == files.extension(name)


@pytest.mark.parametrize(
    ("name", "data", "why"),
    [
        ("laporan.pdf", REFUSED["html"], "is not a PDF"),
        ("laporan.html", REFUSED["html"], "is not a PDF"),
        ("foto.pdf", SAMPLES["png"], "does not match"),
        ("laporan.docx", SAMPLES["xlsx"], "does not match"),
        ("laporan.zip", SAMPLES["docx"], "does not match"),
        ("laporan", SAMPLES["pdf"], "does not match"),
        ("besar.pdf", SAMPLES["pdf"] + b"x" * 2048, "larger than"),
    ],
)
def test_an_upload_is_refused_with_its_name_and_the_reason(name, data, why, settings, english):
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as refused:
        files.check_upload(SimpleUploadedFile(name, data), "decree_file")
    message = refused.value.message_dict["decree_file"][0]
    assert why in message and f"“{name}”" in message


def test_stored_names_are_random_and_keep_only_the_region_and_extension():
    class Row:
        region_id = 7

    name_to = files.RandomName("decrees")
    first, second = name_to(Row(), "SK Walikota 188.PDF"), name_to(Row(), "SK Walikota 188.PDF")
    assert first != second
    assert first.startswith("decrees/7/") and first.endswith(".pdf") and "Walikota" not in first
    assert len(Path(first).stem) == 32
    assert name_to == files.RandomName("decrees") and name_to.deconstruct()[2] == {}


def test_the_original_name_is_kept_short_and_without_folders():
    long = SimpleUploadedFile("a" * 300 + ".pdf", b"")
    assert files.original_name(long) == "a" * 251 + ".pdf"
    assert files.original_name(SimpleUploadedFile("C:\\Users\\x\\sk.pdf", b"")) == "sk.pdf"


def _stored(tmp_path: Path, name: str, data: bytes) -> FieldFile:
    storage = FileSystemStorage(location=str(tmp_path))
    saved = storage.save(name, ContentFile(data))

    class Field:
        pass

    field: Any = Field()
    field.storage = storage
    return FieldFile(None, field, saved)


def test_a_download_is_an_attachment_with_a_safe_name_and_no_sniffing(tmp_path, settings):
    settings.FILE_ACCEL = "none"
    stored = _stored(tmp_path, "decrees/1/abc.pdf", SAMPLES["pdf"])
    response = files.file_response(stored, "SK Wali Kota “Solok” 2024.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    assert "%E2%80%9CSolok%E2%80%9D" in disposition and '"' not in disposition.split("''", 1)[1]
    assert b"".join(response.streaming_content) == SAMPLES["pdf"]  # type: ignore[attr-defined]


def test_a_download_can_be_handed_to_nginx_or_apache(tmp_path, settings):
    stored = _stored(tmp_path, "decrees/1/abc.docx", SAMPLES["docx"])
    settings.FILE_ACCEL, settings.FILE_ACCEL_PREFIX = "nginx", "/internal/"
    response = files.file_response(stored, "sk.docx")
    assert response["X-Accel-Redirect"] == "/internal/decrees/1/abc.docx" and response.content == b""
    assert response["Content-Type"] == files.KINDS["docx"].content_type
    assert response["Content-Disposition"] == 'attachment; filename="sk.docx"'
    settings.FILE_ACCEL = "apache"
    response = files.file_response(stored, "sk.docx")
    assert response["X-Sendfile"] == str(tmp_path / "decrees/1/abc.docx")


def test_legacy_office_files_are_served_as_their_own_type():
    assert files.content_type_for("x/1/a.xls") == "application/vnd.ms-excel"
    assert files.content_type_for("x/1/a.html") == "application/octet-stream"


def test_the_storage_and_download_settings_are_read_strictly():
    read = Env({"KOTACERDAS_FILE_STORAGE_OPTIONS": '{"bucket_name": "kc"}', "KOTACERDAS_FILE_ACCEL": "Nginx"})
    assert read.json_object("FILE_STORAGE_OPTIONS") == {"bucket_name": "kc"}
    assert read.json_object("UNSET") == {}
    assert read.choice("FILE_ACCEL", "none", ("none", "nginx", "apache")) == "nginx"
    with pytest.raises(ConfigError, match="JSON object"):
        Env({"KOTACERDAS_X": "[1]"}).json_object("X")
    with pytest.raises(ConfigError, match="not valid JSON"):
        Env({"KOTACERDAS_X": "{bucket"}).json_object("X")
    with pytest.raises(ConfigError, match="must be one of"):
        Env({"KOTACERDAS_X": "lighttpd"}).choice("X", "none", ("none", "nginx"))


def test_the_command_checks_files_as_the_pages_do(tmp_path, settings, english):
    import json

    from django.core.management import CommandError, call_command

    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    good, bad = tmp_path / "sk.docx", tmp_path / "undangan.pdf"
    good.write_bytes(SAMPLES["docx"])
    bad.write_bytes(REFUSED["html"])
    out = io.StringIO()
    call_command("files", "check", str(good), "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["max_bytes"] == 1024 * 1024
    assert report["files"] == [
        {
            "file": str(good),
            "size": len(SAMPLES["docx"]),
            "accepted": True,
            "content_type": files.KINDS["docx"].content_type,
            "extension": "docx",
        }
    ]
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 of 2 files would be refused"):
        call_command("files", "check", str(good), str(bad), stdout=out)
    assert "undangan.pdf: The file “undangan.pdf” is not a PDF" in out.getvalue()
