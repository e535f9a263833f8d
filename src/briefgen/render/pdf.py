"""The briefing HTML to a tagged PDF/UA file with WeasyPrint, which may read nothing but the templates folder."""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from briefgen.errors import OutputError
from briefgen.files import write_atomic
from briefgen.resources import templates_dir

PDF_VARIANT = "pdf/ua-1"


def _weasyprint() -> Any:
    """WeasyPrint, imported on first use (it is slow to import and only the PDF needs it)."""
    with warnings.catch_warnings():
        # Without libharfbuzz-subset WeasyPrint warns at import that it will need it one day, and subsets
        # fonts with fontTools instead; the PDF is the same, and the warning is not for the analyst.
        warnings.filterwarnings("ignore", message="HarfBuzz-Subset", category=DeprecationWarning)
        import weasyprint
        import weasyprint.urls
    return weasyprint


def _fetcher_class() -> Any:
    urls = _weasyprint().urls
    URLFetcher, URLFetcherResponse = urls.URLFetcher, urls.URLFetcherResponse

    class TemplatesOnlyFetcher(URLFetcher):  # type: ignore[misc,valid-type]
        """Serves files from the templates folder and refuses everything else: no network, no other files."""

        def __init__(self, root: Path) -> None:
            super().__init__(allowed_protocols=("file",), allow_redirects=False)
            self.root = root.resolve()

        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
                raise ValueError(f"briefgen does not fetch {url[:80]!r}: only files of the templates folder")
            path = Path(url2pathname(parts.path)).resolve()
            if not path.is_relative_to(self.root) or not path.is_file():
                raise ValueError(
                    f"briefgen does not read {str(path)[:80]!r}: only files of the templates folder"
                )
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": mime})

    return TemplatesOnlyFetcher


def url_fetcher(root: Path | None = None) -> Any:
    """A WeasyPrint URL fetcher that reads only files under `root` (the templates folder)."""
    return _fetcher_class()(root or templates_dir())


@contextmanager
def _reproducible(created: date | None) -> Iterator[None]:
    """Quiet WeasyPrint's warnings, and date embedded fonts by the release date instead of the clock.

    WeasyPrint's warnings (a missing optional library, say) are not for the analyst; its errors still show.
    The font subsetter stamps each font with the current time unless SOURCE_DATE_EPOCH is set.
    """
    logger = logging.getLogger("weasyprint")
    level = logger.level
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    logger.setLevel(max(level, logging.ERROR))
    when = datetime.combine(created or date(2000, 1, 1), time(), tzinfo=UTC)
    os.environ["SOURCE_DATE_EPOCH"] = str(int(when.timestamp()))
    try:
        yield
    finally:
        logger.setLevel(level)
        if epoch is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = epoch


def pdf_bytes(html: str, *, created: date | None = None) -> tuple[bytes, int]:
    """The briefing PDF (tagged PDF/UA-1, language and title set, fonts embedded) and its page count.

    `created` (the release date) dates the embedded fonts, so the same HTML gives the same bytes.
    """
    weasyprint = _weasyprint()
    root = templates_dir()
    with _reproducible(created):
        document = weasyprint.HTML(
            string=html, base_url=root.as_uri() + "/", url_fetcher=url_fetcher(root)
        ).render(pdf_variant=PDF_VARIANT)
        # A content-derived identifier instead of a random one.
        identifier = hashlib.sha256(html.encode()).hexdigest()[:32].encode()
        data = document.write_pdf(pdf_variant=PDF_VARIANT, pdf_identifier=identifier)
    return data, len(document.pages)


def write_pdf(html: str, out_pdf: Path, *, created: date | None = None) -> int:
    """Write the briefing PDF atomically; returns the number of pages."""
    data, pages = pdf_bytes(html, created=created)
    try:
        write_atomic(out_pdf, data)
    except OSError as exc:
        raise OutputError(f"cannot write ({exc.strerror})", path=out_pdf) from None
    return pages
