"""Read review documents (PDF, Word, text) into per-page text, with a cache keyed by content hash.

PDF text comes from pdfium's text rectangles: lines are rebuilt from their positions, table rows are joined
into one line with ` | ` between cells (so a chronology row reads "15.01.2018 | West Yorkshire Police | ..."),
and running headers and footers are stripped. This is as fast as raw pdfium extraction and much faster than
pdfplumber, which the text quality here does not need.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from briefgen.errors import DocumentUnreadable, UsageError
from briefgen.models import DocumentText, Page, Problem
from briefgen.pdfruns import PdfiumText, text_runs

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".pdf", ".docx", ".txt", ".md")
# Bump when extraction changes, so cached text from an older extractor is not reused.
EXTRACTOR_VERSION = 4


@dataclass(frozen=True)
class Limits:
    """Safety limits for hostile or accidental input. Settings, not constants: BRIEFGEN_MAX_FILE_MB,
    BRIEFGEN_MAX_PAGES, BRIEFGEN_MAX_MEMORY_MB and BRIEFGEN_MAX_SECONDS raise or lower them for a run. The
    memory and time limits apply to each document, in the worker process that reads it (see corpus.py)."""

    max_file_bytes: int = 200 * 1024 * 1024
    max_pages: int = 2_000
    min_text_chars_per_page: int = 40
    max_memory_bytes: int = 192 * 1024 * 1024
    max_seconds: float = 60

    @staticmethod
    def from_environment() -> Limits:
        """The defaults, with any limits set in the environment."""
        values = {}
        for variable, field, scale in (
            ("BRIEFGEN_MAX_FILE_MB", "max_file_bytes", 1024 * 1024),
            ("BRIEFGEN_MAX_PAGES", "max_pages", 1),
            ("BRIEFGEN_MAX_MEMORY_MB", "max_memory_bytes", 1024 * 1024),
            ("BRIEFGEN_MAX_SECONDS", "max_seconds", 1),
        ):
            raw = os.environ.get(variable)
            if raw is None:
                continue
            try:
                number = int(raw)
                if number <= 0:
                    raise ValueError
            except ValueError:
                raise UsageError(f"{variable}={raw!r} is not a positive whole number") from None
            values[field] = number * scale
        return Limits(**values)


DEFAULT_LIMITS = Limits()


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


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class TextCache:
    """Extracted text on disk, one JSON file per document content hash."""

    def __init__(self, root: Path) -> None:
        self.root = root / f"text-v{EXTRACTOR_VERSION}"

    def _path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / f"{sha256}.json"

    def get(self, sha256: str) -> DocumentText | None:
        path = self._path(sha256)
        try:
            return DocumentText.model_validate_json(path.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValidationError, ValueError):
            log.info("ignoring a damaged cache entry %s", path)
            return None

    def put(self, document: DocumentText) -> None:
        write_atomic(self._path(document.sha256), document.model_dump_json().encode())


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` so that `path` holds either its old content or the new, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temp, 0o666 & ~_UMASK)  # mkstemp makes files private; outputs are ordinary files
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


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
        pages = _read_pdf(path, limits)
        fmt, unit = "pdf", "page"
    elif suffix == ".docx":
        pages = _read_docx(path, limits)
        fmt, unit = "docx", "paragraph"
    elif suffix in (".txt", ".md"):
        pages, unit = _read_text(path, limits)
        fmt = suffix[1:]
    else:
        raise DocumentUnreadable(
            Problem.unsupported, f"{suffix} files are not supported; save it as PDF or .docx", path=path
        )
    if not any(page.text.strip() for page in pages):
        raise DocumentUnreadable(Problem.empty, "no text in the document", path=path)
    return DocumentText(sha256=sha256, format=fmt, page_unit=unit, title=_title_of(pages, path), pages=pages)


# --- PDF ----------------------------------------------------------------------------------------------------


class _Segment:
    """A run of text on one line, with its box (a plain class with slots: there are many of them)."""

    __slots__ = ("bottom", "height", "left", "right", "text", "top")

    def __init__(self, left: float, right: float, top: float, bottom: float, text: str) -> None:
        self.left, self.right, self.top, self.bottom, self.text = left, right, top, bottom, text
        self.height = top - bottom


def _read_pdf(path: Path, limits: Limits) -> list[Page]:
    import pypdfium2 as pdfium

    with path.open("rb") as handle:
        handle.seek(max(0, path.stat().st_size - 2048))
        tail = handle.read()
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise DocumentUnreadable(
                Problem.encrypted, "PDF is password-protected; ask the publisher for an open copy", path=path
            ) from None
        if b"%%EOF" not in tail:
            raise DocumentUnreadable(
                Problem.truncated, "PDF is truncated (no end-of-file marker)", path=path
            ) from None
        raise DocumentUnreadable(Problem.corrupt, f"PDF cannot be opened ({message})", path=path) from None
    try:
        if len(pdf) > limits.max_pages:
            raise DocumentUnreadable(
                Problem.too_large, f"PDF has {len(pdf)} pages, over the {limits.max_pages} limit", path=path
            )
        raw_pages = []
        reader = PdfiumText()
        for index in range(len(pdf)):
            try:
                page = pdf[index]
                try:
                    textpage = page.get_textpage()
                    try:
                        raw_pages.append(_page_segment_lines(textpage, reader))
                    finally:
                        textpage.close()
                finally:
                    page.close()
            except pdfium.PdfiumError as exc:  # a damaged page: what follows it cannot be trusted either
                problem = Problem.corrupt if b"%%EOF" in tail else Problem.truncated
                raise DocumentUnreadable(
                    problem, f"PDF page {index + 1} cannot be read ({exc})", path=path
                ) from None
    finally:
        pdf.close()
    if b"%%EOF" not in tail:
        raise DocumentUnreadable(
            Problem.truncated,
            "PDF is truncated (no end-of-file marker); some pages may be missing",
            path=path,
        )
    chars = sum(len(segment.text) for lines in raw_pages for line in lines for segment in line)
    if chars < limits.min_text_chars_per_page * max(1, len(raw_pages)) // 4:
        raise DocumentUnreadable(
            Problem.image_only, "PDF has no text layer (a scanned image?); run OCR on it first", path=path
        )
    # Running headers and footers go before tables are rebuilt, so a footer cannot join a table's columns.
    line_texts = [[" ".join([segment.text for segment in line]) for line in lines] for lines in raw_pages]
    pages = []
    for number, (lines, texts, mask) in enumerate(
        zip(raw_pages, line_texts, running_line_mask(line_texts), strict=True), start=1
    ):
        kept = [index for index, running in enumerate(mask) if not running]
        text = "\n".join(_assemble_lines([lines[i] for i in kept], [texts[i] for i in kept]))
        pages.append(Page(number=number, text=text))
    return pages


def _page_segment_lines(textpage: Any, page: PdfiumText) -> list[list[_Segment]]:
    """The page's text runs, grouped into lines from top to bottom."""
    segments = []
    for (left, bottom, right, top), raw in text_runs(textpage, page):
        # pdfium gives a hyphen that ends a line as U+0002: "non-" + "molestation" must not read "non\x02".
        text = " ".join(raw.replace("\x02", "-").split())
        if text:
            segments.append(_Segment(left, right, top, bottom, text))
    return _group_lines(segments) if segments else []


def _group_lines(segments: list[_Segment]) -> list[list[_Segment]]:
    """Segments that share a baseline band form a line; lines run top to bottom, segments left to right."""
    segments.sort(key=lambda s: (-s.top, s.left))
    lines: list[list[_Segment]] = []
    for segment in segments:
        top, bottom, height = segment.top, segment.bottom, segment.height
        for line in reversed(lines[-4:]):
            anchor = line[0]
            # min(anchor.top, top) - max(anchor.bottom, bottom) >= 0.5 * min(anchor.height, height), written
            # out: the same values, without three calls for each of the many comparisons.
            overlap = (top if top < anchor.top else anchor.top) - (
                bottom if bottom > anchor.bottom else anchor.bottom
            )
            if overlap >= 0.5 * (height if height < anchor.height else anchor.height):
                line.append(segment)
                break
        else:
            lines.append([segment])
    for line in lines:
        if len(line) > 1:
            line.sort(key=lambda s: s.left)
    return [_merge_close(line) if len(line) > 1 else line for line in lines]


def _merge_close(line: list[_Segment]) -> list[_Segment]:
    """Join segments of one line that are only a word gap apart: they are one run of text."""
    merged = [line[0]]
    for segment in line[1:]:
        last = merged[-1]
        if segment.left - last.right < 0.9 * max(last.height, segment.height):
            merged[-1] = _Segment(
                last.left,
                segment.right,
                max(last.top, segment.top),
                min(last.bottom, segment.bottom),
                f"{last.text} {segment.text}",
            )
        else:
            merged.append(segment)
    return merged


def _assemble_lines(lines: list[list[_Segment]], texts: list[str]) -> list[str]:
    """Plain lines stay as they are (`texts`: each line's runs joined); runs of multi-column lines are rebuilt
    as table rows."""
    out: list[str] = []
    index = 0
    while index < len(lines):
        if len(lines[index]) < 2 or not _has_column_partner(lines, index):
            out.append(texts[index])
            index += 1
            continue
        block, index = _table_block(lines, index)
        out.extend(_table_rows(block))
    return out


def _has_column_partner(lines: list[list[_Segment]], index: int) -> bool:
    """A line of several runs is a table row only when a neighbouring line has runs at the same columns;
    otherwise the gap is a stretched word space (justified text, a bold run) inside ordinary prose."""
    columns = [segment.left for segment in lines[index][1:]]
    for other in lines[max(0, index - 2) : index + 3]:
        if other is lines[index] or len(other) < 2:
            continue
        if any(abs(segment.left - column) < 4 for segment in other[1:] for column in columns):
            return True
    return False


def _table_block(lines: list[list[_Segment]], start: int) -> tuple[list[list[_Segment]], int]:
    anchors = [segment.left for segment in lines[start]]
    block = [lines[start]]
    index = start + 1
    while index < len(lines):
        line = lines[index]
        if len(line) >= 2:
            anchors.extend(segment.left for segment in line)
        else:
            leftmost = min(anchors)
            if not any(abs(line[0].left - a) < 4 for a in anchors if abs(a - leftmost) > 4):
                break  # a single run that does not sit in a later column: the table has ended
        block.append(line)
        index += 1
    return block, index


def _table_rows(block: list[list[_Segment]]) -> list[str]:
    columns = sorted({round(segment.left) for line in block for segment in line})
    anchors: list[float] = []
    for x in columns:
        if not anchors or x - anchors[-1] > 6:
            anchors.append(x)
    # Rows start in the table's first column: the leftmost place where several lines start. A line that
    # starts left of it (a two-run line of body text just above the table) is not part of the table.
    starts = Counter(anchors[_nearest(anchors, line[0].left)] for line in block)
    shared = [anchor for anchor, n in starts.items() if n >= 2]
    first = min(shared) if shared else anchors[0]
    # Wrapped lines inside a cell sit one line pitch apart; a new row sits further down (cell padding).
    tops = [max(segment.top for segment in line) for line in block]
    gaps = [above - below for above, below in pairwise(tops)]
    pitch = min((gap for gap in gaps if gap > 0), default=0.0)
    out: list[str] = []
    row: list[list[str]] | None = None
    for position, line in enumerate(block):
        if line[0].left < first - 6:
            if row is not None:
                out.append(_row_text(row))
                row = None
            out.append(" ".join(segment.text for segment in line))
            continue
        starts_row = any(abs(segment.left - first) <= 6 for segment in line)
        same_cell_pitch = position > 0 and pitch > 0 and tops[position - 1] - tops[position] < pitch * 1.2
        if row is None or (
            starts_row and not (same_cell_pitch and len(gaps) > 2 and max(gaps) > pitch * 1.2)
        ):
            if row is not None:
                out.append(_row_text(row))
            row = [[] for _ in anchors]
        for segment in line:
            row[_nearest(anchors, segment.left)].append(segment.text)
    if row is not None:
        out.append(_row_text(row))
    return out


def _nearest(anchors: list[float], x: float) -> int:
    """The index of the anchor nearest `x` (the first, if several are as near)."""
    best, best_distance = 0, abs(anchors[0] - x)
    for index in range(1, len(anchors)):
        distance = abs(anchors[index] - x)
        if distance < best_distance:
            best, best_distance = index, distance
    return best


def _row_text(row: list[list[str]]) -> str:
    return " | ".join(_join_wrapped(cell) for cell in row if cell)


def _join_wrapped(parts: list[str]) -> str:
    text = ""
    for part in parts:
        if text.endswith("-") and part[:1].islower():
            text += part
        else:
            text = f"{text} {part}" if text else part
    return text


_PAGE_NUMBER_LINE = re.compile(r"^(page\s*)?[-–—]?\s*\d+\s*[-–—]?(\s*(of|/)\s*\d+)?$", re.IGNORECASE)


def running_line_mask(pages: list[list[str]]) -> list[list[bool]]:
    """For each line, whether it is a running header or footer: a line among the first or last two of its
    page whose shape (digits aside) recurs on most pages, or a bare page number."""

    def shape(line: str) -> str:
        return re.sub(r"\d+", "#", line.strip().lower())

    def edges(count: int) -> list[int]:
        depth = min(2, max(1, count // 4))
        return sorted(set(range(min(depth, count))) | set(range(max(0, count - depth), count)))

    counts: Counter[str] = Counter()
    for lines in pages:
        counts.update({shape(lines[i]) for i in edges(len(lines))})
    threshold = max(2, int(0.5 * len(pages)) + 1) if len(pages) >= 3 else 10**9
    masks = []
    for lines in pages:
        mask = [False] * len(lines)
        for i in edges(len(lines)):
            mask[i] = counts[shape(lines[i])] >= threshold or bool(_PAGE_NUMBER_LINE.match(lines[i].strip()))
        masks.append(mask)
    return masks


def strip_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """The pages without their running headers and footers."""
    return [
        [line for line, running in zip(lines, mask, strict=True) if not running]
        for lines, mask in zip(pages, running_line_mask(pages), strict=True)
    ]


# --- Word ----------------------------------------------------------------------------------------------------


def _read_docx(path: Path, limits: Limits) -> list[Page]:
    """Each paragraph (and each table row) is one numbered unit, standing in for a page."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    _check_unpacked_size(path, limits)
    try:
        document = docx.Document(str(path))
        units = [text for text in _docx_units(document) if text.strip()]
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        if _is_encrypted_office_file(path):
            raise DocumentUnreadable(
                Problem.encrypted, "Word document is password-protected", path=path
            ) from None
        raise DocumentUnreadable(
            Problem.corrupt, f"Word document cannot be opened ({exc})", path=path
        ) from None
    except Exception as exc:  # python-docx, zipfile, zlib and lxml raise many kinds of error on damaged files
        detail = " ".join(str(exc).split())
        raise DocumentUnreadable(
            Problem.corrupt, f"Word document is damaged ({type(exc).__name__}: {detail})", path=path
        ) from None
    if len(units) > limits.max_pages * 50:
        raise DocumentUnreadable(Problem.too_large, f"Word document has {len(units):,} paragraphs", path=path)
    return [Page(number=number, text=text) for number, text in enumerate(units, start=1)]


def _check_unpacked_size(path: Path, limits: Limits) -> None:
    """Refuse a Word file that would unpack past the file-size limit (a zip bomb): python-docx reads every
    part into memory. The sizes are the archive's own; zipfile stops reading a part at its stated size."""
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip: python-docx reports it
    if unpacked > limits.max_file_bytes:
        raise DocumentUnreadable(
            Problem.too_large,
            f"Word document unpacks to {unpacked:,} bytes, over the {limits.max_file_bytes:,} limit",
            path=path,
        )


def _docx_units(document: Any) -> Iterator[str]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            yield Paragraph(child, document).text.strip()
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells: list[str] = []
                for cell in row.cells:
                    text = " ".join(cell.text.split())
                    if not cells or cells[-1] != text:  # merged cells repeat their text
                        cells.append(text)
                yield " | ".join(cells)


def _is_encrypted_office_file(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(8) == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE container: encrypted OOXML


# --- plain text ----------------------------------------------------------------------------------------------


def _read_text(path: Path, limits: Limits) -> tuple[list[Page], str]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    if "\f" in text:  # form feeds are page breaks
        count = text.count("\f") + 1
        if count > limits.max_pages:
            raise DocumentUnreadable(
                Problem.too_large, f"text has {count:,} pages, over the {limits.max_pages} limit", path=path
            )
        pages = strip_running_lines([chunk.splitlines() for chunk in text.split("\f")])
        return [Page(number=n, text="\n".join(lines)) for n, lines in enumerate(pages, start=1)], "page"
    paragraphs = [block.strip() for block in re.split(r"\n\s*\n", text) if block.strip()]
    if len(paragraphs) > limits.max_pages * 50:  # the same bound as for a Word file's paragraphs
        raise DocumentUnreadable(Problem.too_large, f"text has {len(paragraphs):,} paragraphs", path=path)
    return [Page(number=n, text=block) for n, block in enumerate(paragraphs, start=1)], "paragraph"


def _title_of(pages: list[Page], path: Path) -> str:
    """The first substantial lines of the document: real reviews put the title on the cover."""
    for page in pages[:3]:
        lines = [line.strip() for line in page.text.splitlines() if len(line.strip()) > 3]
        title_lines = []
        for line in lines[:6]:
            if _PAGE_NUMBER_LINE.match(line) or line.lower().startswith(
                ("official", "restricted", "protect")
            ):
                continue
            title_lines.append(line)
            if len(" ".join(title_lines)) > 60:
                break
        if title_lines:
            return " ".join(" ".join(title_lines).split())[:200]
    return path.stem
