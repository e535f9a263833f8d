"""Word (.docx) documents: each paragraph and each table row is one numbered unit, standing in for a page."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from briefgen.errors import DocumentUnreadable
from briefgen.ingest.limits import Limits
from briefgen.models import Page, Problem


def read_docx(path: Path, limits: Limits) -> list[Page]:
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
