"""Extracted text on disk, keyed by content hash, so an unchanged document is never read twice."""

from __future__ import annotations

import logging
from pathlib import Path

from pydantic import ValidationError

from briefgen.files import sha256_of, write_atomic
from briefgen.ingest.limits import DEFAULT_LIMITS, Limits
from briefgen.ingest.read import read_document
from briefgen.models import DocumentText

log = logging.getLogger(__name__)

# Bump when extraction changes, so cached text from an older extractor is not reused.
EXTRACTOR_VERSION = 6


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

    def has(self, sha256: str) -> bool:
        """Whether a document's text is cached (without reading it)."""
        return self._path(sha256).is_file()

    def put(self, document: DocumentText) -> None:
        write_atomic(self._path(document.sha256), document.model_dump_json().encode())


def load_text(path: Path, cache: TextCache, limits: Limits = DEFAULT_LIMITS) -> DocumentText:
    """The document's text from the cache, or read from the file and cached. Raises DocumentUnreadable."""
    sha = sha256_of(path)
    cached = cache.get(sha)
    if cached is not None and (limits.ocr or not any(page.ocr for page in cached.pages)):
        return cached  # text read by OCR is not used when OCR is off (`--no-ocr`)
    document = read_document(path, sha256=sha, limits=limits)
    cache.put(document)
    return document
