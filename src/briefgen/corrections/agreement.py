"""Agreement between the machine and the analyst on the cases the analyst verified.

On a verified case every code was checked: an uncorrected code is the analyst agreeing with the machine, a
corrected one disagreeing. Cohen's kappa is computed over every (case, code) pair, overall and per theme.
"""

from __future__ import annotations

from briefgen.agree import cohens_kappa
from briefgen.models import CaseFeatures, CodedResult, ThemeVerification, Verification


def verification(coded: CodedResult) -> Verification:
    """What the analyst verified and corrected, and how far the machine agreed with them on verified cases."""
    verified = [case for case in coded.cases if case.analyst is not None and case.analyst.verified]
    pairs: dict[str, list[tuple[bool, bool]]] = {theme.id: [] for theme in coded.codebook.themes}
    for case in verified:
        for code in coded.codebook.codes:
            result = case.codes.get(code.id)
            if result is not None:
                pairs.setdefault(code.theme, []).append((result.machine_present, result.present))
    applied = [
        (kind, correction)
        for case in coded.cases
        for kind, correction in [
            *(("code", r.correction) for r in case.codes.values()),
            *(("feature", getattr(case.features, n).correction) for n in CaseFeatures.model_fields),
        ]
        if correction is not None
        and correction.counts == "analyst"
        and correction.machine != correction.analyst
    ]
    everything = [pair for theme_pairs in pairs.values() for pair in theme_pairs]
    return Verification(
        cases=len(coded.cases),
        verified=len(verified),
        unverified=[case.source for case in coded.cases if case not in verified],
        codes_corrected=sum(1 for kind, _ in applied if kind == "code"),
        features_corrected=sum(1 for kind, _ in applied if kind == "feature"),
        stale=sum(len(case.analyst.stale) for case in coded.cases if case.analyst is not None),
        agreement=_share(everything),
        kappa=_kappa(everything),
        themes=[
            ThemeVerification(
                theme=theme.id,
                title=theme.title,
                agreement=_share(pairs[theme.id]),
                kappa=_kappa(pairs[theme.id]),
                pairs=len(pairs[theme.id]),
            )
            for theme in coded.codebook.themes
            if pairs.get(theme.id)
        ],
    )


def _share(pairs: list[tuple[bool, bool]]) -> float | None:
    return round(sum(m == a for m, a in pairs) / len(pairs), 4) if pairs else None


def _kappa(pairs: list[tuple[bool, bool]]) -> float | None:
    return cohens_kappa([m for m, _ in pairs], [a for _, a in pairs])
