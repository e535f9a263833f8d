"""PDF pages to lines of text: pdfium's text runs, grouped into lines, table rows joined with ` | `."""

from __future__ import annotations

from collections import Counter
from itertools import pairwise
from pathlib import Path
from typing import Any

from briefgen.errors import DocumentUnreadable
from briefgen.ingest.limits import Limits
from briefgen.ingest.lines import running_line_mask
from briefgen.ingest.pdfruns import PdfiumText, text_runs
from briefgen.models import Page, Problem


class _Segment:
    """A run of text on one line, with its box (a plain class with slots: there are many of them)."""

    __slots__ = ("bottom", "height", "left", "right", "text", "top")

    def __init__(self, left: float, right: float, top: float, bottom: float, text: str) -> None:
        self.left, self.right, self.top, self.bottom, self.text = left, right, top, bottom, text
        self.height = top - bottom


def read_pdf(path: Path, limits: Limits) -> list[Page]:
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
