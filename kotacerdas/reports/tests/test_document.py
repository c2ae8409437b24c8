"""The pure parts: rich text is sanitised and read into blocks; chapter numbers; page labels."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kotacerdas.reports.document import Document, ListBlock, Paragraph, Table, roman
from kotacerdas.reports.renderers.html import page_counter
from kotacerdas.reports.richtext import blocks


def test_it_drops_scripts_and_event_handlers_from_chapter_text():
    found = blocks('<p onclick="x()">Aman <b>tebal</b></p><script>alert(1)</script><iframe src="x"></iframe>')
    assert len(found) == 1 and isinstance(found[0], Paragraph)
    assert found[0].text == "Aman tebal" and found[0].runs[1].bold


def test_it_reads_lists_headings_and_tables():
    found = blocks(
        "<h3>Judul</h3><ol><li>satu</li><li>dua</li></ol><table><tr><th>A</th></tr><tr><td>1</td></tr></table>"
    )
    assert [b.kind for b in found] == ["heading", "list", "table"]
    assert isinstance(found[1], ListBlock) and found[1].ordered and len(found[1].items) == 2
    assert isinstance(found[2], Table) and found[2].columns[0].label == "A" and found[2].rows[0][0].text == "1"


@given(st.text(max_size=200))
def test_no_markup_survives_as_text_in_any_block(text):
    for block in blocks(f"<p>{text}</p><script>{text}</script>"):
        if isinstance(block, Paragraph):
            assert "<script" not in block.text.lower() or "<script" in text.lower()


@given(st.integers(min_value=1, max_value=3999))
def test_roman_numbers_are_built_from_the_standard_letters(n):
    value = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
    letters = roman(n)
    total = 0
    for a, b in zip(letters, [*letters[1:], ""], strict=True):
        total += -value[a] if b and value[a] < value[b] else value[a]
    assert total == n


def test_the_page_label_becomes_css_counters():
    assert page_counter("halaman {page} dari {pages}") == '"halaman " counter(page) " dari " counter(pages)'


def test_a_placeholder_is_listed_as_missing_under_its_chapter():
    doc = Document("buku2", "T", "R", cover=None)  # type: ignore[arg-type]
    chapter = doc.chapter("x", "Visi")
    doc.placeholder(chapter, "Visi belum ditulis.")
    assert chapter.heading == "I. Visi" and doc.missing[0].chapter == "I. Visi"


def test_a_short_document_has_no_cover_contents_or_header_rows_where_none_are_asked():
    from kotacerdas.reports.document import Cell, Column, Cover
    from kotacerdas.reports.renderers import html

    doc = Document("minutes", "Notulen", "Kota Solok", Cover("", "Notulen", "Kota Solok", "", ""), short=True)
    chapter = doc.chapter("minutes", "Notulen", number=False)
    chapter.blocks.append(Table([Column("Kolom"), Column("")], [[Cell("Daerah"), Cell("Kota Solok")]], header=False))
    chapter.blocks.append(Table([Column("")], [[Cell("Notulis,")]], header=False, ruled=False))
    out = html.render(doc, "")
    assert 'class="cover"' not in out and 'class="toc"' not in out
    assert '<section class="chapter short"' in out and "<thead>" not in out and "Kolom" not in out
    assert 'class="whole-rows unruled"' in out
