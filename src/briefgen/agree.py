"""Machine against human coding: per-code agreement and Cohen's kappa, for the methodology appendix.

The human file is a CSV with one row per case: a `source` column (the review's path as in coded.json, or just
its file name) and one column per code id holding 1/0, yes/no or true/false (blank means absent). The easiest
way to make one is to copy the `coded.csv` that `briefgen code` writes and correct it by hand.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from briefgen.errors import HumanCodingInvalid
from briefgen.models import AgreementReport, CodeAgreement, CodedResult

_TRUE = {"1", "yes", "y", "true", "t", "present", "x"}
_FALSE = {"0", "no", "n", "false", "f", "absent", ""}


def read_human_coding(path: Path, code_ids: list[str]) -> dict[str, dict[str, bool]]:
    """source -> code -> present, for the codes the file has columns for."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise HumanCodingInvalid("file not found", path=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise HumanCodingInvalid(f"cannot be read as UTF-8 CSV ({exc})", path=path) from None
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "source" not in reader.fieldnames:
        raise HumanCodingInvalid("has no 'source' column (one row per case, one column per code)", path=path)
    columns = [cid for cid in code_ids if cid in reader.fieldnames]
    if not columns:
        raise HumanCodingInvalid("has no column named after a code id of the codebook", path=path)
    coding: dict[str, dict[str, bool]] = {}
    for line, row in enumerate(reader, start=2):
        source = (row.get("source") or "").strip()
        if not source:
            continue
        values = {}
        for cid in columns:
            raw = (row.get(cid) or "").strip().lower()
            if raw not in _TRUE | _FALSE:
                raise HumanCodingInvalid(
                    f"line {line}, column {cid}: {raw!r} is not 1/0 or yes/no", path=path
                )
            values[cid] = raw in _TRUE
        coding[source] = values
    return coding


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
    """Compare the machine's codes with a human coder's for the cases both coded."""
    cases = []
    for case in coded.cases:
        row = human.get(case.source) or human.get(Path(case.source).name)
        if row is not None:
            cases.append((case, row))
    code_ids = [code.id for code in coded.codebook.codes if any(code.id in row for _, row in cases)]
    results = []
    all_machine: list[bool] = []
    all_human: list[bool] = []
    for cid in code_ids:
        machine = [case.codes[cid].present for case, row in cases if cid in row]
        people = [row[cid] for _, row in cases if cid in row]
        all_machine += machine
        all_human += people
        results.append(
            CodeAgreement(
                code=cid,
                agreement=round(sum(m == h for m, h in zip(machine, people, strict=True)) / len(machine), 4)
                if machine
                else 0.0,
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
        codes=results,
        overall_agreement=overall,
        overall_kappa=cohens_kappa(all_machine, all_human),
    )
