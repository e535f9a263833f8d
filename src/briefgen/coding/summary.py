"""Counts across coded cases: how many have each code and theme, and how the features are distributed."""

from __future__ import annotations

from collections import Counter

from briefgen.coding.codebook import Codebook
from briefgen.models import CodebookSnapshot, CodedCase, CodingSummary

_SUMMARY_FEATURES = (
    "victim_gender",
    "perpetrator_gender",
    "relationship",
    "cohabiting",
    "death_type",
    "case_type",
)


def summarise(cases: list[CodedCase], codebook: Codebook | CodebookSnapshot) -> CodingSummary:
    """Counts across cases: how many have each code and theme, and how the features are distributed."""
    code_counts = {code.id: sum(1 for c in cases if c.codes[code.id].present) for code in codebook.codes}
    theme_counts = {theme.id: sum(1 for c in cases if c.themes.get(theme.id)) for theme in codebook.themes}
    feature_counts: dict[str, dict[str, int]] = {}
    for name in _SUMMARY_FEATURES:
        values = Counter(_label(getattr(c.features, name).value) for c in cases)
        feature_counts[name] = dict(sorted(values.items()))
    forces = Counter(force for c in cases for force in _as_list(c.features.police_forces.value))
    feature_counts["police_forces"] = dict(sorted(forces.items()))
    return CodingSummary(
        cases=len(cases), code_counts=code_counts, theme_counts=theme_counts, feature_counts=feature_counts
    )


def _label(value: object) -> str:
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _as_list(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []
