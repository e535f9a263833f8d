"""Render: the briefing as HTML and PDF, from the coded reviews (`coded.json`) and the analyst's briefing.

`build_view` computes every figure from the coded cases; the templates hold all the wording; `render_html` is
pure and gives the same bytes for the same inputs; `write_pdf` turns the HTML into a tagged PDF/UA file with
WeasyPrint, which may read nothing but the files of the templates folder.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import mimetypes
import os
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit
from urllib.request import url2pathname

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup
from pydantic import BaseModel, ConfigDict, Field, field_validator

from briefgen import charts
from briefgen.errors import BriefingInvalid, OutputError, TemplateError
from briefgen.ingest import write_atomic
from briefgen.models import (
    AgreementReport,
    CodedCase,
    CodedResult,
    CodeInfo,
    CriterionText,
    Evidence,
    FeatureScalar,
    FileRef,
    ScreeningCounts,
    ThemeInfo,
)
from briefgen.resources import templates_dir
from briefgen.yamlio import compose, line_of, load_yaml_model

TEMPLATE = "briefing.html.j2"
DEFAULT_BRIEFING = "default-briefing.yaml"
LANGUAGE = "en-GB"
PDF_VARIANT = "pdf/ua-1"

# --- the briefing file --------------------------------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


Markdown = Annotated[
    str, Field(description="Markdown: paragraphs, lists, **bold**, *italic* and [links](url).")
]


class LearningPoint(_Model):
    """One learning box: what happened, and the point for the police drawn from it."""

    text: Markdown = Field(description="The context: what the reviews showed.")
    key_point: Markdown = Field(description="The learning for the police, shown in bold.")
    evidence_codes: list[str] = Field(
        default_factory=list, description="Code ids whose page-cited quotes support this point."
    )


class SpecialTheme(_Model):
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


class Contact(_Model):
    team: str
    email: str = Field(pattern=r"^[^@\s<>\"']+@[^@\s<>\"']+\.[A-Za-z]{2,}$")
    feedback_url: str | None = Field(default=None, pattern=r"^https?://\S+$")


class Methodology(_Model):
    how_found: Markdown = Field(description="How the reviews were found.")
    limitations: Markdown = ""


class Briefing(_Model):
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
    features = {name for case in coded.cases for name in case.features}
    cases = {case.source for case in coded.cases} | {case.pseudonym for case in coded.cases if case.pseudonym}
    problems: list[tuple[tuple[str | int, ...], str]] = []
    special = briefing.special_theme
    if special.theme is not None and special.theme not in themes:
        problems.append((("special_theme", "theme"), f"{special.theme!r} is not a theme of the codebook"))
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


# --- the view: every figure the templates show --------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    """How many of `total` cases have a value or a code."""

    key: str
    label: str
    count: int
    total: int

    @property
    def percent(self) -> int:
        return _percent(self.count, self.total)


@dataclass(frozen=True)
class Quote:
    """A sentence from a review, with where it is: shown as '(Leah, p. 14)'."""

    text: str
    case: str
    page: int
    page_unit: str
    code: str
    code_label: str


@dataclass(frozen=True)
class CaseView:
    source: str
    title: str
    name: str
    page_unit: str
    features: dict[str, FeatureScalar | list[str]]
    forces: list[str]
    themes: list[ThemeInfo]
    codes: list[str]
    focus: str | None
    special: bool


@dataclass(frozen=True)
class Perpetration:
    """Homicides by perpetrators of one gender and relationship to the victim."""

    gender: str
    relationship: str
    count: int


@dataclass(frozen=True)
class Snapshot:
    cases: int
    forces: list[Tally]
    cases_without_force: int
    case_types: list[Tally]
    death_types: list[Tally]
    victim_genders: list[Tally]
    homicides: int
    perpetrators: list[Perpetration]
    suicides: list[CaseView]
    ages: list[int]
    recurring: list[Tally]


@dataclass(frozen=True)
class FactorValue:
    case: str
    value: FeatureScalar | list[str]


@dataclass(frozen=True)
class KeyFactor:
    """A key factor of the special theme: a code (how many cases have it) or a feature (each case's value)."""

    id: str
    kind: Literal["code", "feature"]
    label: str
    count: int
    total: int
    values: list[FactorValue]
    quotes: list[Quote]


@dataclass(frozen=True)
class LearningView:
    text: str
    key_point: str
    quotes: list[Quote]


@dataclass(frozen=True)
class SpecialView:
    title: str
    theme: ThemeInfo | None
    case_type: str | None
    cases: list[CaseView]
    total: int
    factors: list[KeyFactor]
    narrative: str
    learning: list[LearningView]


@dataclass(frozen=True)
class ThemeView:
    info: ThemeInfo
    cases: int
    total: int
    findings: list[Tally]
    quotes: list[Quote]
    note: str


@dataclass(frozen=True)
class GroupView:
    title: str
    themes: list[ThemeView]


@dataclass(frozen=True)
class AgreementRow:
    code: str
    label: str
    agreement: float
    kappa: float | None
    machine_present: int
    human_present: int


@dataclass(frozen=True)
class AgreementView:
    human_file: str
    cases: int
    rows: list[AgreementRow]
    overall_agreement: float
    overall_kappa: float | None


@dataclass(frozen=True)
class MethodologyView:
    counts: ScreeningCounts
    criteria: list[CriterionText]
    codebook: FileRef
    briefgen_version: str
    agreement: AgreementView | None


@dataclass(frozen=True)
class BriefingView:
    briefing: Briefing
    language: str
    snapshot: Snapshot
    special: SpecialView
    groups: list[GroupView]
    other: list[ThemeView]
    cases: list[CaseView]
    methodology: MethodologyView
    codes: dict[str, CodeInfo]
    new_cases: tuple[str, ...] = ()  # sources new since the last edition, marked in Appendix A


def _percent(count: int, total: int) -> int:
    """Whole percent, halves rounded up (not to even), so 2 of 8 is 25% and 1 of 8 is 13%."""
    return (200 * count + total) // (2 * total) if total else 0


def _scalar(case: CodedCase, name: str) -> FeatureScalar | list[str]:
    feature = case.features.get(name)
    return feature.value if feature is not None else None


def _forces(case: CodedCase) -> list[str]:
    value = _scalar(case, "police_forces")
    if isinstance(value, list):
        return sorted(value)
    return [value] if isinstance(value, str) and value else []


def _has(case: CodedCase, code: str) -> bool:
    result = case.codes.get(code)
    return result is not None and result.present


def _evidence(case: CodedCase, code: str) -> list[Evidence]:
    result = case.codes.get(code)
    return list(result.evidence) if result is not None and result.present else []


def _case_view(case: CodedCase, coded: CodedResult, briefing: Briefing, special_type: str | None) -> CaseView:
    codes = [code for code in coded.codebook.codes if _has(case, code.id)]
    present_themes = {code.theme for code in codes}
    # The special theme is a kind of case, said in the review focus; its codes alone do not make a case one.
    themes = [theme for theme in coded.codebook.themes if theme.id in present_themes and not theme.special]
    name = case.pseudonym or case.title
    focus = briefing.review_focus.get(case.source) or (
        briefing.review_focus.get(case.pseudonym) if case.pseudonym else None
    )
    return CaseView(
        source=case.source,
        title=case.title,
        name=name,
        page_unit=case.page_unit,
        features={key: value.value for key, value in sorted(case.features.items())},
        forces=_forces(case),
        themes=themes,
        codes=[code.id for code in codes],
        focus=focus,
        special=special_type is not None and _scalar(case, "case_type") == special_type,
    )


def _tallies(values: Iterable[str], total: int) -> list[Tally]:
    """Counts of each value, largest first, ties in name order."""
    counts = Counter(values)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [Tally(key, key, count, total) for key, count in ordered]


def _text(value: FeatureScalar | list[str], default: str = "unknown") -> str:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _quotes(
    codes: Sequence[str],
    cases: Sequence[CodedCase],
    labels: dict[str, CodeInfo],
    *,
    limit: int,
    shown: Iterable[Quote] = (),
) -> list[Quote]:
    """Up to `limit` page-cited quotes for `codes`: each code in turn, spread over as many cases as can be."""
    candidates: list[tuple[str, CodedCase, Evidence]] = []
    for code in codes:
        found = [(case, _evidence(case, code)) for case in cases]
        for rank in range(max((len(items) for _, items in found), default=0)):
            candidates += [(code, case, items[rank]) for case, items in found if rank < len(items)]
    chosen: list[int] = []
    used_cases: set[str] = set()
    used_codes: set[str] = set()
    seen: set[str] = {quote.text for quote in shown}  # quotes already on the page are not repeated
    # First a new code from a new case; then relax step by step, so that a short list still fills up.
    for strict_case, strict_code in ((True, True), (True, False), (False, True), (False, False)):
        for index, (code, case, evidence) in enumerate(candidates):
            if len(chosen) >= limit:
                break
            if evidence.quote in seen:
                continue
            if (strict_case and case.source in used_cases) or (strict_code and code in used_codes):
                continue
            chosen.append(index)
            used_cases.add(case.source)
            used_codes.add(code)
            seen.add(evidence.quote)
    return [
        Quote(
            text=evidence.quote,
            case=case.pseudonym or case.title,
            page=evidence.page,
            page_unit=case.page_unit,
            code=code,
            code_label=labels[code].label if code in labels else code,
        )
        for code, case, evidence in (candidates[index] for index in sorted(chosen))
    ]


def _snapshot(
    coded: CodedResult, briefing: Briefing, views: list[CaseView], labels: dict[str, CodeInfo]
) -> Snapshot:
    cases = coded.cases
    total = len(cases)
    forces = _tallies((force for view in views for force in view.forces), total)
    homicide_cases = [case for case in cases if _scalar(case, "death_type") == "homicide"]
    perpetrators = Counter(
        (_text(_scalar(case, "perpetrator_gender")), _text(_scalar(case, "relationship")))
        for case in homicide_cases
    )
    ages = sorted(
        v for case in cases if isinstance(v := _scalar(case, "victim_age"), int) and not isinstance(v, bool)
    )
    if briefing.snapshot_codes is not None:
        wanted = [code for code in briefing.snapshot_codes if code in labels]
        counts = {code: sum(1 for view in views if code in view.codes) for code in wanted}
        recurring = [Tally(code, labels[code].label, counts[code], total) for code in wanted]
    else:
        counts = Counter(code for view in views for code in view.codes)
        order = {code.id: index for index, code in enumerate(coded.codebook.codes)}
        ranked = sorted((c for c, n in counts.items() if n >= 2), key=lambda c: (-counts[c], order.get(c, 0)))
        recurring = [
            Tally(code, labels[code].label, counts[code], total) for code in ranked[:8] if code in labels
        ]
    return Snapshot(
        cases=total,
        forces=forces,
        cases_without_force=sum(1 for view in views if not view.forces),
        case_types=_tallies((_text(_scalar(case, "case_type")) for case in cases), total),
        death_types=_tallies((_text(_scalar(case, "death_type")) for case in cases), total),
        victim_genders=_tallies((_text(_scalar(case, "victim_gender")) for case in cases), total),
        homicides=len(homicide_cases),
        perpetrators=[
            Perpetration(gender, relationship, count)
            for (gender, relationship), count in sorted(
                perpetrators.items(), key=lambda item: (-item[1], item[0])
            )
        ],
        suicides=[view for view in views if view.features.get("death_type") == "suicide"],
        ages=ages,
        recurring=recurring,
    )


def _special(
    coded: CodedResult, briefing: Briefing, views: list[CaseView], labels: dict[str, CodeInfo]
) -> SpecialView:
    choice = briefing.special_theme
    codebook = coded.codebook
    themes = {theme.id: theme for theme in codebook.themes}
    theme = (
        themes.get(choice.theme) if choice.theme else next((t for t in codebook.themes if t.special), None)
    )
    case_type = choice.case_type or codebook.special_theme.case_type
    theme_codes = [code.id for code in codebook.codes if theme is not None and code.theme == theme.id]
    if case_type is not None:
        chosen = [case for case in coded.cases if _scalar(case, "case_type") == case_type]
    else:
        chosen = [case for case in coded.cases if any(_has(case, code) for code in theme_codes)]
    names = {case.source for case in chosen}
    chosen_views = [view for view in views if view.source in names]
    factors = []
    for factor in (
        choice.key_factors if choice.key_factors is not None else codebook.special_theme.key_factors
    ):
        values = [FactorValue(case.pseudonym or case.title, _scalar(case, factor)) for case in chosen]
        if factor in labels:
            count = sum(1 for case in chosen if _has(case, factor))
            quotes = _quotes([factor], chosen, labels, limit=2)
            factors.append(
                KeyFactor(factor, "code", labels[factor].label, count, len(chosen), values, quotes)
            )
        elif any(factor in case.features for case in coded.cases):
            known = sum(1 for value in values if value.value is not None)
            factors.append(KeyFactor(factor, "feature", factor, known, len(chosen), values, []))
    learning = []
    for point in choice.learning_points:
        codes = [code for code in point.evidence_codes if code in labels]
        shown = [quote for factor in factors for quote in factor.quotes]
        # One quote per learning point: the key factors above already quote the cases at length.
        quotes = (
            _quotes(codes, chosen, labels, limit=1, shown=shown)
            or _quotes(codes, coded.cases, labels, limit=1, shown=shown)
            or _quotes(codes, chosen, labels, limit=1)
        )
        learning.append(LearningView(point.text, point.key_point, quotes))
    return SpecialView(
        title=choice.title or codebook.special_theme.title,
        theme=theme,
        case_type=case_type,
        cases=chosen_views,
        total=len(coded.cases),
        factors=factors,
        narrative=choice.narrative,
        learning=learning,
    )


def _theme_view(
    theme: ThemeInfo, coded: CodedResult, briefing: Briefing, labels: dict[str, CodeInfo]
) -> ThemeView:
    total = len(coded.cases)
    codes = [code for code in coded.codebook.codes if code.theme == theme.id]
    findings = [
        Tally(code.id, code.label, sum(1 for case in coded.cases if _has(case, code.id)), total)
        for code in codes
    ]
    ranked = [f.key for f in sorted(findings, key=lambda f: -f.count) if f.count]
    with_theme = sum(1 for case in coded.cases if any(_has(case, code.id) for code in codes))
    return ThemeView(
        info=theme,
        cases=with_theme,
        total=total,
        findings=findings,
        quotes=_quotes(ranked, coded.cases, labels, limit=3),
        note=briefing.theme_notes.get(theme.id, ""),
    )


def build_view(
    coded: CodedResult,
    briefing: Briefing,
    *,
    agreement: AgreementReport | None = None,
    new_cases: Sequence[str] = (),
) -> BriefingView:
    """Every figure and quote of the briefing, computed from the coded cases; no wording."""
    labels = {code.id: code for code in coded.codebook.codes}
    cases = sorted(coded.cases, key=lambda case: case.source)
    coded = coded.model_copy(update={"cases": cases})
    special_type = briefing.special_theme.case_type or coded.codebook.special_theme.case_type
    views = [_case_view(case, coded, briefing, special_type) for case in cases]
    special = _special(coded, briefing, views, labels)
    groups: list[GroupView] = []
    other: list[ThemeView] = []
    for theme in coded.codebook.themes:
        if theme.special or (special.theme is not None and theme.id == special.theme.id):
            continue
        view = _theme_view(theme, coded, briefing, labels)
        if theme.nvap_action is None and not theme.reflective_questions:
            other.append(view)
            continue
        group = next((g for g in groups if g.title == theme.group), None)
        if group is None:
            group = GroupView(theme.group, [])
            groups.append(group)
        group.themes.append(view)
    agreement_view = None
    if agreement is not None:
        agreement_view = AgreementView(
            human_file=agreement.human_file,
            cases=agreement.cases,
            rows=[
                AgreementRow(
                    row.code,
                    labels[row.code].label if row.code in labels else row.code,
                    row.agreement,
                    row.kappa,
                    row.machine_present,
                    row.human_present,
                )
                for row in agreement.codes
            ],
            overall_agreement=agreement.overall_agreement,
            overall_kappa=agreement.overall_kappa,
        )
    return BriefingView(
        briefing=briefing,
        language=LANGUAGE,
        snapshot=_snapshot(coded, briefing, views, labels),
        special=special,
        groups=groups,
        other=other,
        cases=views,
        methodology=MethodologyView(
            counts=coded.screening_counts,
            criteria=coded.criteria_text,
            codebook=coded.codebook.ref,
            briefgen_version=coded.briefgen_version,
            agreement=agreement_view,
        ),
        codes=labels,
        new_cases=tuple(new_cases),
    )


# --- HTML ---------------------------------------------------------------------------------------------------

_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_TEENS = (
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
)
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def number_words(value: int, start: bool = False) -> str:
    """Numbers below ten as words, as in print ('nine'), larger ones as digits; at the start of a sentence,
    every number below a hundred in words and capitalised ('Sixteen')."""
    if not start:
        return _NUMBER_WORDS[value] if 0 <= value < len(_NUMBER_WORDS) else str(value)
    if 0 <= value < 10:
        text = _NUMBER_WORDS[value]
    elif 10 <= value < 20:
        text = _TEENS[value - 10]
    elif 20 <= value < 100:
        text = _TENS[value // 10] + (f"-{_NUMBER_WORDS[value % 10]}" if value % 10 else "")
    else:
        text = str(value)
    return upper_first(text)


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def safe_href(url: str) -> str:
    """A link target from a codebook or briefing: web and e-mail links only, anything else goes nowhere."""
    return url if urlsplit(url).scheme.lower() in ("http", "https", "mailto") else "#"


def pairs(items: Iterable[Any], first: str, second: str) -> list[tuple[Any, Any]]:
    """(item.first, item.second) for each item: the data of a chart."""
    return [(getattr(item, first), getattr(item, second)) for item in items]


def long_date(value: date) -> str:
    """'30 November 2026', the same whatever the locale."""
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


@functools.cache
def _markdown() -> MarkdownIt:
    # Raw HTML in the analyst's text is escaped, not passed through; images are not fetched.
    return (
        MarkdownIt("commonmark", {"html": False, "typographer": True})
        .enable(["replacements", "smartquotes"])
        .disable("image")
    )


def markdown_block(text: str | None) -> Markup:
    return Markup(_markdown().render(text or ""))


def markdown_inline(text: str | None) -> Markup:
    return Markup(_markdown().renderInline(text or ""))


@functools.cache
def environment() -> jinja2.Environment:
    """The one Jinja environment: the templates folder, autoescaping on, and undefined names are errors."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        md=markdown_block,
        md_inline=markdown_inline,
        words=number_words,
        upper_first=upper_first,
        long_date=long_date,
        percent=_percent,
        pairs=pairs,
        href=safe_href,
    )
    env.globals.update(
        bar_chart=charts.bar_chart,
        donut_chart=charts.donut_chart,
        flow_diagram=charts.flow_diagram,
    )
    return env


def render_html(
    coded: CodedResult,
    briefing: Briefing,
    *,
    agreement: AgreementReport | None = None,
    new_cases: Sequence[str] = (),
) -> str:
    """The briefing as one self-contained HTML document; the same inputs give the same bytes.
    `new_cases` (sources new since the last edition) are marked "New" in Appendix A."""
    view = build_view(coded, briefing, agreement=agreement, new_cases=new_cases)
    try:
        template = environment().get_template(TEMPLATE)
        return template.render(view=view, b=briefing, generator="briefgen")
    except jinja2.TemplateError as exc:
        where = f"{exc.filename}:{exc.lineno}: " if isinstance(exc, jinja2.TemplateSyntaxError) else ""
        raise TemplateError(f"{where}{exc.message or exc}", path=templates_dir() / TEMPLATE) from None


# --- PDF ----------------------------------------------------------------------------------------------------


def _weasyprint() -> Any:
    """WeasyPrint, imported on first use (it is slow to import and only the PDF needs it)."""
    with warnings.catch_warnings():
        # Without libharfbuzz-subset WeasyPrint warns at import that it will need it one day, and subsets
        # fonts with fontTools instead; the PDF is the same, and the warning is not for the analyst.
        warnings.filterwarnings("ignore", message="HarfBuzz-Subset", category=DeprecationWarning)
        import weasyprint
        import weasyprint.urls
    return weasyprint


def _fetcher_class() -> Any:
    urls = _weasyprint().urls
    URLFetcher, URLFetcherResponse = urls.URLFetcher, urls.URLFetcherResponse

    class TemplatesOnlyFetcher(URLFetcher):  # type: ignore[misc,valid-type]
        """Serves files from the templates folder and refuses everything else: no network, no other files."""

        def __init__(self, root: Path) -> None:
            super().__init__(allowed_protocols=("file",), allow_redirects=False)
            self.root = root.resolve()

        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
                raise ValueError(f"briefgen does not fetch {url[:80]!r}: only files of the templates folder")
            path = Path(url2pathname(parts.path)).resolve()
            if not path.is_relative_to(self.root) or not path.is_file():
                raise ValueError(
                    f"briefgen does not read {str(path)[:80]!r}: only files of the templates folder"
                )
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": mime})

    return TemplatesOnlyFetcher


def url_fetcher(root: Path | None = None) -> Any:
    """A WeasyPrint URL fetcher that reads only files under `root` (the templates folder)."""
    return _fetcher_class()(root or templates_dir())


@contextmanager
def _reproducible(created: date | None) -> Iterator[None]:
    """Quiet WeasyPrint's warnings, and date embedded fonts by the release date instead of the clock.

    WeasyPrint's warnings (a missing optional library, say) are not for the analyst; its errors still show.
    The font subsetter stamps each font with the current time unless SOURCE_DATE_EPOCH is set.
    """
    logger = logging.getLogger("weasyprint")
    level = logger.level
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    logger.setLevel(max(level, logging.ERROR))
    when = datetime.combine(created or date(2000, 1, 1), time(), tzinfo=UTC)
    os.environ["SOURCE_DATE_EPOCH"] = str(int(when.timestamp()))
    try:
        yield
    finally:
        logger.setLevel(level)
        if epoch is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = epoch


def pdf_bytes(html: str, *, created: date | None = None) -> tuple[bytes, int]:
    """The briefing PDF (tagged PDF/UA-1, language and title set, fonts embedded) and its page count.

    `created` (the release date) dates the embedded fonts, so the same HTML gives the same bytes.
    """
    weasyprint = _weasyprint()
    root = templates_dir()
    with _reproducible(created):
        document = weasyprint.HTML(
            string=html, base_url=root.as_uri() + "/", url_fetcher=url_fetcher(root)
        ).render(pdf_variant=PDF_VARIANT)
        # A content-derived identifier instead of a random one.
        identifier = hashlib.sha256(html.encode()).hexdigest()[:32].encode()
        data = document.write_pdf(pdf_variant=PDF_VARIANT, pdf_identifier=identifier)
    return data, len(document.pages)


def write_pdf(html: str, out_pdf: Path, *, created: date | None = None) -> int:
    """Write the briefing PDF atomically; returns the number of pages."""
    data, pages = pdf_bytes(html, created=created)
    try:
        write_atomic(out_pdf, data)
    except OSError as exc:
        raise OutputError(f"cannot write ({exc.strerror})", path=out_pdf) from None
    return pages
