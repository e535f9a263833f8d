"""The briefing's figures, computed from the coded cases into plain view objects the templates show."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from briefgen.models import (
    AgreementReport,
    CaseFeatures,
    CodedCase,
    CodedResult,
    CodeInfo,
    CriterionText,
    Evidence,
    FeatureScalar,
    FileRef,
    NotCoded,
    ScreeningCounts,
    ThemeInfo,
    Verification,
)
from briefgen.render.appendix import Source, date_of_death, distinctive, partnership, tidy_title
from briefgen.render.briefing import LANGUAGE, Briefing
from briefgen.render.quotes import Quote, QuotePicker
from briefgen.render.recommendations import RecommendationGroup, group_recommendations
from briefgen.render.synthesis import theme_synthesis


@dataclass(frozen=True)
class Tally:
    """How many of `total` cases have a value or a code."""

    key: str
    label: str
    count: int
    total: int

    @property
    def percent(self) -> int:
        return percent(self.count, self.total)


@dataclass(frozen=True)
class CaseView:
    source: str
    title: str
    name: str
    partnership: str | None
    died: str | None  # '2 June 2017', or 'April 2016'
    url: str | None  # the published review, from sources.csv
    distinctive: list[str]  # labels of the codes that set the case apart
    failing_themes: list[ThemeInfo]  # NVAP themes in which practice fell short in this case
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
    """One theme: where practice fell short (`failings`), features of the cases (`features`) and good
    practice, each counted and quoted apart. `cases` counts the cases with a failing (or, in a theme without
    failing codes, with a feature)."""

    info: ThemeInfo
    cases: int
    total: int
    failings: list[Tally]
    features: list[Tally]
    good_practice: list[Tally]
    good_quotes: list[Quote]
    quotes: list[Quote]
    note: str
    synthesis: list[str]  # generated paragraphs; empty when the analyst's note replaces them


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
    """The screening flow as the briefing tells it. `pending` are readable documents neither included nor
    excluded (left for an analyst); `duplicates` are included files identical to another (counted once);
    `cases` is what every figure of the briefing counts."""

    counts: ScreeningCounts
    pending: int
    duplicates: list[str]
    cases: int
    criteria: list[CriterionText]
    codebook: FileRef
    briefgen_version: str
    agreement: AgreementView | None
    not_coded: list[NotCoded]
    verification: Verification | None = None  # what an analyst verified and corrected


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
    recommendations: list[RecommendationGroup]
    new_cases: tuple[str, ...] = ()  # sources new since the last edition, marked in Appendix A


def percent(count: int, total: int) -> int:
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


def _case_view(
    case: CodedCase,
    coded: CodedResult,
    briefing: Briefing,
    special_type: str | None,
    sources: Mapping[str, Source],
) -> CaseView:
    codes = [code for code in coded.codebook.codes if _has(case, code.id)]
    present_themes = {code.theme for code in codes}
    # The special theme is a kind of case, said in the review focus; its codes alone do not make a case one.
    themes = [theme for theme in coded.codebook.themes if theme.id in present_themes and not theme.special]
    name = case.pseudonym or case.title
    focus = briefing.review_focus.get(case.source) or (
        briefing.review_focus.get(case.pseudonym) if case.pseudonym else None
    )
    labels = {code.id: code for code in coded.codebook.codes}
    failing = {code.theme for code in codes if code.polarity == "failing"}
    source = sources.get(case.source)
    return CaseView(
        source=case.source,
        title=(source.title if source and source.title else None) or tidy_title(case.title),
        name=name,
        partnership=partnership(case.title),
        died=date_of_death(_scalar(case, "incident_date")),
        url=source.url if source else None,
        distinctive=distinctive(case, coded.cases, labels),
        failing_themes=[theme for theme in themes if theme.id in failing and theme.nvap_action],
        page_unit=case.page_unit,
        features=dict(sorted(case.features.values().items())),
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
        counts = Counter(
            code for view in views for code in view.codes if labels[code].polarity != "good_practice"
        )
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
    coded: CodedResult,
    briefing: Briefing,
    views: list[CaseView],
    labels: dict[str, CodeInfo],
    picker: QuotePicker,
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
            quotes = picker.pick([factor], chosen, limit=2)
            factors.append(
                KeyFactor(factor, "code", labels[factor].label, count, len(chosen), values, quotes)
            )
        elif factor in CaseFeatures.model_fields:
            known = sum(1 for value in values if value.value is not None)
            factors.append(KeyFactor(factor, "feature", factor, known, len(chosen), values, []))
    learning = []
    for point in choice.learning_points:
        codes = [code for code in point.evidence_codes if code in labels]
        # One quote per learning point: the key factors above already quote the cases at length.
        quotes = picker.pick(codes, chosen, limit=1) or picker.pick(codes, coded.cases, limit=1)
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


def _theme_view(theme: ThemeInfo, coded: CodedResult, briefing: Briefing, picker: QuotePicker) -> ThemeView:
    total = len(coded.cases)
    codes = [code for code in coded.codebook.codes if code.theme == theme.id]

    def tallies(polarity: str) -> list[Tally]:
        return [
            Tally(code.id, code.label, sum(1 for case in coded.cases if _has(case, code.id)), total)
            for code in codes
            if code.polarity == polarity
        ]

    failings, features, good = tallies("failing"), tallies("neutral"), tallies("good_practice")
    counted = [t.key for t in failings] or [t.key for t in features]
    ranked = [f.key for f in sorted([*failings, *features], key=lambda f: -f.count) if f.count]
    good_ranked = [f.key for f in sorted(good, key=lambda f: -f.count) if f.count]
    return ThemeView(
        info=theme,
        cases=sum(1 for case in coded.cases if any(_has(case, code) for code in counted)),
        total=total,
        failings=failings,
        features=features,
        good_practice=[t for t in good if t.count],
        good_quotes=picker.pick(good_ranked, coded.cases, limit=2),
        # A theme with many findings gets more quotes: about one for every two findings, three to six.
        quotes=picker.pick(ranked, coded.cases, limit=min(6, max(3, len(ranked) // 2))),
        note=briefing.theme_notes.get(theme.id, ""),
        synthesis=[]
        if theme.id in briefing.replace_synthesis
        else theme_synthesis(
            coded.cases,
            [code for code in codes if code.polarity != "good_practice"],
            [fact for fact in coded.codebook.facts if fact.theme == theme.id],
        ),
    )


def build_view(
    coded: CodedResult,
    briefing: Briefing,
    *,
    agreement: AgreementReport | None = None,
    new_cases: Sequence[str] = (),
    verification: Verification | None = None,
    sources: Mapping[str, Source] | None = None,
) -> BriefingView:
    """Every figure and quote of the briefing, computed from the coded cases; no wording."""
    labels = {code.id: code for code in coded.codebook.codes}
    # Two identical files are one review: the first (by name) stands for both.
    cases: list[CodedCase] = []
    duplicates: list[str] = []
    hashes: set[str] = set()
    for case in sorted(coded.cases, key=lambda case: case.source):
        if case.sha256 in hashes:
            duplicates.append(case.source)
        else:
            hashes.add(case.sha256)
            cases.append(case)
    coded = coded.model_copy(update={"cases": cases})
    special_type = briefing.special_theme.case_type or coded.codebook.special_theme.case_type
    views = [_case_view(case, coded, briefing, special_type, sources or {}) for case in cases]
    picker = QuotePicker(labels)
    special = _special(coded, briefing, views, labels, picker)
    groups: list[GroupView] = []
    other: list[ThemeView] = []
    for theme in coded.codebook.themes:
        if theme.special or (special.theme is not None and theme.id == special.theme.id):
            continue
        view = _theme_view(theme, coded, briefing, picker)
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
            pending=max(
                0,
                coded.screening_counts.screened
                - coded.screening_counts.excluded
                - coded.screening_counts.included,
            ),
            duplicates=duplicates,
            cases=len(cases),
            criteria=coded.criteria_text,
            codebook=coded.codebook.ref,
            briefgen_version=coded.briefgen_version,
            agreement=agreement_view,
            not_coded=coded.not_coded,
            verification=verification,
        ),
        codes=labels,
        recommendations=group_recommendations(cases, coded.codebook.themes),
        new_cases=tuple(new_cases),
    )
