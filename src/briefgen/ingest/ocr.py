"""Reading a scanned review: OCRmyPDF renders each page and Tesseract reads it, when both are installed.

This runs inside the worker that reads the document, under its memory and time limits like any other reading;
Tesseract's own time per page is capped within the document's time. The pages it gives are marked `ocr`, so
evidence quoted from them can say it is OCR text.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import shutil
import tempfile
from pathlib import Path

from briefgen.ingest.limits import Limits
from briefgen.ingest.lines import strip_running_lines
from briefgen.models import Page

log = logging.getLogger(__name__)

LANGUAGE = "eng"


def available() -> bool:
    """Whether OCR can run here: Tesseract on the PATH and OCRmyPDF importable."""
    return shutil.which("tesseract") is not None and importlib.util.find_spec("ocrmypdf") is not None


# What OCRmyPDF loads when it runs, shared libraries among them. A worker loads them before its memory limit for a
# document is set (the limit is counted from what the worker holds already), so that a scan's OCR is not refused
# for mapping a library.
_LIBRARIES = ("ocrmypdf", "ocrmypdf.api", "ocrmypdf._pipeline", "pikepdf", "PIL.Image", "fpdf", "uharfbuzz")


def preload() -> None:
    """Import what OCR needs, once per worker, before any document's limits apply."""
    for name in _LIBRARIES:
        try:
            importlib.import_module(name)
        except Exception:  # a module a version of OCRmyPDF does not have, or a library that fails to load
            log.debug("OCR: %s not preloaded", name, exc_info=True)


def ocr_pages(path: Path, limits: Limits) -> list[Page]:
    """The text of every page of a PDF, read from its images; empty when OCR found nothing or failed."""
    import ocrmypdf

    # One Tesseract thread and no process pool: the document's worker is the unit of parallelism.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    with tempfile.TemporaryDirectory(prefix="briefgen-ocr-") as folder:
        sidecar = Path(folder) / "text.txt"
        try:
            code = ocrmypdf.ocr(
                path,
                "-",
                output_type="none",
                sidecar=sidecar,
                language=[LANGUAGE],
                jobs=1,
                use_threads=True,
                force_ocr=True,
                progress_bar=False,
                tesseract_timeout=max(1.0, limits.max_seconds / 2),
            )
        except MemoryError:
            raise
        except Exception as exc:  # OCRmyPDF's own errors (a damaged image, Tesseract failing) end OCR only
            log.info("%s: OCR failed (%s: %s)", path, type(exc).__name__, exc)
            return []
        if code != 0 or not sidecar.exists():
            log.info("%s: OCR ended with code %s", path, code)
            return []
        texts = sidecar.read_text(encoding="utf-8", errors="replace").split("\f")
    lines = [[line.rstrip() for line in text.splitlines()] for text in texts]
    if lines and not any(lines[-1]):
        lines.pop()  # the sidecar ends with a page break
    return [
        Page(number=number, text="\n".join(page).strip(), ocr=True)
        for number, page in enumerate(strip_running_lines(lines), start=1)
    ]
