"""pdfium's text rectangles (runs of text on one line), each with its text, read fast.

pypdfium2 gives each rectangle's text with a bounded-text call, and pdfium scans every character of the page on
each call: rectangles x characters, the largest cost of reading a PDF after pdfium's own parsing. Here the
page's text is read once and each rectangle's text is taken as its slice of it, wherever that is sure to give
exactly what the bounded-text call would (see `runs_from_slices`); elsewhere the bounded text is asked for as
before. The result is the same, rectangle by rectangle, in less than half the time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

_Box = tuple[float, float, float, float]  # left, bottom, right, top, as pdfium's floats
_Run = tuple[_Box, str]
# Twice pdfium's kSizeEpsilon (0.01): a character box narrower or lower than that is left out of pdfium's text
# rectangles. The margin makes up for computing widths in doubles where pdfium uses floats.
_CHAR_SIZE_EPSILON = 0.02
_RUN_BUFFER_CHARS = 1 << 14
_WORD_START = re.compile(r"(?<=\s)\S")


class PdfiumText:
    """The few calls into pdfium's raw text API that reading runs needs, on one text page at a time (`use`).
    Made once per document: the ctypes argument objects and the text buffer are made once, not on every call
    as pypdfium2's helpers do (which also make extra calls)."""

    def __init__(self) -> None:
        import ctypes

        import pypdfium2.raw as pdfium_c

        self._string_at = ctypes.string_at
        self._unit_type: Any = ctypes.c_ushort
        self._count_rects = pdfium_c.FPDFText_CountRects
        self._get_rect = pdfium_c.FPDFText_GetRect
        self._get_char_box = pdfium_c.FPDFText_GetCharBox
        self._get_unicode = pdfium_c.FPDFText_GetUnicode
        self._get_text = pdfium_c.FPDFText_GetText
        self._get_bounded_text = pdfium_c.FPDFText_GetBoundedText
        self._count_chars = pdfium_c.FPDFText_CountChars
        self._left, self._bottom, self._right, self._top = (ctypes.c_double() for _ in range(4))
        self._buffer = (self._unit_type * _RUN_BUFFER_CHARS)()
        self._textpage: Any = None
        self.raw: Any = None
        self.char_count = 0

    def use(self, textpage: Any) -> None:
        """Work on this pypdfium2 text page from now on."""
        self._textpage = textpage
        self.raw = textpage.raw
        self.char_count = int(self._count_chars(self.raw))

    def count_rects(self, start: int, count: int) -> int:
        """How many text rectangles the characters start..start+count-1 make; `rect` then reads them."""
        return int(self._count_rects(self.raw, start, count))

    def rect(self, index: int) -> _Box:
        if not self._get_rect(self.raw, index, self._left, self._top, self._right, self._bottom):
            raise _pdfium_error("Failed to get rectangle.")
        return (self._left.value, self._bottom.value, self._right.value, self._top.value)

    def unicode(self, index: int) -> int:
        """The code pdfium holds for one character (its bounded text gives this code)."""
        return int(self._get_unicode(self.raw, index))

    def char_box(self, index: int) -> _Box:
        if not self._get_char_box(self.raw, index, self._left, self._right, self._bottom, self._top):
            raise _pdfium_error("Failed to get a character box.")
        return (self._left.value, self._bottom.value, self._right.value, self._top.value)

    def text(self) -> str:
        """The text of every character, in pdfium's character order (UCS-2: pdfium leaves out characters
        beyond the Basic Multilingual Plane, so the length tells whether any are missing)."""
        units = self._units(2 * self.char_count + 2)
        return self._decode(units, self._get_text(self.raw, 0, self.char_count, units))

    def bounded_text(self, box: _Box, room: int = _RUN_BUFFER_CHARS) -> str:
        """The text of every character whose box overlaps `box`, with pdfium's spaces and line breaks: the same
        as pypdfium2's `get_text_bounded`, in one call into a reused buffer where it fits. (pypdfium2 asks for
        the length, then the text, and each ask makes pdfium scan every character of the page.)"""
        left, bottom, right, top = box
        units = self._units(room)
        size = self._get_bounded_text(self.raw, left, top, right, bottom, units, room)
        if size >= room:  # may be cut short: ask pdfium for the length first, as pypdfium2 does
            return str(self._textpage.get_text_bounded(*box))
        return self._decode(units, size)

    def _units(self, count: int) -> Any:
        if len(self._buffer) < count:
            self._buffer = (self._unit_type * max(count, 2 * len(self._buffer)))()
        return self._buffer

    def _decode(self, units: Any, size: int) -> str:
        if size > 0 and units[size - 1] == 0:
            size -= 1  # pdfium counts the terminating NUL when it writes one
        return str(self._string_at(units, 2 * size).decode("utf-16-le", errors="ignore"))


def _pdfium_error(message: str) -> Exception:
    import pypdfium2 as pdfium

    error: Exception = pdfium.PdfiumError(message)
    return error


def text_runs(textpage: Any, page: PdfiumText | None = None) -> list[_Run]:
    """(box, text) of each of pdfium's text rectangles, in pdfium's order: the same as pypdfium2's `get_rect`
    and `get_text_bounded` for each rectangle, but much faster. `page` is reused from page to page if given.

    pdfium's bounded-text call scans every character of the page, so asking it once per rectangle costs
    rectangles x characters. A rectangle is the box of a run of consecutive characters of one text object, so
    its text is usually that run's slice of the page text, read once: `runs_from_slices` finds the runs and
    takes that way whenever it gives exactly what pdfium's bounded text would (see there); otherwise, and for
    rectangles that overlap another, the bounded text is asked for as before."""
    page = page or PdfiumText()
    page.use(textpage)
    rect_count = page.count_rects(0, -1)
    runs = runs_from_slices(page, rect_count)
    if runs is not None:
        return runs
    page.count_rects(0, -1)  # the slice search asked for other ranges' rectangles
    boxes = [page.rect(index) for index in range(rect_count)]
    return [(box, page.bounded_text(box)) for box in boxes]


def runs_from_slices(page: PdfiumText, rect_count: int) -> list[_Run] | None:
    """The runs from slices of the page text, or None where that might not match pdfium's bounded text.

    pdfium's bounded text of rectangle R is every character whose box overlaps R, in character order. The run's
    own characters that make R all overlap it, so the slice gives the same text unless a character outside the
    run overlaps R (only possible where R overlaps another rectangle: those rectangles are read the slow way), or
    a character of the run does not overlap R. pdfium leaves a character out of rectangles when its box is
    empty or thinner than 0.01 (spaces, pdfium's generated spaces and line breaks, blank glyphs): inside a run
    such a box lies on the run's baseline, inside R, so only boxes of no area (which overlap nothing) and those
    at either end of a slice can differ. Both are checked: any such character sends the page the slow way."""
    text = page.text()
    if rect_count < 1 or len(text) != page.char_count:
        return None  # pdfium's text and character list do not line up one to one (or there is no text)
    if "\ufffe" in text:
        resolved = _with_placeholders_resolved(page, text)
        if resolved is None:
            return None
        text = resolved
    if not _every_character_has_area(page, text):
        return None
    ranges = _run_ranges(page, text, rect_count)
    if ranges is None:
        return None
    for start, end, _, start_in_rects in ranges:
        first, last = start, end - 1
        while first <= last and text[first].isspace():
            first += 1
        while last > first and text[last].isspace():
            last -= 1
        if first > last:
            continue  # only whitespace
        if not (first == start and start_in_rects) and not _is_in_rects(page.char_box(first)):
            return None
        if last > first and not _is_in_rects(page.char_box(last)):
            return None
    overlapping = _overlapping_boxes([box for _, _, box, _ in ranges])
    return [
        (box, page.bounded_text(box) if index in overlapping else text[start:end])
        for index, (start, end, box, _) in enumerate(ranges)
    ]


def _with_placeholders_resolved(page: PdfiumText, text: str) -> str | None:
    """pdfium's text has U+FFFE for a character whose own code it keeps apart: a hyphen that pdfium found
    ending a line (code 2) or a character with no Unicode (code 0). The bounded text gives the code, so the
    slices must too; None if a character would drop out (code 0), as the slices would no longer line up."""
    parts, done = [], 0
    position = text.find("\ufffe")
    while position >= 0:
        code = page.unicode(position)
        if not 0 < code < 0x10000:
            return None
        parts += [text[done:position], chr(code)]
        done = position + 1
        position = text.find("\ufffe", done)
    parts.append(text[done:])
    return "".join(parts)


def _every_character_has_area(page: PdfiumText, text: str) -> bool:
    """Whether every character has a box of some area, so that the bounded text of the whole plane holds
    them all. Spaces, CRs and LFs are not counted (pdfium's own spaces and line breaks have no area): a CR or
    LF of no area inside a run, which no real text has, is the one case that would get past this."""
    everything = page.bounded_text((-1e30, -1e30, 1e30, 1e30), room=3 * len(text) + 2)
    solid, solid_everything = "".join(text.split()), "".join(everything.split())
    if solid != solid_everything:
        return False
    return _other_spaces(text, solid) == _other_spaces(everything, solid_everything)


def _other_spaces(text: str, solid: str) -> int:
    """How many whitespace characters other than space, CR and LF (tabs, no-break spaces) `text` holds."""
    return len(text) - len(solid) - text.count(" ") - text.count("\r") - text.count("\n")


def _is_in_rects(box: _Box) -> bool:
    """Whether pdfium counts this character box in its text rectangles (it leaves out tiny boxes)."""
    left, bottom, right, top = box
    return right - left >= _CHAR_SIZE_EPSILON and top - bottom >= _CHAR_SIZE_EPSILON


def _run_ranges(page: PdfiumText, text: str, rect_count: int) -> list[tuple[int, int, _Box, bool]] | None:
    """(start, end, box, start in rectangles?) of each text rectangle's characters: consecutive ranges of the
    character list, each holding one rectangle's characters (and any whitespace after them), or None if they
    cannot be found. The flag says the first character is known to be one that pdfium puts in rectangles.

    A range that pdfium counts as one rectangle holds characters of one text object only; `rect_count`
    ranges, each with one rectangle, are therefore exactly the page's rectangles, in the same order."""
    ranges: list[tuple[int, int, _Box, bool]] = []
    start, line_end, count = 0, 0, len(text)
    start_in_rects = False
    while start < count:
        if line_end <= start:  # most rectangles are a whole line: try that first
            found = text.find("\r\n", start)
            line_end = count if found < 0 else found + 2
        end, split = line_end, False
        if page.count_rects(start, end - start) != 1:
            end, split = _next_object_start(page, text, start, end), True
            if page.count_rects(start, end - start) != 1:
                return None
        box = page.rect(0)
        if box[2] <= box[0] or box[3] <= box[1]:  # no character pdfium puts in a rectangle
            if text[start:end].strip():
                return None
        else:
            ranges.append((start, end, box, start_in_rects))
            if len(ranges) > rect_count:
                return None
        start, start_in_rects = end, split
    return ranges if len(ranges) == rect_count else None


def _next_object_start(page: PdfiumText, text: str, start: int, end: int) -> int:
    """The first character of the second text object among characters start..end-1 (there are at least two):
    one that pdfium puts in rectangles. A new object usually starts a word, and often a near one (table cells,
    a bold word): word starts are tried first, then every character (dot leaders are an object per dot)."""

    def split_before(index: int) -> bool:  # whether characters start..index belong to two objects or more
        return page.count_rects(start, index - start + 1) >= 2

    words = [match.start() for match in _WORD_START.finditer(text, start + 1, end - 1)]
    low, high = _first_true(split_before, words, start, end - 1)
    if high - 1 > low and split_before(high - 1):  # not at a word start
        low, high = _first_true(split_before, range(low + 1, high - 1), low, high - 1)
    return high


def _first_true(
    test: Callable[[int], bool], candidates: Sequence[int], low: int, high: int
) -> tuple[int, int]:
    """Narrow (low, high], where `test` is false at low and true at high, to the first of the ascending
    `candidates` in it where `test` is true: (the candidate before it, that one), or (the last, high) if
    none is. The nearest candidates are tried first, in growing steps, then the rest by halves."""
    probe, checked = 0, -1  # candidates[checked] is the furthest known to test false
    while probe < len(candidates):
        if test(candidates[probe]):
            high = candidates[probe]
            break
        low, checked, probe = candidates[probe], probe, 2 * probe + 1
    first, last = checked + 1, min(probe, len(candidates))
    while first < last:
        middle = (first + last) // 2
        if test(candidates[middle]):
            high, last = candidates[middle], middle
        else:
            low, first = candidates[middle], middle + 1
    return low, high


def _overlapping_boxes(boxes: list[_Box]) -> set[int]:
    """The indexes of boxes that overlap another box by some area (as pdfium's rectangle test has it)."""
    found: set[int] = set()
    order = sorted(range(len(boxes)), key=lambda i: boxes[i][1])
    for position, index in enumerate(order):
        left, _, right, top = boxes[index]
        for other in order[position + 1 :]:  # those whose bottom is not below this one's
            other_left, other_bottom, other_right, _ = boxes[other]
            if other_bottom >= top:
                break  # this and every later box lie above this one
            if max(left, other_left) < min(right, other_right):
                found.update((index, other))
    return found
