"""Word (.docx) documents: each paragraph and each table row is one numbered unit, standing in for a page.

A Word file says which paragraphs are headings (the Title and Heading n styles, or an outline level) and which
are contents entries (the TOC n styles); each unit carries that, so sections are read from the author's own
structure rather than guessed from the shape of a line.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
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
        units = [unit for unit in _docx_units(document) if unit.text.strip()]
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
    return [unit.model_copy(update={"number": number}) for number, unit in enumerate(units, start=1)]


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


def _docx_units(document: Any) -> Iterator[Page]:
    """Each paragraph and each table row as a page numbered 0 (numbered once empty ones are dropped)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    styles = _paragraph_styles(document)
    default = styles.get(_DEFAULT_STYLE, _Style(None, False))
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            style_id = child.xpath("./w:pPr/w:pStyle/@w:val")
            style = styles.get(str(style_id[0]), default) if style_id else default
            outline = _outline_level(child.xpath("./w:pPr/w:outlineLvl/@w:val"))
            yield Page(
                number=0,
                text=Paragraph(child, document).text.strip(),
                heading_level=style.heading_level or outline,
                contents_entry=style.contents_entry,
            )
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells: list[str] = []
                for cell in row.cells:
                    text = " ".join(cell.text.split())
                    if not cells or cells[-1] != text:  # merged cells repeat their text
                        cells.append(text)
                yield Page(number=0, text=" | ".join(cells))


@dataclass(frozen=True)
class _Style:
    heading_level: (
        int | None
    )  # Title is 1, Heading n is n; a style based on one of them, or with an outline level
    contents_entry: bool  # a TOC n style


_DEFAULT_STYLE = ""  # the key of the paragraph style used where a paragraph names none
_HEADING_STYLE = re.compile(r"heading ([1-9])")
_TOC_ENTRY = re.compile(r"toc [1-9]")


def _paragraph_styles(document: Any) -> dict[str, _Style]:
    """What each paragraph style says of structure, by style id, read once from the styles part (looking a
    style up through python-docx for every paragraph is slow)."""
    try:
        elements = document.styles.element.xpath("./w:style[@w:type='paragraph']")
    except (KeyError, ValueError):  # a file without a styles part
        return {}
    raw: dict[str, tuple[str, str | None, int | None]] = {}
    default = None
    for element in elements:
        style_id = str(element.get(_W + "styleId") or "")
        name = element.xpath("./w:name/@w:val")
        based_on = element.xpath("./w:basedOn/@w:val")
        outline = _outline_level(element.xpath("./w:pPr/w:outlineLvl/@w:val"))
        raw[style_id] = (
            str(name[0]).strip().lower() if name else "",
            str(based_on[0]) if based_on else None,
            outline,
        )
        if element.get(_W + "default") in ("1", "true", "on"):
            default = style_id
    styles = {style_id: _resolve(style_id, raw) for style_id in raw}
    if default is not None:
        styles[_DEFAULT_STYLE] = styles[default]
    return styles


def _resolve(style_id: str, raw: dict[str, tuple[str, str | None, int | None]]) -> _Style:
    """A style's structure from its own name and outline level, else from the styles it is based on."""
    seen: set[str] = set()
    current: str | None = style_id
    contents_entry = False
    while current is not None and current in raw and current not in seen:  # a damaged file may loop
        seen.add(current)
        name, based_on, outline = raw[current]
        contents_entry = contents_entry or bool(_TOC_ENTRY.fullmatch(name))
        heading = _HEADING_STYLE.fullmatch(name)
        if name in ("title", "toc heading"):
            return _Style(1, contents_entry)
        if heading:
            return _Style(int(heading.group(1)), contents_entry)
        if outline is not None:
            return _Style(outline, contents_entry)
        current = based_on
    return _Style(None, contents_entry)


def _outline_level(values: list[Any]) -> int | None:
    """Word's outline level 0-8 as a heading level 1-9; 9 is Word's "body text"."""
    if values and str(values[0]).isdigit() and int(values[0]) < 9:
        return int(values[0]) + 1
    return None


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _is_encrypted_office_file(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(8) == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE container: encrypted OOXML
