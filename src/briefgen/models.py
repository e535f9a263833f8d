"""Every model that crosses a stage boundary: what `screen` writes, what `code` writes, what `render` reads.

Each stage writes its result with `model_dump_json` and the next reads it with `model_validate_json`, so any
stage can be rerun alone and an analyst can open the file.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    model_serializer,
    model_validator,
)


class Strict(BaseModel):
    """Every briefgen model: unknown fields are errors, and nothing changes after it is made."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class OmitsUnset(Strict):
    """A model whose newer optional fields are left out of its JSON while they are None, so a file written
    before they existed (an uncorrected case, evidence without offsets) keeps the same bytes."""

    _omit_when_none: ClassVar[tuple[str, ...]] = ()

    @model_serializer(mode="wrap")
    def _omit_unset(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        if isinstance(data, dict):
            for name in self._omit_when_none:
                if data.get(name, 0) is None:
                    del data[name]
        return data


class StrictTypes(Strict):
    """A model whose values are never coerced: in the analyst's briefing file `yes` is not a title."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


# --- documents -----------------------------------------------------------------------------------------------

PageUnit = Literal["page", "paragraph"]


class Page(Strict):
    number: int = Field(description="Page number in printed order (for Word, the paragraph index).")
    text: str = Field(description="The page's text, one line per printed line, headers and footers stripped.")
    heading_level: int | None = Field(
        default=None,
        ge=1,
        le=9,
        description="Word only: the paragraph is a heading at this level (its style is Title or Heading n).",
    )
    contents_entry: bool = Field(
        default=False,
        description="Word only: the paragraph is an entry of a table of contents (a TOC n style).",
    )

    ocr: bool | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="True when the text was read from the page's image by OCR (absent otherwise).",
    )

    @model_serializer(mode="wrap")
    def _omit_unset_structure(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """A page that says nothing of its structure (every PDF page) is written as before: number and text."""
        data: dict[str, Any] = handler(self)
        if self.heading_level is None:
            data.pop("heading_level", None)
        if not self.contents_entry:
            data.pop("contents_entry", None)
        return data


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


class Evidence(OmitsUnset):
    page: int = Field(description="Page (or Word paragraph) the quote is on.")
    quote: str = Field(description="The sentence, as it stands in the review.")
    section: str | None = Field(default=None, description="Heading of the review section the quote is in.")
    start: int | None = Field(
        default=None, ge=0, description="Where the quote starts in the page's text (a character offset)."
    )
    end: int | None = Field(default=None, ge=0, description="Where the quote ends in the page's text.")

    _omit_when_none = ("start", "end")


class CriterionResult(Strict):
    id: str
    result: Outcome
    note: str = Field(description="Why the criterion is met, not met or unknown, in one sentence.")
    evidence: list[Evidence] = Field(default_factory=list)


class OverrideApplied(Strict):
    decision: Decision = Field(description="The analyst's decision, which replaces the machine's.")
    reason: str
    machine_decision: Decision = Field(description="What the machine decided before the override.")


DocumentForm = Literal["report", "summary", "action_plan", "letter", "derivative"]
CaseRole = Literal["lead", "member"]


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
    document_type: str | None = Field(
        default=None,
        description="The kind of document it names itself (a lexicon document_types id), if any.",
    )
    document_form: DocumentForm | None = Field(
        default=None,
        description="report, summary (an executive summary), action_plan, letter, or derivative (a learning brief, "
        "newsletter, press release or other document drawn from a review, not the review itself).",
    )
    pseudonym: str | None = Field(default=None, description="The name the review gives the victim, if found.")
    case_group: str | None = Field(
        default=None, description="The case this document reports: documents of one case share this id."
    )
    case_role: CaseRole | None = Field(
        default=None,
        description="lead: the document that stands for its case (coded and counted); member: another document "
        "of the same case (a summary, action plan, letter or copy), not coded apart.",
    )
    decision: Decision
    criteria: list[CriterionResult]
    reasons: list[str] = Field(description="Why the decision was reached, one line each.")
    exclusion_reason: str | None = Field(
        default=None, description="Id of the first criterion that excluded it."
    )
    problem: Problem | None = None
    problem_detail: str | None = None
    override: OverrideApplied | None = None
    ocr: bool | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="True when the text was read by OCR from a scan (absent otherwise).",
    )


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
    cases: int | None = Field(
        default=None,
        description="Cases the documents report: several documents of one case (an overview report, its "
        "summary, a copy) count once. Null in files screened before cases were grouped.",
    )
    included_cases: int | None = Field(
        default=None, description="Cases whose lead document is included: the cases coded."
    )


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


class Correction(Strict):
    """An analyst's correction of one code or feature: the machine's value, the analyst's, and which counts."""

    machine: FeatureScalar | list[str] = Field(description="What the machine found (for a code: present).")
    analyst: FeatureScalar | list[str] = Field(description="What the analyst says.")
    reason: str
    counts: Literal["analyst", "machine"] = Field(
        description="Which value the case uses: the machine's only when the correction is stale (the review "
        "changed since the analyst checked it)."
    )
    line: int | None = Field(default=None, description="The correction's line in the corrections file.")


class Feature(OmitsUnset):
    """One feature of a case: its value, and the sentences of the review that give it."""

    value: FeatureScalar | list[str] = Field(
        description="The value that counts (the analyst's if corrected)."
    )
    evidence: list[Evidence] = Field(default_factory=list)
    correction: Correction | None = Field(default=None, description="The analyst's correction, if any.")

    _omit_when_none = ("correction",)


class CaseFeatures(Strict):
    """The features of one case, each with its evidence. Values follow codebook-requirements: genders are
    female / male / unknown; relationship is the perpetrator's to the victim; dates are ISO (YYYY-MM-DD, or
    YYYY-MM when the review gives only a month)."""

    incident_date: Feature = Field(description="Date of death.")
    victim_gender: Feature = Field(description="female, male or unknown.")
    perpetrator_gender: Feature = Field(description="female, male or unknown.")
    victim_age: Feature = Field(description="The victim's age in years at death.")
    relationship: Feature = Field(
        description="Perpetrator to victim: partner, ex_partner, family_member, household_member, other, unknown."
    )
    cohabiting: Feature = Field(description="Whether they lived together at the time of the death.")
    death_type: Feature = Field(description="homicide, suicide or other.")
    police_forces: Feature = Field(description="Forces in contact before the death (canonical names).")
    first_police_contact: Feature = Field(
        description="Date of the first police contact about abuse in this relationship."
    )
    days_first_contact_to_death: Feature = Field(description="Whole days from that contact to the death.")
    case_type: Feature = Field(
        description="By the codebook's rule: rapidly_escalating or long_term by default."
    )

    def values(self) -> dict[str, FeatureScalar | list[str]]:
        """Each feature's value by name, in the order of the fields."""
        return {name: getattr(self, name).value for name in type(self).model_fields}

    def get(self, name: str) -> Feature | None:
        """A feature by its name, or None for a name that is not a feature."""
        return getattr(self, name) if name in type(self).model_fields else None


class Discounted(Strict):
    """A sentence that matched a code's rules but does not make it present, and why."""

    reason: Literal["negated", "hypothetical", "other_subject", "excluded_section"]
    page: int
    quote: str
    section: str | None = None


class CodeResult(OmitsUnset):
    present: bool = Field(description="Whether the code counts as present (the analyst's say if corrected).")
    evidence: list[Evidence] = Field(default_factory=list)
    discounted: list[Discounted] = Field(
        default_factory=list, description="A few matches that were set aside, so an analyst can audit them."
    )
    correction: Correction | None = Field(default=None, description="The analyst's correction, if any.")

    _omit_when_none = ("correction",)

    @property
    def machine_present(self) -> bool:
        """What the machine found, whatever the analyst says."""
        return bool(self.correction.machine) if self.correction is not None else self.present


class CaseFact(Strict):
    """A quantity a review states about its case ('Of the 22 call-outs, nine had no DASH'), with its sentence."""

    value: int = Field(ge=0, description="The number the review gives.")
    evidence: Evidence


class Recommendation(Strict):
    number: str | None
    text: str
    addressee: str | None
    page: int


class CaseReview(Strict):
    """What the analyst has said of a case as a whole."""

    verified: bool = Field(description="Every code and feature of the case has been checked by the analyst.")
    note: str | None = Field(default=None, description="The analyst's reason or note, if any.")
    stale: list[str] = Field(
        default_factory=list,
        description="Corrections not applied because the review changed since the analyst checked it.",
    )


class CodedCase(OmitsUnset):
    source: str
    sha256: str
    title: str
    pseudonym: str | None
    page_unit: PageUnit
    features: CaseFeatures
    codes: dict[str, CodeResult]
    themes: dict[str, list[str]] = Field(description="Theme id -> the present codes of that theme.")
    police_recommendations: list[Recommendation]
    facts: dict[str, CaseFact] = Field(
        default_factory=dict,
        description="Fact id (the codebook's `facts`) -> the quantity the review states; absent when not stated.",
    )
    analyst: CaseReview | None = Field(
        default=None, description="The analyst's verification of the case, when the corrections file has any."
    )

    _omit_when_none = ("analyst",)


Polarity = Literal["failing", "good_practice", "neutral"]


class CodeInfo(Strict):
    id: str
    theme: str
    label: str
    definition: str
    polarity: Polarity = Field(
        default="failing",
        description="failing (practice fell short), good_practice, or neutral (a feature of the case).",
    )


class FactInfo(Strict):
    id: str
    theme: str
    label: str


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
    case_types: list[str] = Field(
        default_factory=list,
        description="Every case type the codebook can give (its rules' values, then the default); "
        "empty in files coded before it was recorded.",
    )
    facts: list[FactInfo] = Field(
        default_factory=list, description="The quantities coding looks for (the codebook's `facts`)."
    )


class CodingSummary(Strict):
    cases: int
    code_counts: dict[str, int]
    theme_counts: dict[str, int]
    feature_counts: dict[str, dict[str, int]]


class NotCoded(Strict):
    """An included review that could not be coded (its file cannot be read, or it changed since screening)."""

    source: str
    sha256: str
    reason: str = Field(description="Why it could not be coded, in one line.")


class CorrectionsRef(Strict):
    path: str = Field(description="The corrections file, relative to the coded file's folder.")
    sha256: str


class CodedResult(OmitsUnset):
    briefgen_version: str
    screening: FileRef
    screening_counts: ScreeningCounts
    criteria_text: list[CriterionText]
    codebook: CodebookSnapshot
    cases: list[CodedCase]
    not_coded: list[NotCoded] = Field(
        default_factory=list, description="Included reviews that could not be coded, and why; not counted."
    )
    summary: CodingSummary
    corrections: CorrectionsRef | None = Field(
        default=None, description="The analyst's corrections file applied to these cases, if any."
    )

    _omit_when_none = ("corrections",)


# --- agreement -----------------------------------------------------------------------------------------------


class CodeAgreement(Strict):
    code: str = Field(description="Code id.")
    agreement: float = Field(ge=0, le=1, description="Share of cases where machine and human agree (0 to 1).")
    kappa: float | None = Field(
        description="Cohen's kappa; null when it is undefined (one rater never varies)."
    )
    machine_present: int = Field(ge=0, description="Cases the machine coded as present.")
    human_present: int = Field(ge=0, description="Cases the human coder marked as present.")


class AgreedCase(Strict):
    source: str = Field(description="The review's path, as in the coded file.")
    sha256: str


class AgreementReport(Strict):
    """Machine against human coding of the same cases: what `render --agreement` shows in the methodology."""

    human_file: str = Field(description="The human coding file, as given.")
    cases: int = Field(ge=0, description="Cases coded by both.")
    covered: list[AgreedCase] = Field(
        description="The cases coded by both; `render --agreement` refuses a coded file without them all."
    )
    codes: list[CodeAgreement]
    overall_agreement: float = Field(ge=0, le=1)
    overall_kappa: float | None

    @model_validator(mode="after")
    def _cases_are_listed(self) -> AgreementReport:
        if self.cases != len(self.covered):
            raise ValueError(f"cases is {self.cases} but covered lists {len(self.covered)}")
        return self


# --- verification --------------------------------------------------------------------------------------------


class ThemeVerification(Strict):
    theme: str
    title: str
    agreement: float | None = Field(
        description="Share of (case, code) pairs where machine and analyst agree."
    )
    kappa: float | None = Field(description="Cohen's kappa; null when undefined (one side never varies).")
    pairs: int = Field(ge=0, description="(verified case, code) pairs of this theme.")


class Verification(Strict):
    """What the analyst verified and corrected, and the machine's agreement with them on verified cases."""

    cases: int = Field(ge=0)
    verified: int = Field(ge=0, description="Cases the analyst marked as verified (and not stale).")
    unverified: list[str] = Field(description="Sources of the cases not verified yet.")
    codes_corrected: int = Field(ge=0, description="Machine codes the analyst changed.")
    features_corrected: int = Field(ge=0, description="Machine feature values the analyst changed.")
    stale: int = Field(ge=0, description="Corrections not applied: the review changed since it was checked.")
    agreement: float | None
    kappa: float | None
    themes: list[ThemeVerification]
