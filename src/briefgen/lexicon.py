"""The language of reviews that screening and coding share: section headings, police and force names, and the
context cues that tell a fact of the case from a denial, a duty or somebody else's story.

It lives in `codebooks/lexicon.yaml` so an analyst can extend it without touching code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from pydantic import Field, field_validator

from briefgen.errors import LexiconInvalid
from briefgen.fastscan import FastPattern
from briefgen.models import Strict
from briefgen.yamlio import load_yaml_model, valid_regex


class SectionRule(Strict):
    kind: str
    pattern: str

    _valid = field_validator("pattern")(valid_regex)


class Force(Strict):
    name: str
    aliases: list[str] = Field(default_factory=list)
    abbreviations: list[str] = Field(default_factory=list)


class ContextCues(Strict):
    negation_before: str
    negation_after: str
    clause_break: str
    hypothetical: str
    other_subject: str

    _valid = field_validator("*")(valid_regex)


class Lexicon(Strict):
    version: str
    sections: list[SectionRule]
    non_fact_sections: list[str]
    police: str
    forces: list[Force]
    context: ContextCues
    after_death_events: str
    death: str
    death_strong: str
    cover_dates: list[str] = Field(
        default_factory=list,
        description="Cover labels of a review's own date, most telling first; group `rest`.",
    )

    _valid = field_validator("police", "after_death_events", "death", "death_strong")(valid_regex)
    _valid_list = field_validator("cover_dates")(lambda values: [valid_regex(v) for v in values])


def load_lexicon(path: Path) -> Lexicon:
    return load_yaml_model(path, Lexicon, error=LexiconInvalid)


def _ci(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


@dataclass(frozen=True)
class ForceMatcher:
    """Finds police forces by full name, other name or abbreviation, and gives the canonical name."""

    names: FastPattern
    abbreviations: FastPattern | None
    canonical: dict[str, str]

    def find(self, text: str) -> list[str]:
        found = [self.canonical[m.group(0).lower()] for m in self.names.finditer(text)]
        if self.abbreviations is not None:
            found += [self.canonical[m.group(0).lower()] for m in self.abbreviations.finditer(text)]
        return list(dict.fromkeys(found))

    def mentioned(self, text: str) -> bool:
        return self.names.test(text) or (self.abbreviations is not None and self.abbreviations.test(text))


class CompiledLexicon:
    """The lexicon with every pattern compiled once."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.source = lexicon
        self.sections = [(rule.kind, _ci(rule.pattern)) for rule in lexicon.sections]
        self.non_fact_sections = frozenset(lexicon.non_fact_sections)
        self.police = FastPattern(lexicon.police)
        self.negation_before = FastPattern(lexicon.context.negation_before)
        self.negation_after = FastPattern(lexicon.context.negation_after)
        self.clause_break = _ci(lexicon.context.clause_break)
        self.hypothetical = FastPattern(lexicon.context.hypothetical)
        self.other_subject = FastPattern(lexicon.context.other_subject)
        self.after_death_events = _ci(lexicon.after_death_events)
        self.death = FastPattern(lexicon.death)
        self.death_strong = _ci(lexicon.death_strong)
        self.cover_dates = [_ci(pattern) for pattern in lexicon.cover_dates]

    @cached_property
    def forces(self) -> ForceMatcher:
        canonical: dict[str, str] = {}
        names: list[str] = []
        abbreviations: list[str] = []
        for force in self.source.forces:
            for name in (force.name, *force.aliases):
                canonical[name.lower()] = force.name
                names.append(name)
            for abbreviation in force.abbreviations:
                canonical[abbreviation.lower()] = force.name
                abbreviations.append(abbreviation)
        names.sort(key=len, reverse=True)  # the longest name wins: "West Yorkshire Police" before "Police"
        name_pattern = FastPattern(
            r"\b(?:" + "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names) + r")\b"
        )
        abbreviation_pattern = (
            FastPattern(
                r"(?<![\w&])(?:" + "|".join(re.escape(a) for a in abbreviations) + r")(?![\w&])",
                ignore_case=False,
            )
            if abbreviations
            else None
        )
        return ForceMatcher(name_pattern, abbreviation_pattern, canonical)

    def mentions_police(self, text: str) -> bool:
        return self.police.test(text) or self.forces.mentioned(text)

    def section_kind(self, heading: str) -> str | None:
        cleaned = _heading_words(heading)
        for kind, pattern in self.sections:
            if pattern.search(cleaned):
                return kind
        return None


_HEADING_NUMBER = re.compile(
    r"^\s*((section|part|chapter)\s+)?(\d+(\.\d+)*|[ivxlc]+|[a-z])[.)]?\s+", re.IGNORECASE
)


def _heading_words(heading: str) -> str:
    """A heading without its number, in lower case: '4.2 Analysis of...' -> 'analysis of...'."""
    return _HEADING_NUMBER.sub("", heading).strip().lower()
