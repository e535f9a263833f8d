"""The synthesis of a theme, written from the coded cases in the reference's form: 'In one case (Kerry), ...
The review records 22 police call-outs, ... In a second case ... In nine of the 16 cases, ...'.

The sentences are templates in `templates/synthesis.yaml`; this module picks the cases and findings and fills
them in, so the same coded cases always give the same paragraph.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from pathlib import Path

from pydantic import Field

from briefgen.errors import InputFileError, TemplateError
from briefgen.models import CodedCase, CodeInfo, FactInfo, Strict
from briefgen.render.words import and_list, number_words, of_cases
from briefgen.resources import templates_dir
from briefgen.yamlio import load_yaml_model

WORDING = "synthesis.yaml"

MAX_CASES = 2  # cases described one by one; the rest of the theme is said as counts
MAX_FINDINGS = 5  # findings named for one case
MAX_RECURRING = 4  # "In nine of the 16 cases, ..." sentences


class Plural(Strict):
    one: str
    other: str


class SetAside(Strict):
    """A sentence matching `pattern` is not quoted for a code (except `except_codes`); `{victim}` stands for the
    victim's name."""

    pattern: str
    except_codes: list[str] = Field(default_factory=list)
    unless_victim_named: bool = Field(
        default=False, description="Quote it after all when the sentence names the victim."
    )


class Wording(Strict):
    """The templates of `synthesis.yaml`."""

    openings: list[str] = Field(min_length=1)
    only_case: str
    case: str
    similar_case: str = Field(
        default="{opening} ({case}), similarly, {findings}.",
        description="A later case that shares most of its findings with the first.",
    )
    facts: str
    recurring: str
    recurring_all: str
    findings: dict[str, str] = Field(default_factory=dict)
    facts_wording: dict[str, Plural] = Field(default_factory=dict)
    quotes: list[SetAside] = Field(default_factory=list)


def wording_file() -> Path:
    return templates_dir() / WORDING


@functools.cache
def load_wording(path: Path | None = None) -> Wording:
    try:
        return load_yaml_model(path or wording_file(), Wording)
    except InputFileError as exc:
        raise TemplateError(str(exc)) from None


def _fill(template: str, **values: str) -> str:
    try:
        return template.format_map(values)
    except (KeyError, IndexError, ValueError) as exc:
        raise TemplateError(
            f"template {template!r} has an unknown placeholder ({exc})", path=wording_file()
        ) from None


def _present(case: CodedCase, code: str) -> bool:
    result = case.codes.get(code)
    return result is not None and result.present


def _cite(case: CodedCase, pages: Sequence[int]) -> str:
    unit = "para." if case.page_unit == "paragraph" else "p."
    units = "paras." if case.page_unit == "paragraph" else "pp."
    pages = sorted(set(pages))
    name = case.pseudonym or case.title
    if len(pages) == 1:
        return f"{name}, {unit}\u00a0{pages[0]}"
    return f"{name}, {units}\u00a0{', '.join(str(page) for page in pages)}"


def _join(items: Sequence[str]) -> str:
    """'a, b and c'; with semicolons when an item has a comma of its own."""
    if any("," in item for item in items) and len(items) > 2:
        return "; ".join(items[:-1]) + "; and " + items[-1]
    return and_list(items)


def _finding(wording: Wording, code: CodeInfo) -> str:
    return wording.findings.get(code.id) or code.label[:1].lower() + code.label[1:]


def _fact(wording: Wording, fact: FactInfo, value: int) -> str:
    plural = wording.facts_wording.get(fact.id)
    if plural is None:
        return f"{number_words(value)} {fact.label}"
    return _fill(plural.one if value == 1 else plural.other, n=number_words(value))


def theme_synthesis(
    cases: Sequence[CodedCase],
    codes: Sequence[CodeInfo],
    facts: Sequence[FactInfo],
    *,
    wording: Wording | None = None,
) -> list[str]:
    """Paragraphs for one theme: its richest cases one by one (their findings and the quantities their reviews
    state), then the findings that recur, as counts. `codes` are the theme's codes to write about (not its good
    practice); `facts` its quantities. No cases, or none with a finding, give no paragraphs."""
    wording = wording or load_wording()
    total = len(cases)
    found: dict[str, list[CodeInfo]] = {
        case.source: [code for code in codes if _present(case, code.id)] for case in cases
    }
    stated: Mapping[str, list[FactInfo]] = {
        case.source: [fact for fact in facts if fact.id in case.facts] for case in cases
    }

    def weight(case: CodedCase) -> tuple[int, int, str]:
        return (-(len(found[case.source]) + 2 * len(stated[case.source])), 0, case.source)

    featured = [
        case
        for case in sorted(cases, key=weight)
        if found[case.source] and (stated[case.source] or len(found[case.source]) >= 2)
    ][:MAX_CASES]
    paragraphs: list[str] = []
    for index, case in enumerate(featured):
        opening = wording.only_case if total == 1 else wording.openings[min(index, len(wording.openings) - 1)]
        sentences = []
        findings = [_finding(wording, code) for code in found[case.source][:MAX_FINDINGS]]
        first = found[featured[0].source]
        similar = index > 0 and 2 * len(set(first) & set(found[case.source])) > len(found[case.source])
        if findings:
            template = wording.similar_case if similar else wording.case
            sentences.append(
                _fill(template, opening=opening, case=case.pseudonym or case.title, findings=_join(findings))
            )
        if stated[case.source]:
            values = [_fact(wording, fact, case.facts[fact.id].value) for fact in stated[case.source]]
            pages = [case.facts[fact.id].evidence.page for fact in stated[case.source]]
            sentences.append(_fill(wording.facts, facts=_join(values), cite=_cite(case, pages)))
        paragraphs.append(" ".join(sentences))
    counts = {code.id: sum(1 for case in cases if _present(case, code.id)) for code in codes}
    recurring = sorted((code for code in codes if counts[code.id] >= 2), key=lambda c: -counts[c.id])
    # Findings are said together only when they were found in the very same cases.
    by_cases: dict[frozenset[str], list[CodeInfo]] = {}
    for code in recurring[:MAX_RECURRING]:
        where = frozenset(case.source for case in cases if _present(case, code.id))
        by_cases.setdefault(where, []).append(code)
    sentences = [
        _fill(
            wording.recurring_all if len(where) == total else wording.recurring,
            cases=of_cases(len(where), total),
            finding=_join([_finding(wording, code) for code in same]),
        )
        for where, same in by_cases.items()
    ]
    if sentences:
        paragraphs.append(" ".join(sentences))
    return paragraphs
