"""The analyst's briefing file: titles, dates and narrative for the PDF, checked against the coded reviews."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator

from briefgen.errors import BriefingInvalid, StageInputInvalid
from briefgen.models import AgreementReport, CaseFeatures, CodedResult, StrictTypes
from briefgen.resources import templates_dir
from briefgen.yamlio import compose, line_of, load_yaml_model

DEFAULT_BRIEFING = "default-briefing.yaml"


Markdown = Annotated[
    str, Field(description="Markdown: paragraphs, lists, **bold**, *italic* and [links](url).")
]


LANGUAGE = "en-GB"


class LearningPoint(StrictTypes):
    """One learning box: what happened, and the point for the police drawn from it."""

    text: Markdown = Field(description="The context: what the reviews showed.")
    key_point: Markdown = Field(description="The learning for the police, shown in bold.")
    evidence_codes: list[str] = Field(
        default_factory=list, description="Code ids whose page-cited quotes support this point."
    )


class SpecialTheme(StrictTypes):
    theme: str | None = Field(
        default=None, description="Theme id of the special theme [default: the codebook's]."
    )
    case_type: str | None = Field(
        default=None, description="Case type the theme is about [default: the codebook's]."
    )
    title: str | None = Field(
        default=None, description="Heading [default: the codebook's special theme title]."
    )
    key_factors: list[str] | None = Field(
        default=None, description="Code or feature ids [default: the codebook's]."
    )
    narrative: Markdown = ""
    learning_points: list[LearningPoint] = Field(default_factory=list)


class Contact(StrictTypes):
    team: str
    email: str = Field(pattern=r"^[^@\s<>\"']+@[^@\s<>\"']+\.[A-Za-z]{2,}$")
    feedback_url: str | None = Field(default=None, pattern=r"^https?://\S+$")


class Methodology(StrictTypes):
    how_found: Markdown = Field(description="How the reviews were found.")
    limitations: Markdown = ""


class Briefing(StrictTypes):
    """What the analyst writes: the briefing's titles and dates and all of its narrative."""

    title: str
    subtitle: str | None = None
    series: str
    edition: int = Field(ge=1)
    release_date: Annotated[date | None, Field(strict=False)] = Field(
        default=None, description="YYYY-MM-DD; without it the briefing is marked as a draft."
    )
    publisher: str
    dedication: Markdown | None = None
    introduction: Markdown
    special_theme: SpecialTheme = Field(default_factory=SpecialTheme)
    snapshot_codes: list[str] | None = Field(
        default=None,
        description="Codes shown as recurring features [default: those present in two or more cases].",
    )
    theme_notes: dict[str, Markdown] = Field(
        default_factory=dict, description="Theme id -> the analyst's text."
    )
    replace_synthesis: list[str] = Field(
        default_factory=list,
        description="Theme ids whose note in `theme_notes` replaces the synthesis briefgen writes "
        "[default: the note comes first, then the synthesis].",
    )
    review_focus: dict[str, str] = Field(
        default_factory=dict, description="Case (file name or pseudonym) -> review focus for Appendix A."
    )
    next_steps: Markdown
    contact: Contact
    methodology: Methodology

    @field_validator("title", "series", "publisher", "introduction", "next_steps")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value


def default_briefing() -> Path:
    """The shipped generic briefing, used when the analyst gives none."""
    return templates_dir() / DEFAULT_BRIEFING


def load_briefing(path: Path) -> Briefing:
    """Read the analyst's briefing file; problems raise `BriefingInvalid` with the YAML line."""
    return load_yaml_model(path, Briefing, error=BriefingInvalid)


def check_briefing(briefing: Briefing, coded: CodedResult, *, path: Path) -> None:
    """Refuse a briefing that names codes, themes, features or cases that the coded reviews do not have."""
    codes = {code.id for code in coded.codebook.codes}
    themes = {theme.id for theme in coded.codebook.themes}
    features = set(CaseFeatures.model_fields)
    cases = {case.source for case in coded.cases} | {case.pseudonym for case in coded.cases if case.pseudonym}
    problems: list[tuple[tuple[str | int, ...], str]] = []
    special = briefing.special_theme
    if special.theme is not None and special.theme not in themes:
        problems.append((("special_theme", "theme"), f"{special.theme!r} is not a theme of the codebook"))
    case_types = _case_types(coded)
    if special.case_type is not None and special.case_type not in case_types:
        problems.append(
            (
                ("special_theme", "case_type"),
                f"{special.case_type!r} is not a case type of the codebook ({', '.join(case_types)})",
            )
        )
    for i, factor in enumerate(special.key_factors or []):
        if factor not in codes | features:
            problems.append(
                (("special_theme", "key_factors", i), f"{factor!r} is neither a code nor a feature")
            )
    for i, point in enumerate(special.learning_points):
        for j, code in enumerate(point.evidence_codes):
            if code not in codes:
                problems.append(
                    (
                        ("special_theme", "learning_points", i, "evidence_codes", j),
                        f"{code!r} is not a code of the codebook",
                    )
                )
    for i, code in enumerate(briefing.snapshot_codes or []):
        if code not in codes:
            problems.append((("snapshot_codes", i), f"{code!r} is not a code of the codebook"))
    for theme in briefing.theme_notes:
        if theme not in themes:
            problems.append((("theme_notes", theme), f"{theme!r} is not a theme of the codebook"))
    for i, theme in enumerate(briefing.replace_synthesis):
        if theme not in briefing.theme_notes:
            problems.append((("replace_synthesis", i), f"{theme!r} has no note in theme_notes to replace it"))
    for case in briefing.review_focus:
        if case not in cases:
            problems.append(
                (("review_focus", case), f"{case!r} is not a coded case (file name or pseudonym)")
            )
    if problems:
        loc, message = problems[0]
        line = line_of(compose(path), loc)
        where = ".".join(str(part) for part in loc)
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise BriefingInvalid(f"{f'line {line}: ' if line else ''}{where}: {message}{more}", path=path)


def _case_types(coded: CodedResult) -> list[str]:
    """The codebook's case types; for a file coded before they were recorded, those its cases have."""
    if coded.codebook.case_types:
        return coded.codebook.case_types
    found = [coded.codebook.special_theme.case_type] + [
        value for case in coded.cases if isinstance(value := case.features.case_type.value, str)
    ]
    return sorted({value for value in found if value is not None})


def check_agreement(agreement: AgreementReport, coded: CodedResult, *, path: Path | None) -> None:
    """Refuse an agreement report made for other cases: its figures would describe reviews this briefing does
    not have. A review counts as the same case when its content is (its sha256)."""
    coded_hashes = {case.sha256 for case in coded.cases}
    missing = [case for case in agreement.covered if case.sha256 not in coded_hashes]
    if missing:
        names = ", ".join(case.source for case in missing[:3]) + (", ..." if len(missing) > 3 else "")
        raise StageInputInvalid(
            f"is for other cases: {len(missing)} of its {len(agreement.covered)} cases "
            f"{'is' if len(missing) == 1 else 'are'} not in the coded file ({names}); "
            "run `briefgen agree` on the coded file you render",
            path=path,
        )
