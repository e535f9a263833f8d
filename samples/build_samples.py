"""Build the sample corpus: samples/sources/*.md -> samples/corpus/ (PDF, Word, text) and samples/labels.yaml.

Run with `make samples`. Also makes the faulty files every corpus meets sooner or later: an image-only scan,
a password-protected PDF and a truncated PDF, built from the first ordinary review.
"""

from __future__ import annotations

import html
import io
import os
import re
import sys
import textwrap
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import yaml

HERE = Path(__file__).parent
SOURCES = HERE / "sources"
CORPUS = HERE / "corpus"
LABELS = HERE / "labels.yaml"

PAGE_CSS = """
@page {
  size: A4; margin: 25mm 22mm 25mm 22mm;
  @top-right { content: "%(header)s"; font: 8pt "DejaVu Sans"; color: #555; }
  @bottom-left { content: "%(footer)s"; font: 8pt "DejaVu Sans"; color: #555; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt "DejaVu Sans"; color: #555; }
}
body { font: 10.5pt/1.45 "DejaVu Sans", sans-serif; }
h1 { font-size: 20pt; margin-top: 60mm; }
h2 { font-size: 14pt; margin-top: 14pt; }
h3 { font-size: 12pt; } h4 { font-size: 11pt; }
p { text-align: justify; margin: 0 0 7pt 0; }
table { border-collapse: collapse; width: 100%%; margin: 6pt 0 10pt 0; font-size: 9pt; }
th, td { border: 0.5pt solid #444; padding: 3pt 4pt; vertical-align: top; text-align: left; }
th { background: #e8e8e8; }
.pagebreak { page-break-after: always; }
"""


@dataclass
class Block:
    kind: str  # heading, paragraph, list, table, pagebreak
    text: str = ""
    level: int = 0
    items: list[str] | None = None
    rows: list[list[str]] | None = None


def parse_source(path: Path) -> tuple[dict[str, object], list[Block]]:
    text = path.read_text(encoding="utf-8")
    match = re.match(r"^---\n(.*?)\n---\n(.*)$", text, re.S)
    if not match:
        sys.exit(f"{path}: no front matter")
    meta = yaml.safe_load(match.group(1))
    return meta, parse_blocks(match.group(2))


def parse_blocks(body: str) -> list[Block]:
    blocks: list[Block] = []
    lines = body.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index].rstrip()
        if not line.strip():
            index += 1
        elif line.strip() == "<!-- pagebreak -->":
            blocks.append(Block("pagebreak"))
            index += 1
        elif m := re.match(r"^(#{1,4})\s+(.*)$", line):
            blocks.append(Block("heading", m.group(2).strip(), level=len(m.group(1))))
            index += 1
        elif line.lstrip().startswith("|"):
            rows = []
            while index < len(lines) and lines[index].lstrip().startswith("|"):
                cells = [c.strip() for c in lines[index].strip().strip("|").split("|")]
                if not all(re.fullmatch(r":?-{3,}:?", c) for c in cells if c):
                    rows.append(cells)
                index += 1
            blocks.append(Block("table", rows=rows))
        elif re.match(r"^\s*[-*]\s+", line):
            items = []
            while index < len(lines) and lines[index].strip():
                item = lines[index]
                if re.match(r"^\s*[-*]\s+", item):
                    items.append(re.sub(r"^\s*[-*]\s+", "", item).strip())
                elif items:
                    items[-1] += " " + item.strip()
                index += 1
            blocks.append(Block("list", items=items))
        else:
            paragraph = []
            while index < len(lines) and lines[index].strip() and not _starts_block(lines[index]):
                paragraph.append(lines[index].strip())
                index += 1
            blocks.append(Block("paragraph", " ".join(paragraph)))
    return blocks


def _starts_block(line: str) -> bool:
    stripped = line.strip()
    return bool(
        re.match(r"^#{1,4}\s", stripped)
        or stripped.startswith("|")
        or re.match(r"^[-*]\s+", stripped)
        or stripped == "<!-- pagebreak -->"
    )


def inline_html(text: str) -> str:
    escaped = html.escape(text, quote=False)
    escaped = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", escaped)
    return re.sub(r"(?<!\*)\*(?!\s)(.+?)(?<!\s)\*", r"<em>\1</em>", escaped)


def plain(text: str) -> str:
    return re.sub(r"\*\*(.+?)\*\*|\*(.+?)\*", lambda m: m.group(1) or m.group(2), text)


def to_html(meta: dict[str, object], blocks: list[Block]) -> str:
    css = PAGE_CSS % {
        "header": str(meta.get("header") or "").replace('"', "'"),
        "footer": str(meta.get("footer") or "").replace('"', "'"),
    }
    parts = [f"<html lang='en-GB'><head><meta charset='utf-8'><style>{css}</style></head><body>"]
    for block in blocks:
        if block.kind == "heading":
            parts.append(f"<h{block.level}>{inline_html(block.text)}</h{block.level}>")
        elif block.kind == "paragraph":
            parts.append(f"<p>{inline_html(block.text)}</p>")
        elif block.kind == "list":
            parts.append("<ul>" + "".join(f"<li>{inline_html(i)}</li>" for i in block.items or []) + "</ul>")
        elif block.kind == "table":
            rows = block.rows or []
            head = "".join(f"<th>{inline_html(c)}</th>" for c in rows[0]) if rows else ""
            body = "".join(
                "<tr>" + "".join(f"<td>{inline_html(c)}</td>" for c in r) + "</tr>" for r in rows[1:]
            )
            parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        elif block.kind == "pagebreak":
            parts.append("<div class='pagebreak'></div>")
    parts.append("</body></html>")
    return "\n".join(parts)


def build_pdf(meta: dict[str, object], blocks: list[Block], out: Path) -> None:
    from weasyprint import HTML

    HTML(string=to_html(meta, blocks), base_url=str(HERE)).write_pdf(out, uncompressed_pdf=False)


def build_docx(meta: dict[str, object], blocks: list[Block], out: Path) -> None:
    import docx
    from docx.shared import Pt

    document = docx.Document()
    document.core_properties.author = "briefgen samples"
    section = document.sections[0]
    section.header.paragraphs[0].text = str(meta.get("header") or "")
    section.footer.paragraphs[0].text = str(meta.get("footer") or "")
    for block in blocks:
        if block.kind == "heading":
            document.add_heading(plain(block.text), level=min(block.level, 4))
        elif block.kind == "paragraph":
            _add_runs(document.add_paragraph(), block.text)
        elif block.kind == "list":
            for item in block.items or []:
                _add_runs(document.add_paragraph(style="List Bullet"), item)
        elif block.kind == "table":
            rows = block.rows or []
            table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows), style="Table Grid")
            for r, row in enumerate(rows):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = plain(cell)
                    for paragraph in table.cell(r, c).paragraphs:
                        for run in paragraph.runs:
                            run.font.size = Pt(9)
        elif block.kind == "pagebreak":
            document.add_page_break()
    fixed = datetime(2025, 12, 1, tzinfo=UTC)
    document.core_properties.created = fixed
    document.core_properties.modified = fixed
    document.save(str(out))
    _fix_zip_times(out)


def _fix_zip_times(path: Path) -> None:
    """Rewrite a .docx with fixed member timestamps, so the same source builds the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            clean = zipfile.ZipInfo(info.filename, date_time=(2025, 12, 1, 0, 0, 0))
            clean.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(clean, source.read(info.filename))
    path.write_bytes(buffer.getvalue())


def _add_runs(paragraph: object, text: str) -> None:
    for piece in re.split(r"(\*\*.+?\*\*|\*[^*\s][^*]*?\*)", text):
        if not piece:
            continue
        if piece.startswith("**"):
            paragraph.add_run(piece[2:-2]).bold = True  # type: ignore[attr-defined]
        elif piece.startswith("*") and piece.endswith("*") and len(piece) > 2:
            paragraph.add_run(piece[1:-1]).italic = True  # type: ignore[attr-defined]
        else:
            paragraph.add_run(piece)  # type: ignore[attr-defined]


def build_txt(meta: dict[str, object], blocks: list[Block], out: Path) -> None:
    """Plain text as a PDF-to-text converter leaves it: wrapped lines, form feeds between pages, and the
    running header and footer on every page."""
    pages: list[list[str]] = [[]]
    for block in blocks:
        lines = pages[-1]
        if block.kind == "pagebreak":
            pages.append([])
        elif block.kind == "heading":
            lines += ["", plain(block.text).upper() if block.level <= 2 else plain(block.text), ""]
        elif block.kind == "paragraph":
            lines += [*textwrap.wrap(plain(block.text), 95), ""]
        elif block.kind == "list":
            for item in block.items or []:
                lines += textwrap.wrap(plain(item), 95, initial_indent="  - ", subsequent_indent="    ")
            lines.append("")
        elif block.kind == "table":
            lines += [" | ".join(plain(c) for c in row) for row in block.rows or []] + [""]
        if len(pages[-1]) > 55 and block.kind != "pagebreak":
            pages.append([])
    header, footer = str(meta.get("header") or ""), str(meta.get("footer") or "")
    chunks = []
    for number, lines in enumerate([p for p in pages if any(x.strip() for x in p)], start=1):
        chunks.append("\n".join([header, "", *lines, "", f"{footer}    Page {number}"]))
    out.write_text("\f".join(chunks) + "\n", encoding="utf-8")


def build_faulty(model_pdf: Path) -> dict[str, dict[str, object]]:
    """The files a real corpus brings: a scan with no text layer, a locked PDF, a truncated download."""
    import pypdfium2 as pdfium
    from pypdf import PdfReader, PdfWriter

    scan = CORPUS / "dhr-northgate-scanned.pdf"
    pdf = pdfium.PdfDocument(str(model_pdf))
    images = [pdf[i].render(scale=1.2).to_pil().convert("L") for i in range(min(4, len(pdf)))]
    pdf.close()
    images[0].save(scan, "PDF", save_all=True, append_images=images[1:], resolution=100.0)

    locked = CORPUS / "dhr-southmere-protected.pdf"
    writer = PdfWriter(clone_from=PdfReader(str(model_pdf)))
    writer.encrypt(user_password="review-panel", owner_password="chair", algorithm="AES-256")
    with locked.open("wb") as handle:
        writer.write(handle)

    truncated = CORPUS / "dhr-westcombe-truncated.pdf"
    data = model_pdf.read_bytes()
    truncated.write_bytes(data[: len(data) * 55 // 100])

    return {
        scan.stem: {"file": scan.name, "decision": "review", "problem": "image_only"},
        locked.stem: {"file": locked.name, "decision": "review", "problem": "encrypted"},
        truncated.stem: {"file": truncated.name, "decision": "review", "problem": "truncated"},
    }


def main() -> None:
    # Reproducible builds: WeasyPrint stamps embedded fonts with the current time unless this is set.
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1764547200")
    CORPUS.mkdir(exist_ok=True)
    for old in CORPUS.iterdir():
        old.unlink()
    labels: dict[str, dict[str, object]] = {}
    first_pdf: Path | None = None
    for source in sorted(SOURCES.glob("*.md")):
        meta, blocks = parse_source(source)
        fmt = str(meta.get("format", "pdf"))
        out = CORPUS / f"{meta['id']}.{fmt}"
        {"pdf": build_pdf, "docx": build_docx, "txt": build_txt}[fmt](meta, blocks, out)
        if fmt == "pdf" and first_pdf is None:
            first_pdf = out
        entry = {"file": out.name, **dict(meta["labels"])}  # type: ignore[arg-type]
        labels[str(meta["id"])] = entry
        print(f"built {out.relative_to(HERE)}")
    assert first_pdf is not None, "no PDF sample to build the faulty files from"
    labels.update(build_faulty(first_pdf))
    header = (
        "# The truth for every sample, collected from samples/sources/*.md by build_samples.py (`make samples`).\n"
        "# Edit the sources' front matter, not this file.\n"
    )
    text = yaml.safe_dump({"samples": labels}, sort_keys=True, allow_unicode=True, width=110)
    LABELS.write_text(header + text, encoding="utf-8")
    print(f"wrote {LABELS.relative_to(HERE)} ({len(labels)} samples)")


if __name__ == "__main__":
    main()
