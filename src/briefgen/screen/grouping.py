"""Cases: the documents that report one death (an overview report, its executive summary, its action plan, the
Home Office letter about it, a second copy of a file) grouped into one case, led by the document that stands for
it, so that the briefing codes and counts the case once.

Documents belong together when they share what identifies a case: the same content (a copy), or the same victim
pseudonym and the same date of death (a death dated to its month joins the one day of that month). An analyst can join documents into a named group or keep one apart
(`group:` and `separate:` in the overrides file).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from briefgen.models import Decision, ScreenedDocument

if TYPE_CHECKING:
    from briefgen.screen.overrides import Overrides

# Which document leads its case: a readable one, then an included one, then the full report before a summary, an
# action plan or a letter, then the first by name.
_FORM_ORDER = {"report": 0, None: 1, "summary": 2, "action_plan": 3, "letter": 4, "derivative": 5}
_DECISION_ORDER = {Decision.include: 0, Decision.review: 1, Decision.exclude: 2}


def group_cases(
    documents: list[ScreenedDocument], overrides: Overrides | None = None
) -> list[ScreenedDocument]:
    """Each document with its case group and its role in it (lead or member), in the same order."""
    parent = list(range(len(documents)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        a, b = find(i), find(j)
        if a != b:
            parent[max(a, b)] = min(a, b)

    named, apart = _analyst_groups(documents, overrides)
    machine = [i for i in range(len(documents)) if i not in named and i not in apart]
    # Names and dates read by OCR are too often misread to join a case on; an analyst can group a scan.
    by_text = [i for i in machine if not documents[i].ocr]
    for keys, among in ((_copies, machine), (_same_death, by_text)):
        first: dict[str, int] = {}
        for i in among:
            for key in keys(documents[i]):
                if key in first:
                    union(first[key], i)
                else:
                    first[key] = i
    _join_unnamed(documents, by_text, union)
    _join_by_month(documents, by_text, union)
    _join_undated(documents, by_text, union)
    members: dict[str, list[int]] = {}
    for i in range(len(documents)):
        if i in named:
            members.setdefault(f"named:{named[i]}", []).append(i)
        else:
            members.setdefault(f"machine:{find(i)}", []).append(i)
    out = list(documents)
    taken: set[str] = set(named.values())
    for key, indices in sorted(members.items(), key=lambda item: min(item[1])):
        group = [documents[i] for i in indices]
        lead = min(group, key=_lead_order)
        ident = key.removeprefix("named:") if key.startswith("named:") else _unique(_group_id(lead), taken)
        for i in indices:
            role = "lead" if documents[i] is lead else "member"
            out[i] = documents[i].model_copy(update={"case_group": ident, "case_role": role})
    return out


def choose_leads(documents: list[ScreenedDocument]) -> list[ScreenedDocument]:
    """The lead of each case chosen again after decisions changed (an edition's period), groups kept."""
    groups: dict[str, list[ScreenedDocument]] = {}
    for document in documents:
        if document.case_group is not None:
            groups.setdefault(document.case_group, []).append(document)
    leads = {ident: min(group, key=_lead_order).source for ident, group in groups.items()}
    return [
        d
        if d.case_group is None
        else d.model_copy(update={"case_role": "lead" if leads[d.case_group] == d.source else "member"})
        for d in documents
    ]


def is_case_lead(document: ScreenedDocument) -> bool:
    """Whether a document stands for its case (or was screened before cases were grouped)."""
    return document.case_role != "member"


def _lead_order(document: ScreenedDocument) -> tuple[int, int, int, str]:
    return (
        document.problem is not None,
        _DECISION_ORDER[document.decision],
        _FORM_ORDER.get(document.document_form, 1),
        document.source,
    )


def _copies(document: ScreenedDocument) -> Iterable[str]:
    if document.sha256:
        yield f"sha:{document.sha256}"


def _same_death(document: ScreenedDocument) -> Iterable[str]:
    """The same victim and the same date of death (to the month at least) are the same case."""
    if document.pseudonym and document.incident_date and len(document.incident_date) >= 7:
        yield f"death:{_name_key(document.pseudonym)}:{document.incident_date}"


def _join_unnamed(
    documents: list[ScreenedDocument], machine: list[int], union: Callable[[int, int], None]
) -> None:
    """A document whose victim was not named joins the one case that died on its day (to the day) and whose
    victim's name is in its title or file name ('DHR Leah - executive summary.docx')."""
    named_by_day: dict[str, list[int]] = {}
    for i in machine:
        d = documents[i]
        if d.pseudonym and d.incident_date and len(d.incident_date) == 10:
            named_by_day.setdefault(d.incident_date, []).append(i)
    for i in machine:
        d = documents[i]
        if d.pseudonym or not d.incident_date or len(d.incident_date) != 10:
            continue
        words = set(_words(f"{d.title} {PurePosixPath(d.source).stem}"))
        candidates = {
            _name_key(documents[j].pseudonym or ""): j
            for j in named_by_day.get(d.incident_date, [])
            if set(_words(documents[j].pseudonym or "")) <= words
        }
        if len(candidates) == 1:
            union(next(iter(candidates.values())), i)


def _join_by_month(
    documents: list[ScreenedDocument], machine: list[int], union: Callable[[int, int], None]
) -> None:
    """A document that dates the death only to its month (an executive summary: 'Jess died in August 2023')
    joins the case of the same victim that died on one day of that month: the one such day, so that two
    deaths of a common naming ('Adult A') in one month stay apart."""
    by_day: dict[str, list[int]] = {}
    for i in machine:
        d = documents[i]
        if d.pseudonym and d.incident_date and len(d.incident_date) == 10:
            by_day.setdefault(f"{_name_key(d.pseudonym)}:{d.incident_date[:7]}", []).append(i)
    for i in machine:
        d = documents[i]
        if not d.pseudonym or not d.incident_date or len(d.incident_date) != 7:
            continue
        same = by_day.get(f"{_name_key(d.pseudonym)}:{d.incident_date}", [])
        if len({documents[j].incident_date for j in same}) == 1:
            union(same[0], i)


# Title words every review may carry: they do not say which partnership or case a document belongs to.
_GENERIC_TITLE_WORDS = frozenset(
    [
        "domestic",
        "homicide",
        "review",
        "reviews",
        "report",
        "overview",
        "executive",
        "summary",
        "community",
        "safety",
        "partnership",
        "the",
        "of",
        "into",
        "death",
        "dhr",
        "a",
        "an",
        "and",
        "final",
        "draft",
        "official",
        "sensitive",
    ]
)


def _join_undated(
    documents: list[ScreenedDocument], machine: list[int], union: Callable[[int, int], None]
) -> None:
    """A document whose date of death was not found (an executive summary that gives it only in passing) joins
    the one dated case with the same victim naming ('Mrs Y') from the same partnership (a word of its title
    other than the words every review's title has): 'Mrs Y' alone is too common a naming to join on."""
    dated: dict[str, list[int]] = {}
    for i in machine:
        d = documents[i]
        if d.pseudonym and d.incident_date:
            dated.setdefault(_name_key(d.pseudonym), []).append(i)
    for i in machine:
        d = documents[i]
        if not d.pseudonym or d.incident_date:
            continue
        own = set(_words(d.title)) - _GENERIC_TITLE_WORDS
        candidates = [
            j for j in dated.get(_name_key(d.pseudonym), []) if own & set(_words(documents[j].title))
        ]
        if len(candidates) == 1:
            union(candidates[0], i)


def _analyst_groups(
    documents: list[ScreenedDocument], overrides: Overrides | None
) -> tuple[dict[int, str], set[int]]:
    """The analyst's groups (document index -> group id) and the documents kept apart."""
    named: dict[int, str] = {}
    apart: set[int] = set()
    if overrides is None:
        return named, apart
    for i, document in enumerate(documents):
        for override in overrides.overrides:
            if override.document not in (document.source, document.sha256):
                continue
            if override.group is not None:
                named[i] = override.group
            elif override.separate:
                apart.add(i)
    return named, apart


def _group_id(lead: ScreenedDocument) -> str:
    """A readable id: the victim's pseudonym and date of death, or the lead document's file name."""
    if lead.pseudonym and lead.incident_date:
        return _slug(f"{lead.pseudonym} {lead.incident_date}")
    return _slug(PurePosixPath(lead.source).stem) or "case"


def _unique(ident: str, taken: set[str]) -> str:
    candidate, n = ident, 1
    while candidate in taken:
        n += 1
        candidate = f"{ident}-{n}"
    taken.add(candidate)
    return candidate


def _words(text: str) -> list[str]:
    return [w.lower() for w in re.findall(r"[A-Za-z]+", text)]


def _name_key(name: str) -> str:
    return " ".join(_words(name))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
