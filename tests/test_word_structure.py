"""Word files: the author's heading and contents styles give the review's sections, with no shape guess."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from briefgen import resources
from briefgen.ingest.limits import DEFAULT_LIMITS
from briefgen.ingest.word import read_docx
from briefgen.lexicon import CompiledLexicon, load_lexicon
from briefgen.models import DocumentText, Page
from briefgen.text import segment

LEXICON = CompiledLexicon(load_lexicon(resources.default_lexicon()))


@pytest.fixture
def review(tmp_path: Path) -> DocumentText:
    """A small review whose headings are sentence case or a person's name, with contents, a list and a table."""
    word = docx.Document()
    word.add_heading("Domestic Homicide Review: 'Ann'", level=1)
    word.add_paragraph("Overview report, final version.")
    word.add_heading("Contents", level=2)
    for entry in ("Chapter 1: About this review", "Chapter 2: Ann and Bob", "Chapter 3: What we found"):
        word.add_paragraph(entry, style="List Bullet")
    word.add_heading("Chapter 1: About this review", level=2)
    word.add_paragraph("She died at her home on 3rd March 2020.")
    word.add_heading("The review panel", level=3)
    word.add_paragraph("The panel met four times.")
    word.add_heading("Chapter 2: Ann and Bob", level=2)
    word.add_heading("Ann", level=3)
    word.add_paragraph("Ann grew up in Derby and trained as a teacher.")
    word.add_paragraph("Bob drank heavily", style="List Bullet")
    word.add_heading("Chapter 3: What we found", level=2)
    table = word.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Officers did not complete a DASH"
    table.rows[0].cells[1].text = "Kent Police"
    path = tmp_path / "review.docx"
    word.save(str(path))
    pages = read_docx(path, DEFAULT_LIMITS)
    return DocumentText(sha256="0" * 64, format="docx", page_unit="paragraph", title="t", pages=pages)


def test_heading_styles_are_read_with_their_levels(review: DocumentText) -> None:
    """Heading 1/2/3 paragraphs carry their level; body text and list paragraphs carry none."""
    levels = {page.text: page.heading_level for page in review.pages}
    assert levels["Domestic Homicide Review: 'Ann'"] == 1
    assert levels["Chapter 2: Ann and Bob"] == 2
    assert levels["Ann"] == 3
    assert levels["Bob drank heavily"] is None
    assert levels["Officers did not complete a DASH | Kent Police"] is None


def test_sections_come_from_the_styles(review: DocumentText) -> None:
    """Sentence-case and name headings set sections; the contents list ends at the first styled heading."""
    found = {s.text.split()[0]: (s.kind, s.section) for s in segment(review, LEXICON)}
    assert found["She"] == ("introduction", "Chapter 1: About this review")
    assert found["Ann"] == ("body", "Ann")  # a heading that is a name, under a chapter that names no kind
    assert found["The"] == ("panel", "The review panel")
    assert found["Bob"] == ("body", "Ann")
    assert found["Kent"] == ("analysis", "Chapter 3: What we found")  # a row is read after its first cell
    sentences = segment(review, LEXICON)
    first_chapter = next(n for n, s in enumerate(sentences) if s.section.startswith("Chapter 1"))
    assert {s.kind for s in sentences[:first_chapter]} == {"front", "contents"}
    assert "contents" not in {s.kind for s in sentences[first_chapter:]}


def test_a_short_list_paragraph_in_a_styled_file_is_not_a_heading(review: DocumentText) -> None:
    """Where the author styled the headings, 'Bob drank heavily' is text, not a guessed heading."""
    bob = next(s for s in segment(review, LEXICON) if s.text.startswith("Bob"))
    assert bob.section == "Ann"


def test_table_rows_stay_units_of_joined_cells(review: DocumentText) -> None:
    """A table row is one unit, its cells joined by ' | '."""
    assert any(page.text == "Officers did not complete a DASH | Kent Police" for page in review.pages)


def test_toc_styled_paragraphs_are_contents_entries(tmp_path: Path) -> None:
    """Paragraphs in Word's TOC styles are contents entries, never headings or text of the review."""
    word = docx.Document()
    word.styles.add_style("toc 1", docx.enum.style.WD_STYLE_TYPE.PARAGRAPH)
    word.add_paragraph("Recommendations 12", style="toc 1")
    word.add_heading("Introduction", level=1)
    word.add_paragraph("Ann died in 2020 at home.")
    path = tmp_path / "toc.docx"
    word.save(str(path))
    pages = read_docx(path, DEFAULT_LIMITS)
    assert pages[0].contents_entry
    sentences = segment(
        DocumentText(sha256="0" * 64, format="docx", page_unit="paragraph", title="t", pages=pages), LEXICON
    )
    assert [(s.text, s.kind) for s in sentences] == [("Ann died in 2020 at home.", "introduction")]


def test_a_page_without_structure_is_written_as_before() -> None:
    """A PDF page's JSON has only its number and text; the Word fields appear only when set."""
    assert Page(number=1, text="x").model_dump_json() == '{"number":1,"text":"x"}'
    styled = Page(number=2, text="Findings", heading_level=2)
    assert Page.model_validate_json(styled.model_dump_json()) == styled
