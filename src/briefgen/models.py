"""Every model that crosses a stage boundary: what `screen` writes, what `code` writes, what `render` reads.

Each stage writes its result with `model_dump_json` and the next reads it with `model_validate_json`, so any
stage can be rerun alone and an analyst can open the file.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    """Every briefgen model: unknown fields are errors, and nothing changes after it is made."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class StrictTypes(Strict):
    """A model whose values are never coerced: in the analyst's briefing file `yes` is not a title."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


# --- documents -----------------------------------------------------------------------------------------------

PageUnit = Literal["page", "paragraph"]


class Page(Strict):
    number: int = Field(description="Page number in printed order (for Word, the paragraph index).")
    text: str = Field(description="The page's text, one line per printed line, headers and footers stripped.")


class DocumentText(Strict):
    """The text of one review as read from its file: cached by content hash."""

    sha256: str
    format: str = Field(description="pdf, docx, txt or md")
    page_unit: PageUnit = Field(description="What `page` numbers count: PDF pages, or Word paragraphs.")
    title: str
    pages: list[Page]


class Problem(StrEnum):
    """Why a document could not be read."""

    image_only = "image_only"
    encrypted = "encrypted"
    corrupt = "corrupt"
    truncated = "truncated"
    empty = "empty"
    too_large = "too_large"
    unsupported = "unsupported"


# --- screening -----------------------------------------------------------------------------------------------


class Decision(StrEnum):
    include = "include"
    exclude = "exclude"
    review = "review"


class Outcome(StrEnum):
    met = "met"
    not_met = "not_met"
    unknown = "unknown"


class Evidence(Strict):
    page: int = Field(description="Page (or Word paragraph) the quote is on.")
    quote: str = Field(description="The sentence, as it stands in the review.")
    section: str | None = Field(default=None, description="Heading of the review section the quote is in.")


class CriterionResult(Strict):
    id: str
    result: Outcome
    note: str = Field(description="Why the criterion is met, not met or unknown, in one sentence.")
    evidence: list[Evidence] = Field(default_factory=list)


class OverrideApplied(Strict):
    decision: Decision = Field(description="The analyst's decision, which replaces the machine's.")
    reason: str
    machine_decision: Decision = Field(description="What the machine decided before the override.")


class ScreenedDocument(Strict):
    source: str = Field(description="Path relative to the corpus folder, with forward slashes.")
    sha256: str
    title: str
    format: str
    page_unit: PageUnit
    page_count: int
    incident_date: str | None = Field(
        description="Date of death: YYYY-MM-DD, or YYYY-MM when only a month is given."
    )
    incident_date_evidence: list[Evidence] = Field(default_factory=list)
    decision: Decision
    criteria: list[CriterionResult]
    reasons: list[str] = Field(description="Why the decision was reached, one line each.")
    exclusion_reason: str | None = Field(
        default=None, description="Id of the first criterion that excluded it."
    )
    problem: Problem | None = None
    problem_detail: str | None = None
    override: OverrideApplied | None = None


class ScreeningCounts(Strict):
    """PRISMA-style flow: identified -> unreadable / screened -> excluded (by reason) / included / for review."""

    identified: int
    unreadable: int
    screened: int
    excluded: int
    excluded_by_reason: dict[str, int]
    included: int
    review: int
    overridden: int


class FileRef(Strict):
    path: str
    title: str
    version: str
    sha256: str


class CriterionText(Strict):
    id: str
    text: str
    exclude_text: str
    exclude_id: str | None = Field(default=None, description="The exclusion reason's id in the counts.")


class ScreeningResult(Strict):
    briefgen_version: str
    corpus: str = Field(description="The corpus folder, relative to this file's folder.")
    criteria: FileRef
    criteria_text: list[CriterionText] = Field(description="The criteria as worded, for the methodology.")
    counts: ScreeningCounts
    documents: list[ScreenedDocument]


# --- coding --------------------------------------------------------------------------------------------------

FeatureScalar = str | int | bool | None


class FeatureValue(Strict):
    value: FeatureScalar | list[str]
    evidence: list[Evidence] = Field(default_factory=list)


class Discounted(Strict):
    """A sentence that matched a code's rules but does not make it present, and why."""

    reason: Literal["negated", "hypothetical", "other_subject", "excluded_section"]
    page: int
    quote: str
    section: str | None = None


class CodeResult(Strict):
    present: bool
    evidence: list[Evidence] = Field(default_factory=list)
    discounted: list[Discounted] = Field(
        default_factory=list, description="A few matches that were set aside, so an analyst can audit them."
    )


class Recommendation(Strict):
    number: str | None
    text: str
    addressee: str | None
    page: int


class CodedCase(Strict):
    source: str
    sha256: str
    title: str
    pseudonym: str | None
    page_unit: PageUnit
    features: dict[str, FeatureValue]
    codes: dict[str, CodeResult]
    themes: dict[str, list[str]] = Field(description="Theme id -> the present codes of that theme.")
    police_recommendations: list[Recommendation]


class CodeInfo(Strict):
    id: str
    theme: str
    label: str
    definition: str


class GuidanceLink(Strict):
    title: str
    url: str


class ThemeInfo(Strict):
    id: str
    title: str
    group: str = Field(
        description="Heading the theme is shown under, e.g. 'Identification and management of risk'."
    )
    nvap_action: str | None
    nvap_title: str | None
    description: str
    reflective_questions: list[str]
    guidance: list[GuidanceLink]
    special: bool = Field(description="True for the special theme's codes (key factors), shown apart.")


class SpecialThemeInfo(Strict):
    title: str
    case_type: str | None
    key_factors: list[str] = Field(
        description="Code ids (or feature ids) shown as the special theme's factors."
    )


class CodebookSnapshot(Strict):
    """What the renderer needs of the codebook: labels and theme texts, not the rules."""

    ref: FileRef
    themes: list[ThemeInfo]
    codes: list[CodeInfo]
    special_theme: SpecialThemeInfo


class CodingSummary(Strict):
    cases: int
    code_counts: dict[str, int]
    theme_counts: dict[str, int]
    feature_counts: dict[str, dict[str, int]]


class CodedResult(Strict):
    briefgen_version: str
    screening: FileRef
    screening_counts: ScreeningCounts
    criteria_text: list[CriterionText]
    codebook: CodebookSnapshot
    cases: list[CodedCase]
    summary: CodingSummary


# --- agreement -----------------------------------------------------------------------------------------------


class CodeAgreement(Strict):
    code: str = Field(description="Code id.")
    agreement: float = Field(ge=0, le=1, description="Share of cases where machine and human agree (0 to 1).")
    kappa: float | None = Field(
        description="Cohen's kappa; null when it is undefined (one rater never varies)."
    )
    machine_present: int = Field(ge=0, description="Cases the machine coded as present.")
    human_present: int = Field(ge=0, description="Cases the human coder marked as present.")


class AgreementReport(Strict):
    """Machine against human coding of the same cases: what `render --agreement` shows in the methodology."""

    human_file: str = Field(description="The human coding file, as given.")
    cases: int = Field(ge=0, description="Cases coded by both.")
    codes: list[CodeAgreement]
    overall_agreement: float = Field(ge=0, le=1)
    overall_kappa: float | None
