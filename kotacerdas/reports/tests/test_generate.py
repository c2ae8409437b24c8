"""Fidelity of the generated books: every chapter heading and programme name in the PDF text,
a DOCX with real headings, a TOC field, repeated header rows, page numbers and landscape
sections, which LibreOffice converts; page images of a small sample for layout review."""

from __future__ import annotations

import io
import os
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kotacerdas.plans.models import Programme
from kotacerdas.plans.tests.factories import make_programme
from kotacerdas.reports import selectors
from kotacerdas.reports.generate import generate
from kotacerdas.reports.tests.conftest import has, pdf_text

pytestmark = pytest.mark.django_db


def test_buku2_pdf_holds_every_chapter_heading_and_programme_name(book, cast, tmp_path):
    generated = generate("buku2", "pdf", cast.region_a, book.edition)
    text = pdf_text(generated.content, tmp_path)
    for heading in generated.headings:
        assert heading in text, heading
    for name in Programme.objects.filter(edition=book.edition).values_list("name", flat=True):
        assert name in text
    assert "Strategi tata kelola" in text and "SK Wali Kota 100/2023" in text
    assert "alert" not in text and "Teks visi daerah." in text  # the script is gone, the text stays
    assert generated.pages and f"{generated.pages}" in text  # "page X of Y" in the footer


def test_buku1_pdf_has_cover_contents_and_every_chapter(book, cast, tmp_path):
    generated = generate("buku1", "pdf", cast.region_a, book.edition)
    text = pdf_text(generated.content, tmp_path)
    for heading in generated.headings:
        assert heading in text, heading
    assert "SDM muda" in text and "Solok" in text


def test_pdf_fonts_are_embedded_and_chapters_are_bookmarked(book, cast, tmp_path):
    generated = generate("buku2", "pdf", cast.region_a, book.edition)
    path = tmp_path / "b.pdf"
    path.write_bytes(generated.content)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout  # noqa: S607
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes " in row for row in rows)
    assert generated.bookmarks == generated.headings  # one PDF bookmark per chapter, cover and contents left out


def test_an_empty_edition_still_gives_a_document_with_the_missing_list(cast, tmp_path):
    from kotacerdas.plans.tests.factories import make_edition

    edition = make_edition(cast.region_a, year=2030, start=2031, end=2035)
    generated = generate("buku2", "pdf", cast.region_a, edition)
    text = pdf_text(generated.content, tmp_path)
    assert generated.missing
    assert generated.headings[-1] in text
    for item in generated.missing[:5]:
        assert item["what"][:40] in text


def _docx_xml(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def test_docx_has_heading_styles_toc_field_repeated_headers_page_numbers_and_landscape(book, cast):
    import docx

    generated = generate("buku2", "docx", cast.region_a, book.edition)
    document = docx.Document(io.BytesIO(generated.content))
    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert headings == generated.headings
    xml = _docx_xml(generated.content)
    assert "TOC \\o" in xml and "<w:tblHeader/>" in xml
    assert any(s.orientation == 1 for s in document.sections)  # a landscape section for wide tables
    footer = document.sections[0].footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer
    with zipfile.ZipFile(io.BytesIO(generated.content)) as archive:
        assert b"updateFields" in archive.read("word/settings.xml")
    text = "\n".join(p.text for p in document.paragraphs) + xml
    for name in Programme.objects.filter(edition=book.edition).values_list("name", flat=True):
        assert name in text


def test_docx_opens_and_converts_in_libreoffice(book, cast, tmp_path):
    if not has("soffice"):
        if os.environ.get("KOTACERDAS_REQUIRE_OFFICE") == "1":
            pytest.fail("soffice is missing and KOTACERDAS_REQUIRE_OFFICE=1")
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
    generated = generate("buku2", "docx", cast.region_a, book.edition)
    source = tmp_path / "buku2.docx"
    source.write_bytes(generated.content)
    profile = tmp_path / "profile"
    done = subprocess.run(
        [  # noqa: S607
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        timeout=180,
    )
    converted = tmp_path / "buku2.pdf"
    assert done.returncode == 0 and converted.exists(), done.stderr.decode()
    text = pdf_text(converted.read_bytes(), tmp_path)
    assert generated.headings[0] in text and "GOV-01" in text


def test_page_images_of_a_small_sample_are_rendered_for_review(book, cast):
    generated = generate("buku2", "pdf", cast.region_a, book.edition)
    folder = Path(tempfile.mkdtemp(prefix="kotacerdas-pages-"))
    (folder / "buku2.pdf").write_bytes(generated.content)
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", str(folder / "buku2.pdf"), str(folder / "page")],  # noqa: S607
        check=True,
        timeout=120,
    )
    images = sorted(folder.glob("page-*.png"))
    assert len(images) == generated.pages
    assert all(image.stat().st_size > 1000 for image in images)


def test_reading_a_book_takes_the_same_queries_for_two_or_twelve_programmes(book, cast):
    with CaptureQueriesContext(connection) as small:
        selectors.book_data(cast.region_a, book.edition)
    for n in range(10):
        make_programme(book.edition, f"LIV-{n:02d}", dimension="LIV", lead_opd=cast.opd_a)
    with CaptureQueriesContext(connection) as large:
        selectors.book_data(cast.region_a, book.edition)
    assert len(small) == len(large) < 26  # 25 with the indicators' Satu Data metadata (monitoring)


def test_the_changelog_and_quick_win_documents_render(book, cast, tmp_path):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        generate("changelog", "pdf", cast.region_a, book.edition)  # no previous edition to compare with
    from kotacerdas.plans.tests.factories import make_edition

    make_edition(cast.region_a, year=2019, start=2020, end=2024)
    generated = generate("changelog", "docx", cast.region_a, book.edition, {"compare": 2019})
    assert "GOV-01" in _docx_xml(generated.content)
