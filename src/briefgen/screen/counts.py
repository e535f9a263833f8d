"""The PRISMA-style counts of a screening: identified, unreadable, screened, excluded, included, for review; and
the cases the documents report (several documents of one case count once)."""

from __future__ import annotations

from collections import Counter

from briefgen.models import Decision, ScreenedDocument, ScreeningCounts
from briefgen.screen.grouping import is_case_lead


def count(documents: list[ScreenedDocument]) -> ScreeningCounts:
    """The PRISMA-style flow of the screened documents."""
    unreadable = sum(1 for d in documents if d.problem is not None)
    excluded = [d for d in documents if d.decision is Decision.exclude]
    by_reason = Counter(d.exclusion_reason or "other" for d in excluded)
    return ScreeningCounts(
        identified=len(documents),
        unreadable=unreadable,
        screened=len(documents) - unreadable,
        excluded=len(excluded),
        excluded_by_reason=dict(sorted(by_reason.items())),
        included=sum(1 for d in documents if d.decision is Decision.include),
        review=sum(1 for d in documents if d.decision is Decision.review),
        overridden=sum(1 for d in documents if d.override is not None),
        cases=len({d.case_group or d.source for d in documents}),
        included_cases=sum(1 for d in documents if d.decision is Decision.include and is_case_lead(d)),
    )
