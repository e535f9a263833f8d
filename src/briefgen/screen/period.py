"""A period that screening is limited to (an edition's): reviews whose date of death, or of publication,
falls within two dates. It is judged as one more criterion.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator

from briefgen.errors import BriefgenError
from briefgen.files import sha256_of
from briefgen.ingest.cache import TextCache, load_text
from briefgen.lexicon import CompiledLexicon
from briefgen.models import (
    CriterionResult,
    CriterionText,
    Decision,
    DocumentText,
    Evidence,
    Outcome,
    ScreeningResult,
    Strict,
)
from briefgen.screen.counts import count
from briefgen.screen.grouping import choose_leads
from briefgen.text import PartialDate, find_dates, long_date


class Period(Strict):
    """Which reviews an edition covers: those whose date of death, or of publication, falls within two dates."""

    field: Literal["death", "published"] = Field(
        description="death: the date of death; published: the date the review states on its cover."
    )
    start: dt.date = Field(alias="from", description="First day of the period (YYYY-MM-DD).")
    end: dt.date = Field(alias="to", description="Last day of the period (YYYY-MM-DD).")

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.start > self.end:
            raise ValueError("`from` is after `to`")
        return self

    def describe(self) -> str:
        what = "deaths" if self.field == "death" else "reviews published"
        return f"{what} from {long_date(self.start)} to {long_date(self.end)}"


PERIOD_CRITERION = "edition_period"


OUTSIDE_PERIOD = "outside_period"


_COVER_LINES = 40


def cover_date(document: DocumentText, lexicon: CompiledLexicon) -> tuple[PartialDate, Evidence] | None:
    """The date a review states on its cover, by the lexicon's labels in order ('Published', else 'Final
    version', else 'Date of completion'). Only the first lines are read, so a later revision date is not taken."""
    lines: list[tuple[int, str]] = []
    for page in document.pages:
        lines += [(page.number, line.strip()) for line in page.text.splitlines() if line.strip()]
        if len(lines) >= _COVER_LINES:
            break
    for label in lexicon.cover_dates:
        for number, line in lines[:_COVER_LINES]:
            match = label.match(line)
            dates = find_dates(match["rest"]) if match else []
            if dates:
                return dates[0].value, Evidence(page=number, quote=line)
    return None


def in_period(value: PartialDate, period: Period) -> bool:
    """Whether a date falls in the period; a month-only date counts when its month overlaps the period."""
    return value.first_day() <= period.end and value.last_day() >= period.start


Dated = tuple[PartialDate, list[Evidence]]


"""A document's date for the period, with the passages that give it."""


def apply_period(
    result: ScreeningResult, period: Period, dates: Mapping[str, Dated | None]
) -> ScreeningResult:
    """Screening limited to an edition's period, as one more criterion that every document is judged on.

    `dates` gives each source's date (of death or publication). A document outside the period is excluded
    (`outside_period`) unless it is already excluded or an analyst decided it; one whose date is not known cannot
    be included on that, so it goes to review.
    """
    what = "death" if period.field == "death" else "publication"
    stated = "" if period.field == "death" else " (as the review's cover gives it)"
    text = f"The date of {what}{stated} is between {long_date(period.start)} and {long_date(period.end)}."
    exclude_text = f"The date of {what}{stated} is outside this edition's period."
    documents = []
    for document in result.documents:
        found = dates.get(document.source)
        evidence: list[Evidence] = []
        if document.problem is not None:
            outcome, note = Outcome.unknown, "The document could not be read."
        elif found is None:
            outcome, note = Outcome.unknown, f"No date of {what} was found."
        else:
            value, evidence = found
            outcome = Outcome.met if in_period(value, period) else Outcome.not_met
            note = f"Date of {what}: {value.iso()}."
        judged = CriterionResult(id=PERIOD_CRITERION, result=outcome, note=note, evidence=evidence)
        update: dict[str, Any] = {"criteria": [*document.criteria, judged]}
        machine = document.override is None and document.problem is None
        if machine and document.decision is not Decision.exclude and outcome is Outcome.not_met:
            update |= {
                "decision": Decision.exclude,
                "exclusion_reason": OUTSIDE_PERIOD,
                "reasons": [f"{exclude_text} {note}"],
            }
        elif machine and document.decision is Decision.include and outcome is Outcome.unknown:
            update |= {"decision": Decision.review, "reasons": [f"Not decided: {text} {note}"]}
        elif machine and document.decision is Decision.include:
            update |= {"reasons": [*document.reasons, f"Met: {text}"]}
        documents.append(document.model_copy(update=update))
    documents = choose_leads(documents)  # a case's lead may have left the period while a member stayed
    criterion = CriterionText(
        id=PERIOD_CRITERION, text=text, exclude_text=exclude_text, exclude_id=OUTSIDE_PERIOD
    )
    return result.model_copy(
        update={
            "criteria_text": [*result.criteria_text, criterion],
            "documents": documents,
            "counts": count(documents),
        }
    )


def period_dates(
    result: ScreeningResult, period: Period, corpus: Path, cache_dir: Path, lexicon: CompiledLexicon
) -> dict[str, Dated | None]:
    """Each document's date of death (from screening) or of publication (from its cover)."""
    if period.field == "death":
        return {
            d.source: (PartialDate.parse_iso(d.incident_date), d.incident_date_evidence[:1])
            if d.incident_date
            else None
            for d in result.documents
        }
    cache = TextCache(cache_dir)
    dates: dict[str, Dated | None] = {}
    for document in result.documents:
        dates[document.source] = None
        if document.problem is not None:
            continue
        text = cache.get(document.sha256)
        if text is None:  # the cache was cleared: read it again here, if it is the very file screening read
            # (within the limits, in a worker), so no untrusted file is read in this process
            path = corpus / document.source
            try:
                if sha256_of(path) != document.sha256:
                    continue
                text = load_text(path, cache)
            except (BriefgenError, OSError):
                continue
        found = cover_date(text, lexicon)
        dates[document.source] = (found[0], [found[1]]) if found else None
    return dates
