"""Plain text and Markdown: form feeds are page breaks, otherwise each paragraph is a numbered unit."""

from __future__ import annotations

import re
from pathlib import Path

from briefgen.errors import DocumentUnreadable
from briefgen.ingest.limits import Limits
from briefgen.ingest.lines import strip_running_lines
from briefgen.models import Page, Problem


def read_text(path: Path, limits: Limits) -> tuple[list[Page], str]:
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
