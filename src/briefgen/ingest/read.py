"""Read one review document (PDF, Word, text) into per-page text.

PDF text comes from pdfium's text rectangles: lines are rebuilt from their positions, table rows are joined
into one line with ` | ` between cells (so a chronology row reads "15.01.2018 | West Yorkshire Police | ..."),
and running headers and footers are stripped. This is as fast as raw pdfium extraction and much faster than
pdfplumber, which the text quality here does not need.
"""

from __future__ import annotations

import logging
from pathlib import Path

from briefgen.errors import DocumentUnreadable
from briefgen.ingest.limits import DEFAULT_LIMITS, Limits
from briefgen.ingest.lines import PAGE_NUMBER_LINE
from briefgen.ingest.pdf import read_pdf
from briefgen.ingest.plaintext import read_text
from briefgen.ingest.word import read_docx
from briefgen.models import DocumentText, Page, Problem

log = logging.getLogger(__name__)


SUPPORTED_SUFFIXES = (".pdf", ".docx", ".txt", ".md")


def find_documents(corpus: Path) -> list[Path]:
    """Every file under `corpus` that could be a review, in a stable order; hidden files are skipped."""
    found = []
    for path in corpus.rglob("*"):
        relative = path.relative_to(corpus)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        if path.suffix.lower() in (*SUPPORTED_SUFFIXES, ".doc", ".rtf", ".odt"):
            found.append(path)
    return sorted(found, key=lambda p: p.relative_to(corpus).as_posix())


def read_document(path: Path, *, sha256: str, limits: Limits = DEFAULT_LIMITS) -> DocumentText:
    """Read one document; raises `DocumentUnreadable` with the problem when it cannot be read."""
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise DocumentUnreadable(
            Problem.too_large, f"file is {size:,} bytes, over the {limits.max_file_bytes:,} limit", path=path
        )
    if size == 0:
        raise DocumentUnreadable(Problem.empty, "file is empty", path=path)
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        pages = read_pdf(path, limits)
        fmt, unit = "pdf", "page"
    elif suffix == ".docx":
        pages = read_docx(path, limits)
        fmt, unit = "docx", "paragraph"
    elif suffix in (".txt", ".md"):
        pages, unit = read_text(path, limits)
        fmt = suffix[1:]
    else:
        raise DocumentUnreadable(
            Problem.unsupported, f"{suffix} files are not supported; save it as PDF or .docx", path=path
        )
    if not any(page.text.strip() for page in pages):
        raise DocumentUnreadable(Problem.empty, "no text in the document", path=path)
    return DocumentText(sha256=sha256, format=fmt, page_unit=unit, title=_title_of(pages, path), pages=pages)


def _title_of(pages: list[Page], path: Path) -> str:
    """The first substantial lines of the document: real reviews put the title on the cover."""
    for page in pages[:3]:
        lines = [line.strip() for line in page.text.splitlines() if len(line.strip()) > 3]
        title_lines = []
        for line in lines[:6]:
            if PAGE_NUMBER_LINE.match(line) or line.lower().startswith(("official", "restricted", "protect")):
                continue
            title_lines.append(line)
            if len(" ".join(title_lines)) > 60:
                break
        if title_lines:
            return " ".join(" ".join(title_lines).split())[:200]
    return path.stem
