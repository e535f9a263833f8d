"""The codebook: themes, codes with their match rules, case features and the special theme, as YAML.

The pydantic models here are the file's schema: `briefgen schema codebook` prints them as JSON Schema for an
editor, `briefgen codebook check` reports every problem with its YAML line, and `to_qdc` exports the codes to
the REFI-QDA codebook format that NVivo, ATLAS.ti, MAXQDA and QualCoder open.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Annotated, Literal
from xml.sax.saxutils import escape as _escape
from xml.sax.saxutils import quoteattr as _quoteattr

from pydantic import AfterValidator, Field, ValidationError, model_validator

from briefgen.errors import CodebookInvalid
from briefgen.models import (
    CodebookSnapshot,
    CodeInfo,
    FactInfo,
    FileRef,
    GuidanceLink,
    SpecialThemeInfo,
    Strict,
    ThemeInfo,
)
from briefgen.text import xml_safe
from briefgen.yamlio import Regex, _read_yaml, describe_all_problems, load_yaml_model

_ID = r"^[a-z][a-z0-9_]*$"


def _valid_phrase(phrase: str) -> str:
    """A pydantic validator: the phrase has something to match (`*` alone would match an empty string)."""
    if phrase.split() in ([], ["*"]):
        raise ValueError(f"phrase {phrase!r} can match an empty string: give it a word")
    return phrase


Phrase = Annotated[str, AfterValidator(_valid_phrase)]


class Rule(Strict):
    """One way a sentence can match: a list of phrases, a regular expression, or terms near each other.

    Phrases are case-insensitive whole words; `*` at the end of a word matches any ending (`stalk*`)."""

    phrases: list[Phrase] | None = Field(default=None, description="Any of these phrases.")
    regex: Regex | None = Field(default=None, description="A Python regular expression, case-insensitive.")
    near: list[list[Phrase]] | None = Field(
        default=None,
        description="Two lists of phrases: one from each within `within` words, in either order.",
    )
    within: int = Field(
        default=8, ge=1, le=40, description="For `near`: how many words may separate the terms."
    )
    negative: bool = Field(
        default=False,
        description="The rule describes an absence ('no money of her own'): a negation inside the match is its "
        "meaning, so only a negation before it counts.",
    )

    @model_validator(mode="after")
    def _one_kind(self) -> Rule:
        kinds = [k for k in ("phrases", "regex", "near") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError("a rule has exactly one of phrases, regex or near")
        if self.near is not None and (len(self.near) != 2 or not all(self.near)):
            raise ValueError("near takes two lists of phrases")
        if self.phrases is not None and not self.phrases:
            raise ValueError("phrases must not be empty")
        return self

    def pattern(self) -> str:
        """The rule as one regular expression."""
        if self.regex is not None:
            return self.regex
        if self.phrases is not None:
            return _alternation(self.phrases)
        assert self.near is not None
        left, right = _alternation(self.near[0]), _alternation(self.near[1])
        gap = rf"\W+(?:\w+\W+){{0,{self.within}}}?"
        return rf"(?:{left}){gap}(?:{right})|(?:{right}){gap}(?:{left})"


def _phrase_pattern(phrase: str) -> str:
    words = phrase.strip().split()
    parts = []
    for word in words:
        if word.endswith("*"):
            parts.append(re.escape(word[:-1]) + r"[\w'’-]*")
        else:
            parts.append(re.escape(word))
    body = r"[\s-]+".join(parts)
    start = r"\b" if re.match(r"\w", phrase.strip()) else ""
    end = r"\b" if re.search(r"[\w]$", phrase.strip()) else ""
    return start + body + end


def _alternation(phrases: list[str]) -> str:
    return "|".join(_phrase_pattern(p) for p in sorted(phrases, key=len, reverse=True))


class Context(Strict):
    """Which context filters apply: a code about a failure ("no DASH was completed") turns negation off."""

    negation: bool = True
    hypothetical: bool = True
    other_subject: bool = True
    before_death: bool = Field(
        default=False,
        description="Only before the death counts: a sentence about the murder investigation does not.",
    )


class Sections(Strict):
    exclude: list[str] | None = Field(default=None, description="Section kinds that do not count.")
    only: list[str] | None = Field(default=None, description="Only these section kinds count.")


class Code(Strict):
    id: str = Field(pattern=_ID)
    theme: str
    label: str
    definition: str
    match: list[Rule] = Field(min_length=1, description="A sentence matching any of these is a candidate.")
    require: list[Rule] = Field(
        default_factory=list,
        description="Each of these must also match the sentence (or one within `window`).",
    )
    unless: list[Rule] = Field(
        default_factory=list,
        description="A sentence matching any of these (or one within `window`) does not count.",
    )
    window: int = Field(
        default=0,
        ge=0,
        le=3,
        description="How many sentences either side, in the same paragraph, `require` and `unless` may look at.",
    )
    sections: Sections | None = Field(default=None, description="Default: the codebook's excluded sections.")
    context: Context = Field(default_factory=Context)
    min_hits: int = Field(default=1, ge=1, description="How many sentences make the code present.")
    polarity: Literal["failing", "good_practice", "neutral"] = Field(
        default="failing",
        description="What the code says of police practice: failing (it fell short), good_practice, or neutral "
        "(a feature of the case). The briefing counts and quotes them apart.",
    )


class Fact(Strict):
    """A quantity reviews state about a case (call-outs, DASH gradings, referrals), found by a pattern in which
    `{n}` stands for the number: digits or words ('22', 'nine', 'twenty-two')."""

    id: str = Field(pattern=_ID)
    theme: str = Field(description="The theme whose synthesis uses it.")
    label: str
    match: list[Regex] = Field(
        min_length=1,
        description="Regexes in which `{n}` stands for the number; the first that matches gives it.",
    )

    @model_validator(mode="after")
    def _has_number(self) -> Fact:
        if any("{n}" not in pattern for pattern in self.match):
            raise ValueError("each match pattern needs {n} where the number stands")
        return self

    require: Regex | None = Field(default=None, description="The sentence must also match this regex.")


class Theme(Strict):
    id: str = Field(pattern=_ID)
    title: str
    group: str = Field(description="The heading the theme is shown under in the briefing.")
    special: bool = False
    nvap_action: str | None = None
    nvap_title: str | None = None
    description: str
    reflective_questions: list[str] = Field(default_factory=list)
    guidance: list[GuidanceLink] = Field(default_factory=list)


class CaseTypeRule(Strict):
    value: str = Field(pattern=_ID)
    max_days_first_contact_to_death: int | None = Field(default=None, ge=0)
    any_codes: list[str] = Field(default_factory=list, description="At least one of these codes is present.")
    all_codes: list[str] = Field(default_factory=list, description="All of these codes are present.")


class CaseType(Strict):
    default: str = Field(pattern=_ID)
    rules: list[CaseTypeRule] = Field(
        default_factory=list, description="The first rule that holds gives the type."
    )


class SpecialTheme(Strict):
    title: str
    case_type: str | None = Field(default=None, description="The case type the special theme is about.")
    key_factors: list[str] = Field(
        default_factory=list, description="Code or feature ids shown as key factors."
    )


class Features(Strict):
    """Vocabulary for the case features; each list is phrases or regular expressions as marked."""

    female_words: list[Phrase]
    male_words: list[Phrase]
    relationship_words: dict[str, list[Phrase]] = Field(
        description="Relationship (partner, ex_partner, family_member, household_member, other) -> phrases."
    )
    cohabiting_yes: list[Regex] = Field(description="Regexes that say the two lived together.")
    cohabiting_no: list[Regex] = Field(description="Regexes that say they did not live together.")
    suicide: list[Regex] = Field(description="Regexes for the victim taking their own life.")
    relationship_ended: list[Regex] = Field(
        default_factory=list,
        description="Regexes that say a relationship had ended (partner becomes ex_partner).",
    )
    abuse_contact: Regex = Field(description="Regex: a police contact is about abuse when it matches.")


class Codebook(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    title: str
    version: str
    description: str = ""
    exclude_sections: list[str] = Field(
        description="Section kinds that do not count, unless a code says otherwise."
    )
    themes: list[Theme] = Field(min_length=1)
    codes: list[Code] = Field(min_length=1)
    features: Features
    case_type: CaseType
    special_theme: SpecialTheme
    facts: list[Fact] = Field(
        default_factory=list, description="Quantities to extract from each review, with their evidence."
    )

    @model_validator(mode="after")
    def _references(self) -> Codebook:
        themes = {t.id for t in self.themes}
        codes = [c.id for c in self.codes]
        problems = []
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            problems.append(f"code ids must be unique: {', '.join(duplicates)}")
        for code in self.codes:
            if code.theme not in themes:
                problems.append(f"code {code.id!r} names theme {code.theme!r}, which is not defined")
        for fact in self.facts:
            if fact.theme not in themes:
                problems.append(f"fact {fact.id!r} names theme {fact.theme!r}, which is not defined")
        known = set(codes)
        for rule in self.case_type.rules:
            for cid in (*rule.any_codes, *rule.all_codes):
                if cid not in known:
                    problems.append(f"case_type rule names code {cid!r}, which is not defined")
        special_type = self.special_theme.case_type
        if special_type is not None and special_type not in self.case_types():
            problems.append(
                f"special_theme.case_type {special_type!r} is not a case type ({', '.join(self.case_types())})"
            )
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def snapshot(self, ref: FileRef) -> CodebookSnapshot:
        """What the renderer needs: the texts, not the rules."""
        return CodebookSnapshot(
            ref=ref,
            themes=[
                ThemeInfo(
                    id=t.id,
                    title=t.title,
                    group=t.group,
                    nvap_action=t.nvap_action,
                    nvap_title=t.nvap_title,
                    description=t.description,
                    reflective_questions=t.reflective_questions,
                    guidance=t.guidance,
                    special=t.special,
                )
                for t in self.themes
            ],
            codes=[
                CodeInfo(id=c.id, theme=c.theme, label=c.label, definition=c.definition, polarity=c.polarity)
                for c in self.codes
            ],
            facts=[FactInfo(id=f.id, theme=f.theme, label=f.label) for f in self.facts],
            special_theme=SpecialThemeInfo(
                title=self.special_theme.title,
                case_type=self.special_theme.case_type,
                key_factors=self.special_theme.key_factors,
            ),
            case_types=self.case_types(),
        )

    def case_types(self) -> list[str]:
        """Every case type the rules can give, then the default."""
        values = [rule.value for rule in self.case_type.rules] + [self.case_type.default]
        return list(dict.fromkeys(values))


def load_codebook(path: Path) -> Codebook:
    return load_yaml_model(path, Codebook, error=CodebookInvalid)


def check_codebook(path: Path) -> list[str]:
    """Every problem in the codebook file, each with its YAML line; empty when it is valid."""
    try:
        data, root = _read_yaml(path, CodebookInvalid)
    except CodebookInvalid as exc:
        return [str(exc)]
    try:
        Codebook.model_validate(data)
    except ValidationError as exc:
        return [f"{path}: {line}" for line in describe_all_problems(exc, root)]
    return []


# --- REFI-QDA codebook export ---------------------------------------------------------------------------------

_QDC_NAMESPACE = uuid.UUID("6f1c5e1e-0c2a-4b9e-9a52-2d6f3b8c1a10")
_THEME_COLOURS = ["#1f5f8b", "#c0392b", "#8e44ad", "#27ae60", "#d68910", "#2c3e50", "#16a085", "#7f8c8d"]


def escape(text: str) -> str:
    """Element text XML can hold: escaped, and characters it cannot hold (a form feed) replaced."""
    return _escape(xml_safe(text))


def quoteattr(text: str) -> str:
    """An attribute value XML can hold, quoted."""
    return _quoteattr(xml_safe(text))


def _guid(*parts: str) -> str:
    """Stable GUIDs, so exporting the same codebook twice gives the same file."""
    return str(uuid.uuid5(_QDC_NAMESPACE, "/".join(parts))).upper()


def to_qdc(codebook: Codebook) -> str:
    """The codebook as a REFI-QDA Codebook (.qdc): themes become parent codes, codes their children."""
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="briefgen">',
        "  <Codes>",
    ]
    for index, theme in enumerate(codebook.themes):
        colour = _THEME_COLOURS[index % len(_THEME_COLOURS)]
        name = f"{theme.nvap_action} {theme.title}" if theme.nvap_action else theme.title
        lines.append(
            f"    <Code guid={quoteattr(_guid(codebook.id, theme.id))} name={quoteattr(name)} "
            f'isCodable="false" color="{colour}">'
        )
        lines.append(f"      <Description>{escape(theme.description.strip())}</Description>")
        for code in (c for c in codebook.codes if c.theme == theme.id):
            lines.append(
                f"      <Code guid={quoteattr(_guid(codebook.id, theme.id, code.id))} "
                f'name={quoteattr(code.label)} isCodable="true" color="{colour}">'
            )
            lines.append(
                f"        <Description>{escape(f'[{code.id}] {code.definition.strip()}')}</Description>"
            )
            lines.append("      </Code>")
        lines.append("    </Code>")
    lines += ["  </Codes>", "</CodeBook>", ""]
    return "\n".join(lines)
