"""The language of reviews that screening and coding share: section headings, police and force names, and the
context cues that tell a fact of the case from a denial, a duty or somebody else's story.

It lives in `codebooks/lexicon.yaml` so an analyst can extend it without touching code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import Field, field_validator, model_validator

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


FRONT = "front"  # the kind of the text before the first heading
BODY = "body"  # the kind of a section whose heading names no kind ("Chapter 3: Leon and Marcus")


class Cue(Strict):
    """A regular expression for one way reviews say something; a plain string in YAML is a case-insensitive cue."""

    pattern: str
    case_sensitive: bool = False

    _valid = field_validator("pattern")(valid_regex)

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: object) -> object:
        return {"pattern": value} if isinstance(value, str) else value


class Cues(Strict):
    """Every cue screening and coding read sentences with; the comments in lexicon.yaml say what each is for."""

    after_death_work: Cue
    police_employment: Cue
    no_police_contact: Cue
    contact_action: Cue
    unreal_contact: Cue
    before_death: Cue
    learning: Cue
    no_learning: Cue
    criticism: Cue
    other_people: Cue
    relative_to_death: Cue
    threat_to_kill: Cue
    age: Cue
    pronoun_age: Cue
    she: Cue
    he: Cue
    perpetrator_named: Cue
    perpetrator_act: Cue
    ended_not_hers: Cue
    ending_wished: Cue
    affirming: Cue
    recommendation_start: Cue
    conditional: Cue


class SectionRoles(Strict):
    """Which section kinds each part of screening and coding reads."""

    facts: frozenset[str]
    death_date: frozenset[str]
    learning: frozenset[str]
    judgement: frozenset[str]
    duties: frozenset[str]
    recommendations: frozenset[str]
    chronology: frozenset[str]
    not_police_contact: frozenset[str]
    not_death_date: frozenset[str]
    evidence_order: dict[str, int]
    holds_subsections: frozenset[str] = Field(
        default_factory=frozenset,
        description="Kinds whose sub-headings name no kind of their own (an agency, a period, a theme): when the "
        "levels of two headings cannot be read, the second stays in the first's kind.",
    )


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
    section_roles: SectionRoles
    cues: Cues
    cover_dates: list[str] = Field(
        default_factory=list,
        description="Cover labels of a review's own date, most telling first; group `rest`.",
    )

    _valid = field_validator("police", "after_death_events", "death", "death_strong")(valid_regex)
    _valid_list = field_validator("cover_dates")(lambda values: [valid_regex(v) for v in values])

    @model_validator(mode="after")
    def _known_sections(self) -> Lexicon:
        """Every section kind the roles name is one the headings can give (or `front`, before the first, and
        `body`, under a heading that names no kind)."""
        kinds = {rule.kind for rule in self.sections} | {FRONT, BODY}
        roles = self.section_roles
        named = {
            "non_fact_sections": set(self.non_fact_sections),
            "evidence_order": set(roles.evidence_order),
        }
        named |= {
            name: set(getattr(roles, name)) for name in SectionRoles.model_fields if name != "evidence_order"
        }
        for name, values in named.items():
            unknown = sorted(values - kinds)
            if unknown:
                raise ValueError(f"{name} names section kinds no heading gives: {', '.join(unknown)}")
        return self


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


class CompiledCues:
    """Each cue compiled once, by the name it has in lexicon.yaml."""

    def __init__(self, cues: Cues) -> None:
        for name in Cues.model_fields:
            cue: Cue = getattr(cues, name)
            setattr(self, name, FastPattern(cue.pattern, ignore_case=not cue.case_sensitive))

    if TYPE_CHECKING:  # every field of Cues, compiled

        def __getattr__(self, name: str) -> FastPattern: ...


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
        self.roles = lexicon.section_roles
        self.cues = CompiledCues(lexicon.cues)

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


# The number that starts a heading, with its label: "4.2 ", "iv) ", "Chapter 2: ", "Section B - ", "Part 3. ".
HEADING_NUMBER = re.compile(
    r"^\s*((section|part|chapter)\s+)?(\d+(\.\d+)*|[ivxlc]+|[a-z])(\s*[.):\-–—])?\s+", re.IGNORECASE
)


def _heading_words(heading: str) -> str:
    """A heading without its number or closing colon, in lower case: '4.2 Analysis of:' -> 'analysis of'."""
    return HEADING_NUMBER.sub("", heading).strip().rstrip(":").strip().lower()
