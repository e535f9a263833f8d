"""Machine against human coding: per-code agreement and Cohen's kappa, for the methodology appendix.

The human file is a CSV with one row per case: a `source` column (the review's path as in coded.json, or just
its file name) and one column per code id holding 1/0, yes/no or true/false in every cell. The other columns of
the `coded.csv` that `briefgen code` writes (pseudonym and the case features) are allowed and ignored, so the
easiest way to make one is to copy that file and correct it by hand.

Nothing is guessed: a column that is not a code (a misspelt code id would go unscored), an empty cell, a case
given twice, or no row matching a coded case is an error; a row for a case the coded file does not have is a
warning.
"""

from __future__ import annotations

import csv
import difflib
import io
import logging
from pathlib import Path

from briefgen.errors import HumanCodingInvalid
from briefgen.models import AgreedCase, AgreementReport, CaseFeatures, CodeAgreement, CodedCase, CodedResult

log = logging.getLogger(__name__)

_TRUE = {"1", "yes", "y", "true", "t", "present", "x"}
_FALSE = {"0", "no", "n", "false", "f", "absent"}


def read_human_coding(path: Path, coded: CodedResult) -> dict[str, dict[str, bool]]:
    """The human's codes for the coded cases the file has rows for: case source (as in the coded file) ->
    code -> present."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise HumanCodingInvalid("file not found", path=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise HumanCodingInvalid(f"cannot be read as UTF-8 CSV ({exc})", path=path) from None
    reader = csv.DictReader(io.StringIO(text))
    columns = _code_columns(list(reader.fieldnames or []), coded, path)
    cases = _case_names(coded)
    coding: dict[str, dict[str, bool]] = {}
    first_line: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if None in row:
            raise HumanCodingInvalid(f"line {line} has more cells than there are column headings", path=path)
        source = (row["source"] or "").strip()
        if not source:
            if any((value or "").strip() for value in row.values()):
                raise HumanCodingInvalid(f"line {line}: the source cell is empty", path=path)
            continue
        matches = cases.get(source) or cases.get(_unquoted(source), [])
        if not matches:
            log.warning("%s: line %d: %r is not a case in the coded file; row ignored", path, line, source)
            continue
        if len(matches) > 1:
            raise HumanCodingInvalid(
                f"line {line}: {source!r} is the file name of {len(matches)} coded cases; "
                "give its path as in the coded file",
                path=path,
            )
        case = matches[0]
        if case.source in first_line:
            raise HumanCodingInvalid(
                f"line {line}: {case.source} is coded again (first on line {first_line[case.source]})",
                path=path,
            )
        first_line[case.source] = line
        coding[case.source] = _values(row, columns, case, line, path)
    if not coding:
        raise HumanCodingInvalid(
            "no row matches a case in the coded file (check the source column)", path=path
        )
    return coding


def _code_columns(header: list[str], coded: CodedResult, path: Path) -> list[str]:
    """The code columns; any column that is neither a code nor one `coded.csv` has beside the codes is an
    error naming the nearest code id."""
    if "source" not in header:
        raise HumanCodingInvalid("has no 'source' column (one row per case, one column per code)", path=path)
    code_ids = [code.id for code in coded.codebook.codes]
    known = {"source", "pseudonym", *code_ids, *CaseFeatures.model_fields}
    for number, name in enumerate(header, start=1):
        if name not in known:
            if not name.strip():
                raise HumanCodingInvalid(f"column {number} has no heading", path=path)
            nearest = difflib.get_close_matches(name, code_ids, n=1)
            hint = f"; did you mean {nearest[0]!r}?" if nearest else " (nor a column of coded.csv)"
            raise HumanCodingInvalid(f"column {name!r} is not a code id of the codebook{hint}", path=path)
        if header.count(name) > 1:
            raise HumanCodingInvalid(f"column {name!r} is given twice", path=path)
    columns = [name for name in header if name in code_ids]
    if not columns:
        raise HumanCodingInvalid("has no column named after a code id of the codebook", path=path)
    return columns


def _case_names(coded: CodedResult) -> dict[str, list[CodedCase]]:
    """Each name a row may give a coded case by: its source, or else its file name (which two cases may
    share)."""
    names: dict[str, list[CodedCase]] = {}
    for case in coded.cases:
        names.setdefault(Path(case.source).name, []).append(case)
    names.update({case.source: [case] for case in coded.cases})
    return names


def _unquoted(cell: str) -> str:
    """A cell as written before `coded.csv` marked it as text (`'-x.pdf`, so a spreadsheet runs no formula)."""
    return cell[1:] if cell.startswith("'") else cell


def _values(
    row: dict[str | None, str | None], columns: list[str], case: CodedCase, line: int, path: Path
) -> dict[str, bool]:
    """One row's codes. A cell may be empty only where the machine has no result for that code."""
    values = {}
    for cid in columns:
        raw = (row[cid] or "").strip().lower()
        if not raw:
            if cid in case.codes:
                raise HumanCodingInvalid(
                    f"line {line}, column {cid}: the cell is empty (write 1/0 or yes/no)", path=path
                )
            continue
        if raw not in _TRUE | _FALSE:
            raise HumanCodingInvalid(f"line {line}, column {cid}: {raw!r} is not 1/0 or yes/no", path=path)
        values[cid] = raw in _TRUE
    return values


def cohens_kappa(machine: list[bool], human: list[bool]) -> float | None:
    """Agreement beyond chance between two raters; None when chance agreement is total (kappa undefined)."""
    n = len(machine)
    if n == 0:
        return None
    observed = sum(m == h for m, h in zip(machine, human, strict=True)) / n
    p_machine, p_human = sum(machine) / n, sum(human) / n
    expected = p_machine * p_human + (1 - p_machine) * (1 - p_human)
    if expected >= 1.0:
        return None
    return round((observed - expected) / (1 - expected), 4)


def agreement(coded: CodedResult, human: dict[str, dict[str, bool]], human_file: str) -> AgreementReport:
    """Compare the machine's codes with a human coder's for the cases both coded (`human` is keyed by the
    coded file's sources, as `read_human_coding` gives it)."""
    cases = [(case, human[case.source]) for case in coded.cases if case.source in human]
    code_ids = [code.id for code in coded.codebook.codes if any(code.id in row for _, row in cases)]
    results = []
    all_machine: list[bool] = []
    all_human: list[bool] = []
    for cid in code_ids:
        both = [
            (case.codes[cid].machine_present, row[cid])
            for case, row in cases
            if cid in row and cid in case.codes
        ]
        machine = [m for m, _ in both]
        people = [h for _, h in both]
        all_machine += machine
        all_human += people
        results.append(
            CodeAgreement(
                code=cid,
                agreement=round(sum(m == h for m, h in both) / len(both), 4) if both else 0.0,
                kappa=cohens_kappa(machine, people),
                machine_present=sum(machine),
                human_present=sum(people),
            )
        )
    overall = (
        round(sum(m == h for m, h in zip(all_machine, all_human, strict=True)) / len(all_machine), 4)
        if all_machine
        else 0.0
    )
    return AgreementReport(
        human_file=human_file,
        cases=len(cases),
        covered=[AgreedCase(source=case.source, sha256=case.sha256) for case, _ in cases],
        codes=results,
        overall_agreement=overall,
        overall_kappa=cohens_kappa(all_machine, all_human),
    )
