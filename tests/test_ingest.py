"""Reading review documents: text quality, faulty files and the cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.errors import DocumentUnreadable
from briefgen.files import sha256_of
from briefgen.ingest import pdfruns
from briefgen.ingest.cache import TextCache
from briefgen.ingest.limits import Limits
from briefgen.ingest.lines import strip_running_lines
from briefgen.ingest.read import read_document
from briefgen.models import DocumentText, Problem
from tests.conftest import CORPUS

NO_OCR = Limits(ocr=False)


def read(name: str, limits: Limits = NO_OCR) -> DocumentText:
    """A sample read as without Tesseract (the samples' labels describe the scan unread)."""
    path = CORPUS / name
    return read_document(path, sha256=sha256_of(path), limits=limits)


class TestPdfText:
    def test_chronology_rows_are_one_line_with_cells(self) -> None:
        """A Date | Agency | Event row reads as one line, wrapped cells joined."""
        text = "\n".join(page.text for page in read("dhr-kelsborough-leah.pdf").pages)
        assert (
            "28.10.2016 | Northumbria Police | Leah rings 101. CAD opened, domestic incident, scheduled appointment."
            in text
        )

    def test_running_headers_and_footers_are_stripped(self) -> None:
        """'OFFICIAL - SENSITIVE' and 'Page N of M' do not reach the text."""
        pages = read("dhr-kelsborough-leah.pdf").pages
        assert not any("Page " in line and " of " in line for p in pages for line in p.text.splitlines()[-2:])
        assert sum("OFFICIAL" in p.text for p in pages) <= 1

    def test_pages_are_numbered_in_order(self) -> None:
        """Evidence cites printed page order."""
        pages = read("dhr-ashbury-ioana.pdf").pages
        assert [p.number for p in pages] == list(range(1, len(pages) + 1))

    def test_title_comes_from_the_cover(self) -> None:
        """The title is the cover's first lines, not the file name."""
        assert "DOMESTIC HOMICIDE REVIEW" in read("dhr-ashbury-ioana.pdf").title

    def test_line_end_hyphens_are_hyphens(self) -> None:
        """pdfium marks a hyphen that ends a line with a control character; the text has the hyphen, and no
        control character at all."""
        texts = [
            page.text
            for path in sorted(CORPUS.glob("*.pdf"))
            if "scanned" not in path.name and "protected" not in path.name and "truncated" not in path.name
            for page in read(path.name).pages
        ]
        assert not [c for text in texts for c in text if c < " " and c != "\n"]
        assert any("non-molestation" in text for text in texts)


class TestPdfRuns:
    @pytest.mark.parametrize("name", ["dhr-kelsborough-leah.pdf", "dhr-rivermead-kerry.pdf"])
    def test_runs_from_page_text_slices_equal_pdfiums_bounded_text(self, name: str) -> None:
        """The fast way to read runs (slices of the page text) gives each of pdfium's text rectangles with
        the text pdfium's bounded-text call gives for it, the slow way; tables and line-end hyphens included."""
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(str(CORPUS / name))
        reader = pdfruns.PdfiumText()
        try:
            for index in range(len(pdf)):
                page = pdf[index]
                textpage = page.get_textpage()
                boxes = [textpage.get_rect(i) for i in range(textpage.count_rects())]
                expected = [(box, " ".join(textpage.get_text_bounded(*box).split())) for box in boxes]
                reader.use(textpage)
                runs = pdfruns.runs_from_slices(reader, reader.count_rects(0, -1))
                assert runs is not None, f"page {index + 1} was not read the fast way"
                assert [(box, " ".join(text.split())) for box, text in runs] == expected
                textpage.close()
                page.close()
        finally:
            pdf.close()


class TestOtherFormats:
    def test_word_paragraphs_stand_in_for_pages(self) -> None:
        """A .docx is read paragraph by paragraph, tables row by row."""
        document = read("dhr-oakhurst-eva.docx")
        assert document.page_unit == "paragraph"
        assert any(" | " in p.text for p in document.pages)

    def test_text_with_form_feeds_keeps_its_pages(self) -> None:
        """A text export with form feeds has pages, with headers stripped."""
        document = read("dhr-sandleigh-brian.txt")
        assert document.page_unit == "page" and len(document.pages) > 5


class TestFaultyFiles:
    @pytest.mark.parametrize(
        ("name", "problem"),
        [
            ("dhr-northgate-scanned.pdf", Problem.image_only),
            ("dhr-southmere-protected.pdf", Problem.encrypted),
            ("dhr-westcombe-truncated.pdf", Problem.truncated),
        ],
    )
    def test_unreadable_pdfs_name_their_problem(self, name: str, problem: Problem) -> None:
        """Each faulty sample raises DocumentUnreadable with the right problem and the file name."""
        with pytest.raises(DocumentUnreadable) as caught:
            read(name)
        assert caught.value.problem == problem
        assert name in str(caught.value)

    def test_random_bytes_are_corrupt(self, tmp_path: Path) -> None:
        """Garbage with a .pdf name is corrupt, not a crash."""
        path = tmp_path / "junk.pdf"
        path.write_bytes(b"this is not a pdf at all" * 10)
        with pytest.raises(DocumentUnreadable) as caught:
            read_document(path, sha256="x")
        assert caught.value.problem in (Problem.corrupt, Problem.truncated)

    def test_a_fake_docx_is_corrupt(self, tmp_path: Path) -> None:
        """A .docx that is not a Word package is reported as corrupt."""
        path = tmp_path / "fake.docx"
        path.write_bytes(b"PK\x03\x04 not really a zip")
        with pytest.raises(DocumentUnreadable) as caught:
            read_document(path, sha256="x")
        assert caught.value.problem is Problem.corrupt

    def test_old_word_files_are_unsupported(self, tmp_path: Path) -> None:
        """A .doc asks the analyst to save it as PDF or .docx."""
        path = tmp_path / "old.doc"
        path.write_bytes(b"\xd0\xcf\x11\xe0 whatever")
        with pytest.raises(DocumentUnreadable, match="save it as PDF"):
            read_document(path, sha256="x")

    def test_oversized_files_are_refused_by_the_limit(self, tmp_path: Path) -> None:
        """Size limits are settings with safe defaults."""
        path = CORPUS / "dhr-ashbury-ioana.pdf"
        with pytest.raises(DocumentUnreadable) as caught:
            read_document(path, sha256="x", limits=Limits(max_file_bytes=1000))
        assert caught.value.problem is Problem.too_large


class TestCache:
    def test_a_cached_document_is_not_read_again(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A rerun on an unchanged file takes its text from the cache."""
        from briefgen.ingest.cache import load_text

        cache = TextCache(tmp_path)
        path = CORPUS / "dhr-ashbury-ioana.pdf"
        first = load_text(path, cache)

        def fail(*args: object, **kwargs: object) -> None:
            raise AssertionError("read again")

        monkeypatch.setattr("briefgen.ingest.cache.read_document", fail)
        assert load_text(path, cache) == first

    def test_a_damaged_cache_entry_is_ignored(self, tmp_path: Path) -> None:
        """A half-written or corrupt cache file is treated as missing."""
        cache = TextCache(tmp_path)
        document = read("dhr-ashbury-ioana.pdf")
        cache.put(document)
        entry = next(tmp_path.rglob("*.json"))
        entry.write_text("{ not json")
        assert cache.get(document.sha256) is None


def test_running_lines_recurring_on_most_pages_are_removed() -> None:
    """A line at the top of most pages is a running header; body lines stay."""
    pages = [
        ["CONFIDENTIAL DRAFT", f"Body text {n}", "A different line", "and another", f"Page {n} of 4"]
        for n in range(1, 5)
    ]
    assert strip_running_lines(pages) == [
        [f"Body text {n}", "A different line", "and another"] for n in range(1, 5)
    ]


def test_a_title_wrapped_onto_the_next_line_is_read_whole(tmp_path: Path) -> None:
    """The cover's subtitle that runs onto a second line is not cut mid-phrase in the title."""
    path = tmp_path / "review.txt"
    path.write_text(
        "Domestic Homicide Review\nNadia\nThe review into the death of Nadia, who was killed by her former\n"
        "partner in May 2022\n\nPlease note: every person here is invented.\n",
        encoding="utf-8",
    )
    document = read_document(path, sha256=sha256_of(path), limits=NO_OCR)
    assert document.title.endswith("killed by her former partner in May 2022")
