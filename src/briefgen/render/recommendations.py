"""Recommendations to the police: the reviews' recommendations addressed to the police, grouped by theme with
counts and the reviews they come from. Which are the police's, and each one's theme, are patterns in
`templates/recommendations.yaml`."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import Field

from briefgen.errors import InputFileError, TemplateError
from briefgen.models import CodedCase, Recommendation, Strict, ThemeInfo
from briefgen.resources import templates_dir
from briefgen.yamlio import Regex, load_yaml_model


class ThemeRule(Strict):
    theme: str
    pattern: Regex


class RecommendationRules(Strict):
    addressed_to_police: Regex
    number_prefix: Regex
    themes: list[ThemeRule] = Field(default_factory=list)
    shown_per_theme: int = Field(default=4, ge=0)


@functools.cache
def load_rules() -> RecommendationRules:
    try:
        return load_yaml_model(templates_dir() / "recommendations.yaml", RecommendationRules)
    except InputFileError as exc:
        raise TemplateError(str(exc)) from None


@dataclass(frozen=True)
class RecommendationView:
    text: str
    case: str
    number: str | None
    page: int
    page_unit: str


@dataclass(frozen=True)
class RecommendationGroup:
    """The recommendations of one theme (`theme` None: the rest)."""

    theme: ThemeInfo | None
    count: int
    reviews: list[str]
    shown: list[RecommendationView]


def to_police(recommendation: Recommendation, rules: RecommendationRules) -> bool:
    """Whether the words before 'should' name the police."""
    head, should, _ = recommendation.text.partition(" should ")
    return bool(should) and re.search(rules.addressed_to_police, head) is not None


def group_recommendations(
    cases: Sequence[CodedCase], themes: Sequence[ThemeInfo]
) -> list[RecommendationGroup]:
    """The police recommendations by theme, in the codebook's order of themes, then those of no theme."""
    rules = load_rules()
    known = {theme.id: theme for theme in themes}
    grouped: dict[str | None, list[tuple[CodedCase, Recommendation]]] = {}
    seen: set[tuple[str, str]] = set()
    for case in cases:
        for recommendation in case.police_recommendations:
            if not to_police(recommendation, rules) or (case.source, recommendation.text) in seen:
                continue
            seen.add((case.source, recommendation.text))
            theme = next(
                (
                    r.theme
                    for r in rules.themes
                    if r.theme in known and re.search(r.pattern, recommendation.text)
                ),
                None,
            )
            grouped.setdefault(theme, []).append((case, recommendation))
    order = [theme.id for theme in themes if theme.id in grouped] + ([None] if None in grouped else [])
    groups = []
    for theme_id in order:
        items = grouped[theme_id]
        reviews = list(dict.fromkeys(case.pseudonym or case.title for case, _ in items))
        groups.append(
            RecommendationGroup(
                theme=known.get(theme_id) if theme_id else None,
                count=len(items),
                reviews=reviews,
                shown=_spread(items, rules),
            )
        )
    return groups


def _spread(
    items: list[tuple[CodedCase, Recommendation]], rules: RecommendationRules
) -> list[RecommendationView]:
    """Up to `shown_per_theme` recommendations, one review after another."""
    chosen: list[tuple[CodedCase, Recommendation]] = []
    used: set[str] = set()
    for strict in (True, False):
        for case, recommendation in items:
            if len(chosen) >= rules.shown_per_theme:
                break
            if (strict and case.source in used) or (case, recommendation) in chosen:
                continue
            chosen.append((case, recommendation))
            used.add(case.source)
    return [
        RecommendationView(
            text=re.sub(rules.number_prefix, "", recommendation.text),
            case=case.pseudonym or case.title,
            number=recommendation.number,
            page=recommendation.page,
            page_unit=case.page_unit,
        )
        for case, recommendation in chosen
    ]
