"""Build the sample corpus: samples/sources/*.md -> samples/corpus/ (PDF, Word, text) and samples/labels.yaml.

Run with `make samples`. Also makes the faulty files every corpus meets sooner or later: an image-only scan,
a password-protected PDF and a truncated PDF, built from one ordinary review (`FAULTY_MODEL`). The same sources build the
same bytes (on the same fonts and library versions): fixed dates, and seeded randomness where a format wants
some.
"""

from __future__ import annotations

import html
import io
import os
import random
import re
import secrets
import sys
import textwrap
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import yaml

HERE = Path(__file__).parent
SOURCES = HERE / "sources"
CORPUS = HERE / "corpus"
LABELS = HERE / "labels.yaml"
FAULTY_MODEL = "dhr-ashbury-ioana"  # the review the scanned, locked and truncated files are made from
CODEBOOK = HERE.parent / "codebooks" / "police-dhr.yaml"

# What a source's `labels` may say (see README.md). A review is labelled `include`, `exclude` with the reason,
# or `review` (a document a person must look at: the machine should not decide it, e.g. an executive summary
# that leaves the police contact to its overview report). Documents that are not reviews at all (letters,
# action plans, other kinds of review) are `exclude` / `not_a_review` and carry no features or codes.
DECISIONS = {"include", "exclude", "review"}
EXCLUSION_REASONS = {"before_cutoff", "no_police_contact", "no_police_learning", "not_a_review"}
LABEL_KEYS = {"decision", "exclusion_reason", "incident_date", "case_group", "features", "codes"}
CODE_LISTS = {"present", "absent", "unclear"}

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
.toc { list-style: none; padding: 0; margin: 0; }
.toc li { margin: 0 0 5pt 0; }
.toc li.sub { margin-left: 14pt; }
.toc a { color: inherit; text-decoration: none; }
.toc a::after { content: leader('.') target-counter(attr(href), page); }
"""

# `style: word` in the front matter: a report exported from Word rather than typeset (left-aligned text, blue
# headings, "Page X of Y" in the footer, the title in the header, none of them on the cover).
WORD_CSS = """
@page {
  size: A4; margin: 25mm 25mm 25mm 25mm;
  @top-left { content: "%(header)s"; font: 8pt "DejaVu Sans"; color: #404040; }
  @bottom-left { content: "%(footer)s"; font: 8pt "DejaVu Sans"; color: #404040; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 9pt "DejaVu Sans"; width: 30%%; }
}
@page :first { @top-left { content: none; } @bottom-left { content: none; } @bottom-right { content: none; } }
body { font: 11pt/1.3 "DejaVu Sans", sans-serif; }
h1 { font-size: 24pt; font-weight: normal; color: #2f5496; margin-top: 70mm; }
h2 { font-size: 14pt; font-weight: normal; color: #2f5496; margin: 16pt 0 6pt 0; }
h3 { font-size: 12pt; font-weight: normal; color: #1f3763; } h4 { font-size: 11pt; color: #1f3763; }
p { text-align: left; margin: 0 0 8pt 0; }
table { border-collapse: collapse; width: 100%%; margin: 6pt 0 10pt 0; font-size: 9.5pt; }
th, td { border: 0.5pt solid #000; padding: 2pt 5pt; vertical-align: top; text-align: left; }
th { font-weight: bold; }
.pagebreak { page-break-after: always; }
.toc { list-style: none; padding: 0; margin: 0; }
.toc li { margin: 0 0 6pt 0; }
.toc li.sub { margin-left: 11pt; }
.toc a { color: inherit; text-decoration: none; }
.toc a::after { content: leader('.') target-counter(attr(href), page); }
"""


@dataclass
class Block:
    kind: str  # heading, paragraph, list, table, pagebreak, contents
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
        elif line.strip() == "<!-- contents -->":
            blocks.append(Block("contents"))
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
        or stripped in ("<!-- pagebreak -->", "<!-- contents -->")
    )


def inline_html(text: str) -> str:
    escaped = html.escape(text, quote=False)
    escaped = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", escaped)
    return re.sub(r"(?<!\*)\*(?!\s)(.+?)(?<!\s)\*", r"<em>\1</em>", escaped)


def plain(text: str) -> str:
    return re.sub(r"\*\*(.+?)\*\*|\*(.+?)\*", lambda m: m.group(1) or m.group(2), text)


def contents_entries(blocks: list[Block]) -> list[tuple[int, Block]]:
    """The headings a contents page lists: level 2 and 3 headings after the `<!-- contents -->` marker."""
    after = next((i for i, b in enumerate(blocks) if b.kind == "contents"), len(blocks))
    return [(i, b) for i, b in enumerate(blocks) if i > after and b.kind == "heading" and b.level in (2, 3)]


def to_html(meta: dict[str, object], blocks: list[Block]) -> str:
    css = (WORD_CSS if meta.get("style") == "word" else PAGE_CSS) % {
        "header": str(meta.get("header") or "").replace('"', "'"),
        "footer": str(meta.get("footer") or "").replace('"', "'"),
    }
    parts = [f"<html lang='en-GB'><head><meta charset='utf-8'><style>{css}</style></head><body>"]
    listed = contents_entries(blocks)
    anchors = {index for index, _ in listed}
    for index, block in enumerate(blocks):
        if block.kind == "heading":
            anchor = f" id='h{index}'" if index in anchors else ""
            parts.append(f"<h{block.level}{anchor}>{inline_html(block.text)}</h{block.level}>")
        elif block.kind == "contents":
            items = "".join(
                f"<li class='{'sub' if b.level == 3 else 'top'}'><a href='#h{i}'>{inline_html(b.text)}</a></li>"
                for i, b in listed
            )
            parts.append(f"<ul class='toc'>{items}</ul>")
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
        elif block.kind == "contents":
            for _, entry in contents_entries(blocks):
                document.add_paragraph(plain(entry.text))
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
        elif block.kind == "contents":
            lines += [plain(entry.text) for _, entry in contents_entries(blocks)] + [""]
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
    fixed = datetime(2025, 12, 1, tzinfo=UTC).timetuple()
    images[0].save(
        scan,
        "PDF",
        save_all=True,
        append_images=images[1:],
        resolution=100.0,
        creationDate=fixed,
        modDate=fixed,
    )

    locked = CORPUS / "dhr-southmere-protected.pdf"
    with seeded_token_bytes("dhr-southmere-protected"):
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


@contextmanager
def seeded_token_bytes(seed: str) -> Iterator[None]:
    """Make `secrets.token_bytes` repeatable while a test file is encrypted, so it builds the same bytes. The
    file's password is printed in this script: its salts and keys protect nothing."""
    original = secrets.token_bytes
    generator = random.Random(seed)
    secrets.token_bytes = lambda n=32: generator.randbytes(n)  # type: ignore[assignment,misc]
    try:
        yield
    finally:
        secrets.token_bytes = original


def code_ids() -> set[str]:
    codebook = yaml.safe_load(CODEBOOK.read_text(encoding="utf-8"))
    return {str(code["id"]) for code in codebook["codes"]}


def check_labels(source: Path, labels: dict[str, object], known_codes: set[str]) -> None:
    """Stop the build on a label that evaluation would misread: a wrong decision or reason, an unknown key
    or code, a code both present and absent, an include without its features and codes."""

    def fail(problem: str) -> None:
        sys.exit(f"{source.name}: labels: {problem}")

    if unknown := set(labels) - LABEL_KEYS:
        fail(f"unknown key(s) {sorted(unknown)}; known: {sorted(LABEL_KEYS)}")
    decision, reason = labels.get("decision"), labels.get("exclusion_reason")
    if decision not in DECISIONS:
        fail(f"decision {decision!r} is not one of {sorted(DECISIONS)}")
    if decision == "exclude" and reason not in EXCLUSION_REASONS:
        fail(f"exclusion_reason {reason!r} is not one of {sorted(EXCLUSION_REASONS)}")
    if decision != "exclude" and reason is not None:
        fail(f"exclusion_reason {reason!r} given for decision {decision!r}")
    if decision == "include" and not ("features" in labels and "codes" in labels):
        fail("an included review needs `features` and `codes`")
    if reason == "not_a_review" and ("features" in labels or "codes" in labels):
        fail("a document that is not a review has no features or codes")
    group = labels.get("case_group")
    if group is not None and not re.fullmatch(r"[a-z0-9][a-z0-9-]*", str(group)):
        fail(f"case_group {group!r} should be a short lower-case id")
    features = labels.get("features") or {}
    first, death = features.get("first_police_contact"), labels.get("incident_date")  # type: ignore[union-attr]
    days = features.get("days_first_contact_to_death")  # type: ignore[union-attr]
    if isinstance(first, date) and isinstance(death, date) and days != (death - first).days:
        fail(f"days_first_contact_to_death is {days}, but {first} to {death} is {(death - first).days} days")
    codes = labels.get("codes") or {}
    if not isinstance(codes, dict) or set(codes) - CODE_LISTS:
        fail(f"codes should have only {sorted(CODE_LISTS)}")
    lists = {name: set(codes.get(name) or []) for name in CODE_LISTS}  # type: ignore[union-attr]
    for name, ids in lists.items():
        if unknown := ids - known_codes:
            fail(f"codes.{name}: unknown code(s) {sorted(unknown)}")
    for first, second in (("present", "absent"), ("present", "unclear"), ("absent", "unclear")):
        if both := lists[first] & lists[second]:
            fail(f"code(s) {sorted(both)} in both codes.{first} and codes.{second}")


def check_case_groups(labels: dict[str, dict[str, object]]) -> None:
    """A case group joins the documents of one case (an overview report and its executive summary): a group
    of one is a typing error."""
    groups: dict[str, list[str]] = {}
    for name, entry in labels.items():
        if entry.get("case_group") is not None:
            groups.setdefault(str(entry["case_group"]), []).append(name)
    for group, members in sorted(groups.items()):
        if len(members) < 2:
            sys.exit(f"case_group {group!r} has only one document ({members[0]})")


def main() -> None:
    # Reproducible builds: WeasyPrint stamps embedded fonts with the current time unless this is set.
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1764547200")
    CORPUS.mkdir(exist_ok=True)
    for old in CORPUS.iterdir():
        old.unlink()
    labels: dict[str, dict[str, object]] = {}
    model_pdf: Path | None = None
    known_codes = code_ids()
    for source in sorted(SOURCES.glob("*.md")):
        meta, blocks = parse_source(source)
        check_labels(source, dict(meta["labels"]), known_codes)  # type: ignore[call-overload]
        fmt = str(meta.get("format", "pdf"))
        out = CORPUS / f"{meta['id']}.{fmt}"
        {"pdf": build_pdf, "docx": build_docx, "txt": build_txt}[fmt](meta, blocks, out)
        if meta["id"] == FAULTY_MODEL:
            model_pdf = out
        entry = {"file": out.name, **dict(meta["labels"])}  # type: ignore[arg-type]
        labels[str(meta["id"])] = entry
        print(f"built {out.relative_to(HERE)}")
    assert model_pdf is not None and model_pdf.suffix == ".pdf", (
        f"{FAULTY_MODEL}: no PDF to build faulty files from"
    )
    check_case_groups(labels)
    labels.update(build_faulty(model_pdf))
    header = (
        "# The truth for every sample, collected from samples/sources/*.md by build_samples.py (`make samples`).\n"
        "# Edit the sources' front matter, not this file.\n"
    )
    text = yaml.safe_dump({"samples": labels}, sort_keys=True, allow_unicode=True, width=110)
    LABELS.write_text(header + text, encoding="utf-8")
    print(f"wrote {LABELS.relative_to(HERE)} ({len(labels)} samples)")


if __name__ == "__main__":
    main()
