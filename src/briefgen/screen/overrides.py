"""The analyst's screening decisions (overrides): read, checked and applied over the machine's."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import Field, field_validator

from briefgen.errors import OverridesInvalid
from briefgen.models import Decision, OverrideApplied, ScreenedDocument, Strict
from briefgen.yamlio import load_yaml_model


class Override(Strict):
    document: str = Field(description="The document's path relative to the corpus folder, or its sha256.")
    decision: Decision
    reason: str = Field(min_length=1)

    @field_validator("document")
    @classmethod
    def _inside_corpus(cls, value: str) -> str:
        parts = value.replace("\\", "/").split("/")
        if value.startswith(("/", "\\")) or ".." in parts or re.match(r"^[A-Za-z]:", value):
            raise ValueError("must be a path inside the corpus folder (no '..', not absolute)")
        return value.replace("\\", "/")


class Overrides(Strict):
    overrides: list[Override] = Field(default_factory=list)


def load_overrides(path: Path) -> Overrides:
    return load_yaml_model(path, Overrides, error=OverridesInvalid)


def apply_overrides(
    documents: list[ScreenedDocument], overrides: Overrides
) -> tuple[list[ScreenedDocument], list[str]]:
    """The analyst's decisions replace the machine's; returns the documents and the overrides that matched none."""
    by_key = {override.document: override for override in overrides.overrides}
    used: set[str] = set()
    result = []
    for document in documents:
        override = by_key.get(document.source) or by_key.get(document.sha256)
        if override is None:
            result.append(document)
            continue
        used.add(override.document)
        applied = OverrideApplied(
            decision=override.decision, reason=override.reason, machine_decision=document.decision
        )
        result.append(
            document.model_copy(
                update={
                    "decision": override.decision,
                    "override": applied,
                    "reasons": [f"Overridden by an analyst: {override.reason}", *document.reasons],
                    "exclusion_reason": "analyst" if override.decision is Decision.exclude else None,
                }
            )
        )
    unmatched = [key for key in by_key if key not in used]
    return result, unmatched
