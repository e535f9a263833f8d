"""Running headers, footers and page numbers: lines that repeat on most pages are not the review's text."""

from __future__ import annotations

import re
from collections import Counter

PAGE_NUMBER_LINE = re.compile(r"^(page\s*)?[-–—]?\s*\d+\s*[-–—]?(\s*(of|/)\s*\d+)?$", re.IGNORECASE)


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
            mask[i] = counts[shape(lines[i])] >= threshold or bool(PAGE_NUMBER_LINE.match(lines[i].strip()))
        masks.append(mask)
    return masks


def strip_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """The pages without their running headers and footers."""
    return [
        [line for line, running in zip(lines, mask, strict=True) if not running]
        for lines, mask in zip(pages, running_line_mask(pages), strict=True)
    ]
