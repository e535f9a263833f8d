"""The review page: one self-contained HTML file in which an analyst checks every code and feature of every
case against its evidence, and copies a ready-made line into the corrections file.

It opens from a file, with no server and no network: its CSS and script are inline, and it loads nothing. Review
text reaches it only through Jinja's autoescaping, never inside the script.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import jinja2

from briefgen.corrections.agreement import verification
from briefgen.errors import TemplateError
from briefgen.models import (
    CaseFeatures,
    CodedCase,
    CodedResult,
    Correction,
    Discounted,
    Evidence,
    FeatureScalar,
)
from briefgen.render.html import environment
from briefgen.resources import templates_dir

TEMPLATE = "review.html.j2"

_WHY = {
    "negated": "denied in the review",
    "hypothetical": "a possibility or a duty, not a fact",
    "other_subject": "said of somebody else",
    "excluded_section": "in a section that states no facts of the case",
}


@dataclass(frozen=True)
class Item:
    """One code or feature of a case, as the analyst checks it."""

    kind: str  # "code" or "feature"
    id: str
    label: str
    theme: str  # theme id; "features" for a feature
    value: str  # what counts, in words
    present: bool | None  # for a code
    evidence: list[Evidence]
    discounted: list[tuple[Discounted, str]]
    correction: Correction | None
    line: str  # the correction line to paste

    @property
    def machine(self) -> str:
        return _words(self.correction.machine) if self.correction is not None else self.value

    @property
    def analyst(self) -> str:
        return _words(self.correction.analyst) if self.correction is not None else ""


@dataclass(frozen=True)
class CaseItems:
    case: CodedCase
    anchor: str
    verified: bool
    verify_line: str
    features: list[Item]
    codes: list[Item]


def _words(value: FeatureScalar | list[str]) -> str:
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(value) if value else "none"
    return str(value)


def _yaml(value: FeatureScalar | list[str]) -> str:
    """A value as YAML flow text (JSON is YAML): strings quoted, so any text pastes safely."""
    return json.dumps(value, ensure_ascii=False)


def _line(case: CodedCase, **fields: FeatureScalar | list[str]) -> str:
    parts = [f"case: {_yaml(case.source)}", f"sha256: {_yaml(case.sha256[:16])}"]
    parts += [f"{key}: {_yaml(value)}" for key, value in fields.items()]
    return "- {" + ", ".join(parts) + "}"


def case_items(case: CodedCase, coded: CodedResult) -> CaseItems:
    features = []
    for name in CaseFeatures.model_fields:
        feature = getattr(case.features, name)
        features.append(
            Item(
                kind="feature",
                id=name,
                label=name.replace("_", " "),
                theme="features",
                value=_words(feature.value),
                present=None,
                evidence=feature.evidence,
                discounted=[],
                correction=feature.correction,
                line=_line(case, feature=name, value=feature.value, reason=""),
            )
        )
    codes = []
    for code in coded.codebook.codes:
        result = case.codes.get(code.id)
        if result is None:
            continue
        codes.append(
            Item(
                kind="code",
                id=code.id,
                label=code.label,
                theme=code.theme,
                value="present" if result.present else "absent",
                present=result.present,
                evidence=result.evidence,
                discounted=[(d, _WHY.get(d.reason, d.reason)) for d in result.discounted],
                correction=result.correction,
                line=_line(case, code=code.id, present=not result.present, reason=""),
            )
        )
    verified = case.analyst is not None and case.analyst.verified
    return CaseItems(
        case=case,
        anchor="case-" + case.sha256[:16],
        verified=verified,
        verify_line=_line(case, verified=True),
        features=features,
        codes=codes,
    )


def render_review(coded: CodedResult) -> str:
    """The review page as one HTML document; the same coded file gives the same bytes."""
    cases = [case_items(case, coded) for case in sorted(coded.cases, key=lambda c: c.source)]
    try:
        template = environment().get_template(TEMPLATE)
        return template.render(
            coded=coded,
            cases=cases,
            themes=coded.codebook.themes,
            check=verification(coded),
            corrections=coded.corrections,
        )
    except jinja2.TemplateError as exc:
        where = f"{exc.filename}:{exc.lineno}: " if isinstance(exc, jinja2.TemplateSyntaxError) else ""
        raise TemplateError(f"{where}{exc.message or exc}", path=templates_dir() / TEMPLATE) from None
