"""The corrections file: the analyst's YAML, read and checked, never written by briefgen.

    corrections:
      - case: dhr-ashbury-ioana.pdf      # source path inside the corpus, or the file's sha256
        code: children
        present: false
        reason: Her children are adults.
      - case: dhr-ashbury-ioana.pdf
        feature: cohabiting
        value: false
        reason: '"Ioana and Gareth never lived together" (p. 3)'
      - case: dhr-ashbury-ioana.pdf
        verified: true                   # every other code and feature of this case has been checked

Each entry does one thing: corrects a code, corrects a feature, or marks a case verified. An entry may give
`sha256`, the review's hash (or its first 12 or more characters) as the analyst checked it; when the review has
changed since, the entry is stale and is not applied.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Self

from pydantic import Field, PrivateAttr, StrictBool, field_validator, model_validator

from briefgen.errors import CorrectionsInvalid
from briefgen.files import corpus_path
from briefgen.models import FeatureScalar, Strict
from briefgen.yamlio import compose, line_of, load_yaml_model


class CorrectionEntry(Strict):
    """One line of the analyst's verdict on a case: a code, a feature, or the whole case verified."""

    case: str = Field(min_length=1, description="The review's path inside the corpus folder, or its sha256.")
    code: str | None = Field(default=None, description="A code id of the codebook, to set present or absent.")
    present: StrictBool | None = Field(default=None, description="With `code`: whether the code is present.")
    feature: str | None = Field(default=None, description="A case feature (cohabiting, victim_age...).")
    value: FeatureScalar | list[str] = Field(
        default=None, description="With `feature`: its value (null for unknown; a list for police_forces)."
    )
    verified: StrictBool | None = Field(
        default=None, description="true: every code and feature of the case not corrected here is right."
    )
    reason: str | None = Field(default=None, description="Why; required for a code or feature correction.")
    sha256: str | None = Field(
        default=None,
        description="The review's sha256 (or its first 12+ characters) as checked; if it changed, the "
        "entry is stale and not applied.",
    )
    _line: int | None = PrivateAttr(default=None)  # in the corrections file, for messages

    @field_validator("case")
    @classmethod
    def _inside_corpus(cls, value: str) -> str:
        if (path := corpus_path(value)) is None:
            raise ValueError("must be a path inside the corpus folder (no '..', not absolute), or a sha256")
        return path

    @field_validator("sha256")
    @classmethod
    def _hex(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[0-9a-fA-F]{12,64}", value):
            raise ValueError("must be the review's sha256, or at least its first 12 hexadecimal characters")
        return value.lower() if value is not None else None

    @model_validator(mode="after")
    def _one_thing(self) -> Self:
        kinds = [name for name in ("code", "feature", "verified") if getattr(self, name) is not None]
        if len(kinds) != 1:
            raise ValueError(
                "give exactly one of `code` (with present), `feature` (with value) or `verified`"
                + (f"; this entry gives {' and '.join(kinds)}" if kinds else "")
            )
        given = self.model_fields_set
        if self.code is not None and self.present is None:
            raise ValueError(f"code {self.code!r}: say `present: true` or `present: false`")
        if self.code is None and self.present is not None:
            raise ValueError("`present` goes with `code`")
        if self.feature is not None and "value" not in given:
            raise ValueError(f"feature {self.feature!r}: give its `value` (null for unknown)")
        if self.feature is None and "value" in given:
            raise ValueError("`value` goes with `feature`")
        if self.verified is None and not (self.reason or "").strip():
            raise ValueError("a correction needs a `reason` (a quote with its page is best)")
        return self

    @property
    def line(self) -> int | None:
        return self._line

    @property
    def target(self) -> tuple[str, str] | None:
        """("code", id) or ("feature", name); None for a verification."""
        if self.code is not None:
            return ("code", self.code)
        if self.feature is not None:
            return ("feature", self.feature)
        return None

    @property
    def new_value(self) -> FeatureScalar | list[str]:
        return self.present if self.code is not None else self.value

    def matches(self, source: str, sha256: str) -> bool:
        """Whether the entry names this case, by path or by sha256."""
        return self.case in (source, sha256)


class Corrections(Strict):
    """The analyst's corrections file."""

    corrections: list[CorrectionEntry] = Field(default_factory=list)
    _path: Path | None = PrivateAttr(default=None)  # the file they were read from, for messages

    @property
    def path(self) -> Path | None:
        return self._path


def load_corrections(path: Path) -> Corrections:
    """Read the analyst's corrections; two different values for one code or feature of a case are refused,
    naming both YAML lines."""
    corrections = load_yaml_model(path, Corrections, error=CorrectionsInvalid)
    corrections._path = path
    root = compose(path)
    for index, entry in enumerate(corrections.corrections):
        entry._line = line_of(root, ("corrections", index))
    first: dict[tuple[str, str, str], CorrectionEntry] = {}
    for entry in corrections.corrections:
        target = entry.target
        if target is None:
            continue
        key = (entry.case, *target)
        earlier = first.setdefault(key, entry)
        if earlier is not entry and earlier.new_value != entry.new_value:
            raise CorrectionsInvalid(
                f"line {entry.line}: {target[0]} {target[1]!r} of {entry.case!r} is corrected to "
                f"{entry.new_value!r}, but line {earlier.line} says {earlier.new_value!r}; keep one",
                path=path,
            )
    return corrections
