"""Accuracy against labelled samples: screening decisions, dates of death, case features, and precision and
recall per code.

The labels file (`samples/labels.yaml`) gives, per document: `file`, `decision`, `exclusion_reason`,
`incident_date`, `problem`, `features`, and `codes` with `present` (every code that is present: all others count
as absent), `absent` (the traps the text mentions but which are not present) and `unclear` (codes the author
could not call either way: not scored).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import Field, field_validator

from briefgen.errors import LabelsInvalid
from briefgen.models import CodedResult, ScreeningResult, Strict
from briefgen.yamlio import load_yaml_model


class CodeLabels(Strict):
    present: list[str] = Field(default_factory=list)
    absent: list[str] = Field(default_factory=list)
    unclear: list[str] = Field(default_factory=list)


def _iso(value: Any) -> Any:
    """YAML reads 2018-03-14 as a date; labels compare as ISO text."""
    if isinstance(value, dict):
        return {k: _iso(v) for k, v in value.items()}
    return value.isoformat() if hasattr(value, "isoformat") else value


class SampleLabel(Strict):
    file: str
    decision: str
    exclusion_reason: str | None = None
    incident_date: str | None = None
    problem: str | None = None
    case_group: str | None = None
    features: dict[str, Any] = Field(default_factory=dict)
    codes: CodeLabels = Field(default_factory=CodeLabels)

    _dates = field_validator("incident_date", "features", mode="before")(_iso)


class Labels(Strict):
    samples: dict[str, SampleLabel]


def load_labels(path: Path) -> Labels:
    return load_yaml_model(path, Labels, error=LabelsInvalid)


@dataclass
class Tally:
    right: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, ok: bool, miss: str) -> None:
        self.total += 1
        self.right += ok
        if not ok:
            self.misses.append(miss)

    @property
    def rate(self) -> float:
        return self.right / self.total if self.total else 1.0


@dataclass
class CodeScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    false_positives: list[str] = field(default_factory=list)
    false_negatives: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class Evaluation:
    decisions: Tally
    dates: Tally
    features: Tally
    feature_by_name: dict[str, Tally]
    codes: dict[str, CodeScore]
    unlabelled: list[str]

    @property
    def overall(self) -> CodeScore:
        total = CodeScore()
        for score in self.codes.values():
            total.tp += score.tp
            total.fp += score.fp
            total.fn += score.fn
        return total

    def as_dict(self) -> dict[str, Any]:
        overall = self.overall
        return {
            "screening_decisions": {"right": self.decisions.right, "total": self.decisions.total},
            "incident_dates": {"right": self.dates.right, "total": self.dates.total},
            "features": {"right": self.features.right, "total": self.features.total},
            "codes": {
                "precision": round(overall.precision, 4),
                "recall": round(overall.recall, 4),
                "tp": overall.tp,
                "fp": overall.fp,
                "fn": overall.fn,
            },
        }


def _norm(value: Any) -> Any:
    if isinstance(value, list):
        return sorted(str(v) for v in value)
    if value is None or isinstance(value, bool | int):
        return value
    return str(value)


def evaluate(labels: Labels, screening: ScreeningResult, coded: CodedResult | None) -> Evaluation:
    by_file = {label.file: (name, label) for name, label in labels.samples.items()}
    decisions, dates, features = Tally(), Tally(), Tally()
    feature_by_name: dict[str, Tally] = {}
    codes: dict[str, CodeScore] = {}
    unlabelled = []
    cases = {case.source: case for case in coded.cases} if coded else {}
    for document in screening.documents:
        entry = by_file.get(Path(document.source).name)
        if entry is None:
            unlabelled.append(document.source)
            continue
        name, label = entry
        expected = (label.decision, label.exclusion_reason if label.decision == "exclude" else None)
        got = (document.decision.value, document.exclusion_reason if document.decision == "exclude" else None)
        decisions.add(
            expected == got, f"{name}: {got[0]} {got[1] or ''} (label {expected[0]} {expected[1] or ''})"
        )
        if label.decision != "review":
            dates.add(
                str(document.incident_date) == str(label.incident_date),
                f"{name}: {document.incident_date} (label {label.incident_date})",
            )
        case = cases.get(document.source)
        if case is None or label.decision != "include":
            continue
        for feature, value in sorted(label.features.items()):
            found = case.features.get(feature)
            ok = found is not None and _norm(found.value) == _norm(value)
            tally = feature_by_name.setdefault(feature, Tally())
            miss = f"{name}: {feature} = {found.value if found else None!r} (label {value!r})"
            tally.add(ok, miss)
            features.add(ok, miss)
        present = set(label.codes.present)
        skip = set(label.codes.unclear)
        for code_id, result in case.codes.items():
            if code_id in skip:
                continue
            score = codes.setdefault(code_id, CodeScore())
            if result.present and code_id in present:
                score.tp += 1
            elif result.present:
                score.fp += 1
                score.false_positives.append(name)
            elif code_id in present:
                score.fn += 1
                score.false_negatives.append(name)
    return Evaluation(decisions, dates, features, feature_by_name, dict(sorted(codes.items())), unlabelled)
