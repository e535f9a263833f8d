"""The language of reviews that screening and coding share: section headings, police and force names, and the
context cues that tell a fact of the case from a denial, a duty or somebody else's story.

It lives in `codebooks/lexicon.yaml` so an analyst can extend it without touching code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from pydantic import Field, PlainSerializer, field_validator, model_validator

from briefgen.errors import LexiconInvalid
from briefgen.models import Strict
from briefgen.numwords import YEARS
from briefgen.yamlio import Regex, load_yaml_model, valid_regex

if TYPE_CHECKING:
    # RE2 loads with the compiled lexicon, when a document is to be read: loading the lexicon does not need it.
    from briefgen.fastscan import FastPattern


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
    denial_break: str = Field(description="Where a clause that a denial frame can head begins.")
    denial_frame: str = Field(description="A denial at the head of a clause; it negates the whole clause.")
    general_statement: str = Field(description="A sentence that says what a thing is or does in general.")
    named_things: list[Regex] = Field(
        default_factory=list,
        description="Names of instruments, services and laws, blanked before codes are matched; a group "
        "named `keep` stays.",
    )

    _valid = field_validator(
        "negation_before",
        "negation_after",
        "clause_break",
        "hypothetical",
        "other_subject",
        "denial_break",
        "denial_frame",
        "general_statement",
    )(valid_regex)


FRONT = "front"  # the kind of the text before the first heading
BODY = "body"  # the kind of a section whose heading names no kind ("Chapter 3: Leon and Marcus")


class Cue(Strict):
    """A regular expression for one way reviews say something; a plain string in YAML is a case-insensitive cue.
    `{years}` in it stands for a number of years as reviews write it ('26', 'twenty-six')."""

    pattern: str
    case_sensitive: bool = False

    @field_validator("pattern")
    @classmethod
    def _valid(cls, pattern: str) -> str:
        valid_regex(cue_pattern(pattern))
        return pattern

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: object) -> object:
        return {"pattern": value} if isinstance(value, str) else value


class Cues(Strict):
    """Every cue screening and coding read sentences with; the comments in lexicon.yaml say what each is for."""

    after_death_work: Cue
    police_employment: Cue
    reported_event: Cue
    other_matter: Cue
    abuse_plain: Cue
    no_abuse_noted: Cue
    together_at_death: Cue
    no_police_contact: Cue
    contact_action: Cue
    found_someone: Cue
    not_their_matter: Cue
    unreal_contact: Cue
    caller_said: Cue
    relative_record: Cue
    before_death: Cue
    death_date_follows: Cue
    learning: Cue
    no_learning: Cue
    criticism: Cue
    other_people: Cue
    death_process_agent: Cue
    relative_to_death: Cue
    threat_to_kill: Cue
    age: Cue
    pronoun_age: Cue
    age_told: Cue
    she: Cue
    he: Cue
    perpetrator_named: Cue
    perpetrator_act: Cue
    ended_not_hers: Cue
    ending_wished: Cue
    affirming: Cue
    recommendation_start: Cue
    conditional: Cue
    unreal_outcome: Cue
    purpose: Cue
    short_statement: Cue
    case_fact_item: Cue
    police_practice: Cue
    praise: Cue
    earlier_story: Cue
    death_year: Cue
    story_year: Cue
    next_in_story: Cue
    record_date_label: Cue
    force_no_contact: Cue
    letter_opening: Cue
    letter_closing: Cue
    action_plan_title: Cue
    derivative_title: Cue
    full_report_title: Cue
    summary_title: Cue
    deferral: Cue


class DocumentType(Strict):
    """A kind of document (a Domestic Homicide Review, a Safeguarding Adults Review...), by how it names itself."""

    label: str = Field(description="The type's name, as shown in screening notes.")
    names: str = Field(description="How a document of this type names itself: title, commissioner, statute.")

    _valid = field_validator("names")(valid_regex)


# A set of section kinds, written sorted: a frozenset's own order changes from one process to the next, and the
# lexicon's JSON keys the screening cache.
SectionKinds = Annotated[frozenset[str], PlainSerializer(sorted, return_type=list[str])]


class SectionRoles(Strict):
    """Which section kinds each part of screening and coding reads."""

    facts: SectionKinds
    death_date: SectionKinds
    learning: SectionKinds
    substance: SectionKinds
    judgement: SectionKinds
    duties: SectionKinds
    recommendations: SectionKinds
    chronology: SectionKinds
    not_police_contact: SectionKinds
    not_death_date: SectionKinds
    evidence_order: dict[str, int]
    narrative: SectionKinds = Field(
        default_factory=frozenset,
        description="Kinds that tell the story in order: a day and month given there without a year ('on the 9th "
        "of June') take the year the story has reached.",
    )
    holds_subsections: SectionKinds = Field(
        default_factory=frozenset,
        description="Kinds whose sub-headings name no kind of their own (an agency, a period, a theme): when the "
        "levels of two headings cannot be read, the second stays in the first's kind.",
    )


class WeightedCue(Strict):
    """A people pattern and how sure a sign it is."""

    pattern: str
    weight: int = Field(ge=1)


class PeopleCues(Strict):
    """How a review names the victim and the perpetrator; the comments in lexicon.yaml say what each is for.
    Patterns may use the placeholders `{name}`, `{victim}`, `{perpetrator}`, `{rel}`, `{partner}`, `{age}` and
    `{years}`."""

    not_names: list[str]
    relations: dict[str, str]
    female_words: str
    male_words: str
    subject_pronoun: str
    victim_role: str
    perpetrator_role: str
    introductions: list[WeightedCue]
    ages: str
    perpetrator_acts: str
    perpetrator_act_words: str
    pair_relations: dict[str, str]
    involvement: str
    other_relationship: str

    @model_validator(mode="after")
    def _valid_patterns(self) -> PeopleCues:
        relations = list(self.relations.values())
        for pattern in (
            self.female_words,
            self.male_words,
            self.subject_pronoun,
            self.victim_role,
            self.perpetrator_role,
            *relations,
            *self.pair_relations.values(),
            self.involvement,
            self.other_relationship,
            self.perpetrator_act_words,
        ):
            valid_regex(pattern)
        for pattern in (self.ages, self.perpetrator_acts, *(cue.pattern for cue in self.introductions)):
            valid_regex(people_pattern(pattern, self.relations))
        return self


# A name as reviews write it: 'Sian', “Sian”, SIAN, Mrs B, Adult A. Matched case-insensitively, so whatever
# it captures is checked again against NAME_SHAPE.
_TITLE = r"(?:Adult|Mrs|Mr|Ms|Miss|Mx)"
_NAME = rf"{_TITLE}\.?\s+(?:[A-Z]\b|[A-Z][A-Za-z]+(?:-[A-Z][A-Za-z]+)?)|[A-Z][A-Za-z]+(?:-[A-Z][A-Za-z]+)?"
# A title alone ("Mr") is not a name; a title with an initial or a surname ("Mr C", "Mr Ellis") is.
NAME_SHAPE = re.compile(
    rf"{_TITLE}\.?\s+(?:[A-Z]|[A-Z][a-z]+(?:-[A-Z][a-z]+)?)|(?!{_TITLE}$)[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
)


_KIN = "family_member"  # the relationship whose words also name the victim's own relatives ('her mother')


def people_pattern(pattern: str, relations: dict[str, str]) -> str:
    """A people pattern with its placeholders filled in: names, relationship words and ages as named groups.
    `{partner}` is a relationship word that is not kin: a review names the victim's relatives by pseudonym too."""
    quoted = r"[\"'‘’“”]?(?P<{0}>{1})[\"'’”]?"

    def words(values: list[str]) -> str:
        return "(?P<rel>" + "|".join(relations[v].replace(" ", r"\s+") for v in values) + r")\b"

    return (
        pattern.replace("{name}", quoted.format("name", _NAME))
        .replace("{victim}", quoted.format("victim", _NAME))
        .replace("{perpetrator}", quoted.format("perpetrator", _NAME))
        .replace("{rel}", words(list(relations)))
        .replace("{partner}", words([value for value in relations if value != _KIN]))
        .replace("{age}", rf"(?P<age>{YEARS})")
        .replace("{years}", rf"(?:{YEARS})")
    )


def cue_pattern(pattern: str) -> str:
    """A cue with its placeholder filled in: `{years}`, a number of years in digits or words."""
    return pattern.replace("{years}", rf"(?:{YEARS})")


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
    people: PeopleCues
    cover_dates: list[str] = Field(
        default_factory=list,
        description="Cover labels of a review's own date, most telling first; group `rest`.",
    )
    document_types: dict[str, DocumentType] = Field(
        default_factory=dict,
        description="Kinds of document by id, recognised from the cover; criteria accept some of them.",
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


def _either_named(patterns: list[str]) -> str:
    """One pattern for a quick test of every named thing (named groups dropped, since names may repeat)."""
    return "|".join(f"(?:{re.sub(r'[(][?]P<[a-z]+>', '(?:', pattern)})" for pattern in patterns)


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

    def named_in_full(self, text: str) -> set[str]:
        """The forces `text` names by their full or other name, not by an abbreviation alone."""
        return {self.canonical[m.group(0).lower()] for m in self.names.finditer(text)}

    def mentioned(self, text: str) -> bool:
        return self.names.test(text) or (self.abbreviations is not None and self.abbreviations.test(text))


class CompiledCues:
    """Each cue compiled once, by the name it has in lexicon.yaml."""

    def __init__(self, cues: Cues) -> None:
        from briefgen.fastscan import FastPattern

        for name in Cues.model_fields:
            cue: Cue = getattr(cues, name)
            setattr(self, name, FastPattern(cue_pattern(cue.pattern), ignore_case=not cue.case_sensitive))

    if TYPE_CHECKING:  # every field of Cues, compiled

        def __getattr__(self, name: str) -> FastPattern: ...


class CompiledPeople:
    """The people cues compiled once: names, relationship words and ages filled in."""

    def __init__(self, cues: PeopleCues) -> None:
        from briefgen.fastscan import FastPattern

        self.not_names = frozenset(cues.not_names)
        self.relations = [(value, _ci(rf"\b(?:{words})\b")) for value, words in cues.relations.items()]
        self.female = _ci(rf"\b(?:{cues.female_words})\b")
        self.male = _ci(rf"\b(?:{cues.male_words})\b")
        self.subject_pronoun = _ci(cues.subject_pronoun)
        self.victim_role = _ci(cues.victim_role)
        self.perpetrator_role = _ci(cues.perpetrator_role)
        self.introductions = [
            (FastPattern(people_pattern(cue.pattern, cues.relations), multiline=True), cue.weight)
            for cue in cues.introductions
        ]
        self.ages = FastPattern(people_pattern(cues.ages, cues.relations))
        self.perpetrator_acts = _ci(people_pattern(cues.perpetrator_acts, cues.relations))
        self.perpetrator_act_words = FastPattern(cues.perpetrator_act_words)
        self.pair_relations = [
            (value, FastPattern(pattern)) for value, pattern in cues.pair_relations.items()
        ]
        self.involvement = cues.involvement
        self.other_relationship = FastPattern(cues.other_relationship)

    def involved(self, *names: str | None) -> re.Pattern[str]:
        """A pattern for any words that bring the people of the case into a passage: their names, or the
        generic words ('the victim', 'the couple') the review uses for them."""
        escaped = [re.escape(n) for n in names if n]
        names_part = rf"\b(?:{'|'.join(escaped)})\b|" if escaped else ""
        return re.compile(names_part + rf"(?i:{self.involvement})")


class CompiledLexicon:
    """The lexicon with every pattern compiled once."""

    def __init__(self, lexicon: Lexicon) -> None:
        from briefgen.fastscan import FastPattern

        self.source = lexicon
        self.sections = [(rule.kind, _ci(rule.pattern)) for rule in lexicon.sections]
        self.non_fact_sections = frozenset(lexicon.non_fact_sections)
        self.police = FastPattern(lexicon.police)
        self.negation_before = FastPattern(lexicon.context.negation_before)
        self.negation_after = FastPattern(lexicon.context.negation_after)
        self.clause_break = _ci(lexicon.context.clause_break)
        self.hypothetical = FastPattern(lexicon.context.hypothetical)
        self.other_subject = FastPattern(lexicon.context.other_subject)
        self.denial_break = _ci(lexicon.context.denial_break)
        self.denial_frame = _ci(lexicon.context.denial_frame)
        self.general_statement = FastPattern(lexicon.context.general_statement)
        self.named_things = [_ci(pattern) for pattern in lexicon.context.named_things]
        self.any_named_thing = (
            FastPattern(_either_named(lexicon.context.named_things)) if lexicon.context.named_things else None
        )
        self.after_death_events = _ci(lexicon.after_death_events)
        self.death = FastPattern(lexicon.death)
        self.death_strong = _ci(lexicon.death_strong)
        self.cover_dates = [_ci(pattern) for pattern in lexicon.cover_dates]
        self.roles = lexicon.section_roles
        self.cues = CompiledCues(lexicon.cues)
        self.people = CompiledPeople(lexicon.people)
        self.document_types = {
            name: (kind.label, _ci(kind.names)) for name, kind in lexicon.document_types.items()
        }

    @cached_property
    def forces(self) -> ForceMatcher:
        from briefgen.fastscan import FastPattern

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
