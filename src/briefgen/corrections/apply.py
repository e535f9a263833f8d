"""Applying the analyst's corrections to coded cases: the value that counts becomes the analyst's, and the
machine's is kept beside it.

Applying is idempotent: a case coded before (and reused by a build) first gets its machine values back, so a
correction removed from the file is undone on the next run.
"""

from __future__ import annotations

import difflib
import logging
import os
from pathlib import Path

from briefgen.coding.summary import summarise
from briefgen.corrections.file import CorrectionEntry, Corrections
from briefgen.files import sha256_of
from briefgen.models import (
    CaseFeatures,
    CaseReview,
    CodebookSnapshot,
    CodedCase,
    CodedResult,
    CodeResult,
    Correction,
    CorrectionsRef,
    Feature,
    FeatureScalar,
)

log = logging.getLogger(__name__)

_LIST_FEATURES = frozenset({"police_forces"})


def machine_case(case: CodedCase, codebook: CodebookSnapshot) -> CodedCase:
    """The case as the machine coded it: every correction and verification taken off."""
    if case.analyst is None and not _corrected(case):
        return case
    codes = {
        cid: result.model_copy(update={"present": result.machine_present, "correction": None})
        if result.correction is not None
        else result
        for cid, result in case.codes.items()
    }
    features = {
        name: feature.model_copy(update={"value": feature.correction.machine, "correction": None})
        for name in CaseFeatures.model_fields
        if (feature := getattr(case.features, name)).correction is not None
    }
    return case.model_copy(
        update={
            "codes": codes,
            "features": case.features.model_copy(update=features),
            "themes": present_themes(codes, codebook),
            "analyst": None,
        }
    )


def present_themes(codes: dict[str, CodeResult], codebook: CodebookSnapshot) -> dict[str, list[str]]:
    """Theme id -> its present codes, in the codebook's order, as coding writes them."""
    themes: dict[str, list[str]] = {theme.id: [] for theme in codebook.themes}
    for code in codebook.codes:
        if code.id in codes and codes[code.id].present and code.theme in themes:
            themes[code.theme].append(code.id)
    return {theme: ids for theme, ids in themes.items() if ids}


def _corrected(case: CodedCase) -> bool:
    return any(r.correction is not None for r in case.codes.values()) or any(
        getattr(case.features, name).correction is not None for name in CaseFeatures.model_fields
    )


def apply_corrections(
    coded: CodedResult, corrections: Corrections | None, *, out_dir: Path | None = None
) -> CodedResult:
    """The coded result with the analyst's corrections applied (or, with None, every earlier one taken off).

    A correction naming an unknown case, code or feature is a warning naming its YAML line; one whose review
    changed since it was checked is stale: kept in the case, with the machine's value counting."""
    entries = corrections.corrections if corrections is not None else []
    where = f"{corrections.path}: " if corrections is not None and corrections.path else ""
    used: set[int] = set()
    cases = []
    for case in coded.cases:
        case = machine_case(case, coded.codebook)
        mine = [e for e in entries if e.matches(case.source, case.sha256)]
        used.update(id(e) for e in mine)
        cases.append(_apply_to_case(case, mine, coded.codebook, where) if mine else case)
    for entry in entries:
        if id(entry) not in used:
            log.warning(
                "%s%s: no coded case is %r (not in the corpus, not included, or not coded); correction ignored",
                where,
                _place(entry),
                entry.case,
            )
    ref = None
    if corrections is not None and corrections.path is not None:
        shown = corrections.path if out_dir is None else Path(_relative(corrections.path, out_dir))
        ref = CorrectionsRef(path=shown.as_posix(), sha256=sha256_of(corrections.path))
    changed = cases != coded.cases
    return coded.model_copy(
        update={
            "cases": cases,
            "summary": summarise(cases, coded.codebook) if changed else coded.summary,
            "corrections": ref,
        }
    )


def _relative(path: Path, folder: Path) -> str:
    return os.path.relpath(path.resolve(), folder.resolve())


def _apply_to_case(
    case: CodedCase, entries: list[CorrectionEntry], codebook: CodebookSnapshot, where: str
) -> CodedCase:
    codes = dict(case.codes)
    features: dict[str, Feature] = {}
    verified, note, stale = False, None, []
    for entry in entries:
        is_stale = entry.sha256 is not None and not case.sha256.startswith(entry.sha256)
        if is_stale:
            message = (
                f"{_place(entry)}: {case.source} has changed since it was checked (sha256 {entry.sha256}, now "
                f"{case.sha256[:12]}); check it again and update the entry's sha256"
            )
            log.warning("%s%s; not applied", where, message)
            stale.append(message)
        target = entry.target
        if target is None:
            if not is_stale and entry.verified:
                verified, note = True, entry.reason or note
            continue
        kind, name = target
        if kind == "code":
            result = codes.get(name)
            if result is None:
                _unknown(where, entry, "code", name, [code.id for code in codebook.codes])
                continue
            codes[name] = _corrected_code(result, entry, is_stale)
        else:
            feature = case.features.get(name)
            if feature is None:
                _unknown(where, entry, "feature", name, list(CaseFeatures.model_fields))
                continue
            problem = _value_problem(name, entry.value)
            if problem:
                log.warning("%s%s: feature %r: %s; correction ignored", where, _place(entry), name, problem)
                continue
            features[name] = _corrected_feature(features.get(name, feature), entry, is_stale)
    return case.model_copy(
        update={
            "codes": codes,
            "features": case.features.model_copy(update=features),
            "themes": present_themes(codes, codebook),
            "analyst": CaseReview(verified=verified, note=note, stale=stale),
        }
    )


def _corrected_code(result: CodeResult, entry: CorrectionEntry, stale: bool) -> CodeResult:
    correction = Correction(
        machine=result.present,
        analyst=entry.present,
        reason=entry.reason or "",
        counts="machine" if stale else "analyst",
        line=entry.line,
    )
    present = result.present if stale else bool(entry.present)
    return result.model_copy(update={"present": present, "correction": correction})


def _corrected_feature(feature: Feature, entry: CorrectionEntry, stale: bool) -> Feature:
    correction = Correction(
        machine=feature.value,
        analyst=entry.value,
        reason=entry.reason or "",
        counts="machine" if stale else "analyst",
        line=entry.line,
    )
    return feature.model_copy(
        update={"value": feature.value if stale else entry.value, "correction": correction}
    )


def _value_problem(name: str, value: FeatureScalar | list[str]) -> str | None:
    if name in _LIST_FEATURES and not isinstance(value, list) and value is not None:
        return "give a list (e.g. [Avon and Somerset Police])"
    if name not in _LIST_FEATURES and isinstance(value, list):
        return "give one value, not a list"
    return None


def _unknown(where: str, entry: CorrectionEntry, kind: str, name: str, known: list[str]) -> None:
    nearest = difflib.get_close_matches(name, known, n=1)
    hint = f" (did you mean {nearest[0]!r}?)" if nearest else ""
    log.warning("%s%s: %r is not a %s%s; correction ignored", where, _place(entry), name, kind, hint)


def _place(entry: CorrectionEntry) -> str:
    return f"line {entry.line}" if entry.line is not None else f"correction for {entry.case!r}"
