"""Spreadsheet views of the stage outputs: the same facts as the JSON, one row per document or case.

The files open as text, never as formulas: a cell that a spreadsheet would read as a formula (a review whose
first line is `=HYPERLINK(...)`) starts with `'` (the OWASP rule against CSV injection). They are UTF-8 with a
byte-order mark, which Excel needs to read anything but ASCII, and end lines with CRLF (RFC 4180).
"""

from __future__ import annotations

import csv
import io

from briefgen.models import CaseFeatures, CodedResult, ScreeningResult

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180; with "\n" a lone "\r" went unquoted
    writer.writerow([_text(cell) for cell in header])
    writer.writerows([_text(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def table_csv(header: list[str], rows: list[list[str]]) -> str:
    """Any table as such a CSV (the search hits of the repository, say)."""
    return _csv(header, rows)


def _text(cell: str) -> str:
    """A cell a spreadsheet shows as it is, and never runs as a formula."""
    return f"'{cell}" if cell.startswith(_FORMULA_STARTS) else cell


def screening_csv(result: ScreeningResult) -> str:
    """One row per document: decision, date of death, each criterion's result with its first evidence. A
    criterion's columns are `<id>_result`, `<id>_page` and `<id>_quote`, so one called `incident_date` does not
    repeat the document's `incident_date` column."""
    criterion_ids = [c.id for c in result.criteria_text]
    header = [
        "source",
        "title",
        "incident_date",
        "decision",
        "exclusion_reason",
        "problem",
        "override_reason",
        "document_type",
        "document_form",
        "case_group",
        "case_role",
    ]
    for cid in criterion_ids:
        header += [f"{cid}_result", f"{cid}_page", f"{cid}_quote"]
    header.append("reasons")
    rows = []
    for document in result.documents:
        row = [
            document.source,
            document.title,
            document.incident_date or "",
            document.decision.value,
            document.exclusion_reason or "",
            document.problem.value if document.problem else "",
            document.override.reason if document.override else "",
            document.document_type or "",
            document.document_form or "",
            document.case_group or "",
            document.case_role or "",
        ]
        by_id = {c.id: c for c in document.criteria}
        for cid in criterion_ids:
            criterion = by_id.get(cid)
            first = criterion.evidence[0] if criterion and criterion.evidence else None
            row += [
                criterion.result.value if criterion else "",
                str(first.page) if first else "",
                first.quote if first else "",
            ]
        row.append(" / ".join(document.reasons))
        rows.append(row)
    return _csv(header, rows)


def coded_csv(result: CodedResult) -> str:
    """The case x code matrix (1 = present), with the case features first."""
    feature_names = sorted(CaseFeatures.model_fields)
    code_ids = [code.id for code in result.codebook.codes]
    header = ["source", "pseudonym", *feature_names, *code_ids]
    rows = []
    for case in result.cases:
        features = [_cell(case.features.values()[name]) for name in feature_names]
        codes = [("1" if case.codes[cid].present else "0") if cid in case.codes else "" for cid in code_ids]
        rows.append([case.source, case.pseudonym or "", *features, *codes])
    return _csv(header, rows)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)
