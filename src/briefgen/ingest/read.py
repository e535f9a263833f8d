"""Read one review document (PDF, Word, text) into per-page text.

PDF text comes from pdfium's text rectangles: lines are rebuilt from their positions, table rows are joined
into one line with ` | ` between cells (so a chronology row reads "15.01.2018 | West Yorkshire Police | ..."),
and running headers and footers are stripped. This is as fast as raw pdfium extraction and much faster than
pdfplumber, which the text quality here does not need.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from briefgen.errors import DocumentUnreadable
from briefgen.ingest.limits import DEFAULT_LIMITS, Limits
from briefgen.ingest.lines import PAGE_NUMBER_LINE
from briefgen.models import DocumentText, Page, Problem

log = logging.getLogger(__name__)


SUPPORTED_SUFFIXES = (".pdf", ".docx", ".txt", ".md")
READERS = ("briefgen.ingest.pdf", "briefgen.ingest.word", "briefgen.ingest.plaintext")
"""The modules that read each format, for a parent to load before it forks workers that will read."""


def find_documents(corpus: Path) -> list[Path]:
    """Every file under `corpus` that could be a review, in a stable order; hidden files are skipped.

    A link is read only when it leads to a file inside the corpus folder; links to folders are not descended (what
    they hold inside the corpus is found where it is). A link out of the corpus, or a subfolder that cannot be
    read, is skipped with a warning."""
    root = corpus.resolve()
    found: list[Path] = []
    for folder, subfolders, files in os.walk(corpus, onerror=_unreadable_folder):
        base = Path(folder)
        # os.walk descends only into the subfolders left in this list, and never into a link.
        subfolders[:] = [name for name in subfolders if not name.startswith(".") and _kept(base / name, root)]
        found += [
            base / name
            for name in files
            if not name.startswith(".")
            and Path(name).suffix.lower() in (*SUPPORTED_SUFFIXES, ".doc", ".rtf", ".odt")
            and _kept(base / name, root)
        ]
    return sorted(found, key=lambda p: p.relative_to(corpus).as_posix())


def source_name(path: Path, corpus: Path) -> str:
    """A document's name in the outputs: its path under the corpus folder, as text (see `shown`)."""
    return shown(path.relative_to(corpus).as_posix())


def shown(name: object) -> str:
    r"""A file name (or a message holding one) as text that JSON, CSV and a terminal accept. A byte of a name
    that is not UTF-8 (Latin-1 `café.pdf` on Linux) is written as `\xe9`, so the same name always reads the same
    and two names stay apart."""
    text = str(name)
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a lone surrogate that is not an undecodable byte (a Windows name)
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _kept(path: Path, root: Path) -> bool:
    """Whether a subfolder is descended or a file read: a link only when it leads to a file inside the corpus."""
    try:
        if not path.is_symlink():
            return path.is_dir() or path.is_file()
        target = path.resolve()
        if target.is_relative_to(root):
            return path.is_file()
    except (OSError, RuntimeError) as exc:  # RuntimeError: a loop of links, before Python 3.13
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else "a loop of links"
        log.warning("%s: cannot be read (%s); skipped", shown(path), detail)
        return False
    log.warning("%s: link to %s, outside the corpus folder; skipped", shown(path), shown(target))
    return False


def _unreadable_folder(exc: OSError) -> None:
    log.warning(
        "%s: folder cannot be read (%s); its documents are skipped", shown(exc.filename), exc.strerror
    )


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
    # Each reader loads when a document needs it (see READERS): listing a corpus, or a rerun that finds every
    # document remembered, loads none.
    if suffix == ".pdf":
        pages = _read_pdf_or_scan(path, limits)
        fmt, unit = "pdf", "page"
    elif suffix == ".docx":
        from briefgen.ingest.word import read_docx

        pages = read_docx(path, limits)
        fmt, unit = "docx", "paragraph"
    elif suffix in (".txt", ".md"):
        from briefgen.ingest.plaintext import read_text

        pages, unit = read_text(path, limits)
        fmt = suffix[1:]
    else:
        raise DocumentUnreadable(
            Problem.unsupported, f"{suffix} files are not supported; save it as PDF or .docx", path=path
        )
    if not any(page.text.strip() for page in pages):
        raise DocumentUnreadable(Problem.empty, "no text in the document", path=path)
    return DocumentText(sha256=sha256, format=fmt, page_unit=unit, title=_title_of(pages, path), pages=pages)


def _read_pdf_or_scan(path: Path, limits: Limits) -> list[Page]:
    """A PDF's text layer or, for a scanned PDF with none, its pages read by OCR when OCR is on and installed."""
    from briefgen.ingest.pdf import read_pdf

    try:
        return read_pdf(path, limits)
    except DocumentUnreadable as exc:
        if exc.problem != Problem.image_only or not limits.ocr:
            raise
        from briefgen.ingest import ocr

        if not ocr.available():
            raise
        log.info("%s: no text layer; reading it by OCR", path)
        pages = ocr.ocr_pages(path, limits)
        if not any(len(page.text.strip()) >= limits.min_text_chars_per_page // 4 for page in pages):
            raise
        return pages


def _title_of(pages: list[Page], path: Path) -> str:
    """The first substantial lines of the document: real reviews put the title on the cover."""
    for page in pages[:3]:
        lines = [line.strip() for line in page.text.splitlines() if len(line.strip()) > 3]
        title_lines: list[str] = []
        for position, line in enumerate(lines[:6]):
            if PAGE_NUMBER_LINE.match(line) or line.lower().startswith(("official", "restricted", "protect")):
                continue
            title_lines.append(line)
            following = lines[position + 1] if position + 1 < len(lines) else ""
            # Long enough, unless a wrapped subtitle goes on in the next line ("... by her former" / "partner").
            length = len(" ".join(title_lines))
            if length > 60 and (not following[:1].islower() or length > 120):
                break
        if title_lines:
            return " ".join(" ".join(title_lines).split())[:200]
    return shown(path.stem)
