"""The analyst's screening decisions (overrides): read, checked and applied over the machine's."""

from __future__ import annotations

import logging
from pathlib import Path

from pydantic import Field, PrivateAttr, field_validator, model_validator

from briefgen.errors import OverridesInvalid
from briefgen.files import corpus_path
from briefgen.models import Decision, OverrideApplied, ScreenedDocument, Strict
from briefgen.yamlio import compose, line_of, load_yaml_model

log = logging.getLogger(__name__)


class Override(Strict):
    document: str = Field(description="The document's path relative to the corpus folder, or its sha256.")
    decision: Decision | None = Field(default=None, description="The analyst's decision, if any.")
    reason: str = Field(min_length=1)
    group: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$",
        description="Puts the document in this case group: documents given the same group are one case.",
    )
    separate: bool = Field(default=False, description="Keeps the document a case of its own, never grouped.")
    _line: int | None = PrivateAttr(default=None)  # in the overrides file, for messages

    @model_validator(mode="after")
    def _says_something(self) -> Override:
        if self.decision is None and self.group is None and not self.separate:
            raise ValueError("an override needs a decision, a group or separate: true")
        if self.group is not None and self.separate:
            raise ValueError("an override cannot both put a document in a group and keep it separate")
        return self

    @field_validator("document")
    @classmethod
    def _inside_corpus(cls, value: str) -> str:
        if (path := corpus_path(value)) is None:
            raise ValueError("must be a path inside the corpus folder (no '..', not absolute)")
        return path


class Overrides(Strict):
    overrides: list[Override] = Field(default_factory=list)
    _path: Path | None = PrivateAttr(default=None)  # the file they were read from, for messages


def load_overrides(path: Path) -> Overrides:
    """Read the analyst's overrides; two decisions for one document are refused with both YAML lines."""
    overrides = load_yaml_model(path, Overrides, error=OverridesInvalid)
    overrides._path = path
    root = compose(path)
    for index, override in enumerate(overrides.overrides):
        override._line = line_of(root, ("overrides", index))
    by_document: dict[str, list[Override]] = {}
    for override in overrides.overrides:
        by_document.setdefault(override.document, []).append(override)
    for document, same in by_document.items():
        _refuse_two_decisions(same, overrides, document)
        _refuse_two_groups(same, overrides, document)
    return overrides


_DONE = {
    Decision.include: "included by override",
    Decision.exclude: "excluded by override",
    Decision.review: "sent for review by override",
}


def apply_overrides(
    documents: list[ScreenedDocument], overrides: Overrides
) -> tuple[list[ScreenedDocument], list[str]]:
    """The analyst's decisions replace the machine's; returns the documents and the overrides that matched none.

    An override names a document by its path or by its sha256; several that reach one document must agree
    (the first one's reason is kept, with a warning)."""
    used: set[str] = set()
    result = []
    for document in documents:
        reaching = [o for o in overrides.overrides if o.document in (document.source, document.sha256)]
        used.update(o.document for o in reaching)  # a group or separate override is applied by grouping
        matching = [o for o in reaching if o.decision is not None]
        if not matching:
            result.append(document)
            continue
        _refuse_two_decisions(matching, overrides, document.source)
        if len(matching) > 1:
            log.warning(
                "%s%s override %r with the same decision; the first is used",
                f"{overrides._path}: " if overrides._path else "",
                " and ".join(_place(o, overrides) for o in matching),
                document.source,
            )
        override = matching[0]
        assert override.decision is not None
        applied = OverrideApplied(
            decision=override.decision, reason=override.reason, machine_decision=document.decision
        )
        machine = [f"machine ({document.decision.value}): {reason}" for reason in document.reasons]
        result.append(
            document.model_copy(
                update={
                    "decision": override.decision,
                    "override": applied,
                    "reasons": [f"{_DONE[override.decision]}: {override.reason}", *machine],
                    "exclusion_reason": "analyst" if override.decision is Decision.exclude else None,
                }
            )
        )
    keys = dict.fromkeys(o.document for o in overrides.overrides)
    return result, [key for key in keys if key not in used]


def _refuse_two_groups(same: list[Override], overrides: Overrides, document: str) -> None:
    """Overrides that reach one document must put it in one case group (or keep it apart)."""
    placed = [o for o in same if o.group is not None or o.separate]
    first = placed[0] if placed else None
    for other in placed[1:]:
        assert first is not None
        if (other.group, other.separate) != (first.group, first.separate):
            raise OverridesInvalid(
                f"{_place(first, overrides)} and {_place(other, overrides)} place {document!r} in two case groups; "
                "keep one",
                path=overrides._path,
            )


def _refuse_two_decisions(same: list[Override], overrides: Overrides, document: str) -> None:
    """Overrides that reach one document must give it one decision."""
    deciding = [o for o in same if o.decision is not None]
    if not deciding:
        return
    first = deciding[0]
    for other in deciding[1:]:
        if other.decision is not first.decision:
            raise OverridesInvalid(
                f"{_place(first, overrides)} and {_place(other, overrides)} give {document!r} two decisions "
                f"({first.decision.value if first.decision else '-'} and "
                f"{other.decision.value if other.decision else '-'}); keep one",
                path=overrides._path,
            )


def _place(override: Override, overrides: Overrides) -> str:
    """Where an override is: its line in the file, or its position when it was not read from one."""
    if override._line is not None:
        return f"line {override._line}"
    return f"override {next(i for i, o in enumerate(overrides.overrides, 1) if o is override)}"
