"""Spreadsheet views of the stage outputs: the same facts as the JSON, one row per document or case."""

from __future__ import annotations

import csv
import io

from briefgen.models import CodedResult, ScreeningResult


def _csv(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def screening_csv(result: ScreeningResult) -> str:
    """One row per document: decision, date of death, each criterion's result with its first evidence."""
    criterion_ids = [c.id for c in result.criteria_text]
    header = [
        "source",
        "title",
        "incident_date",
        "decision",
        "exclusion_reason",
        "problem",
        "override_reason",
    ]
    for cid in criterion_ids:
        header += [cid, f"{cid}_page", f"{cid}_quote"]
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
    feature_names = sorted({name for case in result.cases for name in case.features})
    code_ids = [code.id for code in result.codebook.codes]
    header = ["source", "pseudonym", *feature_names, *code_ids]
    rows = []
    for case in result.cases:
        features = [
            _cell(case.features[name].value) if name in case.features else "" for name in feature_names
        ]
        codes = ["1" if case.codes[cid].present else "0" for cid in code_ids if cid in case.codes]
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
