"""The safety limits on reading one document: file size, pages, memory and time."""

from __future__ import annotations

import os
from dataclasses import dataclass

from briefgen.errors import UsageError


@dataclass(frozen=True)
class Limits:
    """Safety limits for hostile or accidental input. Settings, not constants: BRIEFGEN_MAX_FILE_MB,
    BRIEFGEN_MAX_PAGES, BRIEFGEN_MAX_MEMORY_MB and BRIEFGEN_MAX_SECONDS raise or lower them for a run. The
    memory and time limits apply to each document, in the worker process that reads it (see corpus.py).
    BRIEFGEN_OCR=0 turns OCR off, as `--no-ocr` does."""

    max_file_bytes: int = 200 * 1024 * 1024
    max_pages: int = 2_000
    min_text_chars_per_page: int = 40
    max_memory_bytes: int = 192 * 1024 * 1024
    max_seconds: float = 60
    ocr: bool = True  # read a scanned PDF by OCR when Tesseract is installed (`--no-ocr`: never)

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
        # Whether OCR can run is part of what a document's result depends on (the screening cache's key), so a
        # scan screened before Tesseract was installed is read again once it is.
        from briefgen.ingest.ocr import available

        return Limits(**values, ocr=os.environ.get("BRIEFGEN_OCR", "1") != "0" and available())


DEFAULT_LIMITS = Limits()
