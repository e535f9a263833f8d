"""The inclusion criteria file: what a review must meet to be included."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from briefgen.errors import CriteriaInvalid
from briefgen.models import CriterionText, Strict
from briefgen.yamlio import load_yaml_model

MAX_EVIDENCE = 3


class Criterion(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Short id, used as the exclusion reason.")
    kind: Literal["document_type", "incident_date", "police_contact", "police_learning"]
    exclude_id: str = Field(
        pattern=r"^[a-z][a-z0-9_]*$", description="Names this exclusion in counts and outputs."
    )
    text: str = Field(description="The criterion as worded in the briefing's methodology.")
    exclude_text: str = Field(description="The matching exclusion, as worded in the methodology.")
    on_or_after: date | None = Field(
        default=None, description="For incident_date: the earliest date of death."
    )
    accepts: list[str] = Field(
        default_factory=list,
        description="For document_type: the kinds of document accepted (ids of the lexicon's document_types).",
    )


class Criteria(Strict):
    title: str
    version: str
    criteria: list[Criterion] = Field(min_length=1)

    @field_validator("criteria")
    @classmethod
    def _check(cls, criteria: list[Criterion]) -> list[Criterion]:
        ids = [criterion.id for criterion in criteria]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"criterion ids must be unique: {', '.join(duplicates)}")
        for criterion in criteria:
            if criterion.kind == "incident_date" and criterion.on_or_after is None:
                raise ValueError(f"criterion {criterion.id!r} of kind incident_date needs on_or_after")
            if criterion.kind == "document_type" and not criterion.accepts:
                raise ValueError(f"criterion {criterion.id!r} of kind document_type needs accepts")
        return criteria

    def texts(self) -> list[CriterionText]:
        return [
            CriterionText(id=c.id, text=c.text, exclude_text=c.exclude_text, exclude_id=c.exclude_id)
            for c in self.criteria
        ]


def load_criteria(path: Path) -> Criteria:
    return load_yaml_model(path, Criteria, error=CriteriaInvalid)
