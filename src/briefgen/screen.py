"""Screening: does a review meet the inclusion criteria? Each criterion is decided with the sentences that show it.

Three kinds of criterion, each with its parameters in the criteria file:
- `incident_date`: the death that triggered the review happened on or after a date;
- `police_contact`: the police had contact with the victim or the perpetrator before the death;
- `police_learning`: the review draws explicit learning about police practice (omissions or good practice).

A document is included only when every criterion is met; excluded when one is not met (the first, in the
file's order, is the exclusion reason); and left for an analyst's review when one is unknown or the file could
not be read. It is never included on unknown evidence.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from briefgen.errors import CriteriaInvalid, OverridesInvalid
from briefgen.fastscan import FastPattern
from briefgen.lexicon import CompiledLexicon
from briefgen.models import (
    CriterionResult,
    CriterionText,
    Decision,
    DocumentText,
    Evidence,
    Outcome,
    OverrideApplied,
    Problem,
    ScreenedDocument,
    ScreeningCounts,
)
from briefgen.text import PartialDate, Sentence, evidence_of, find_dates, find_pseudonym, segment
from briefgen.yamlio import load_yaml_model

MAX_EVIDENCE = 3


# --- the criteria file ---------------------------------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Criterion(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Short id, used as the exclusion reason.")
    kind: Literal["incident_date", "police_contact", "police_learning"]
    exclude_id: str = Field(
        pattern=r"^[a-z][a-z0-9_]*$", description="Names this exclusion in counts and outputs."
    )
    text: str = Field(description="The criterion as worded in the briefing's methodology.")
    exclude_text: str = Field(description="The matching exclusion, as worded in the methodology.")
    on_or_after: date | None = Field(
        default=None, description="For incident_date: the earliest date of death."
    )


class Criteria(_Model):
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
        return criteria

    def texts(self) -> list[CriterionText]:
        return [
            CriterionText(id=c.id, text=c.text, exclude_text=c.exclude_text, exclude_id=c.exclude_id)
            for c in self.criteria
        ]


def load_criteria(path: Path) -> Criteria:
    return load_yaml_model(path, Criteria, error=CriteriaInvalid)


class Override(_Model):
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


class Overrides(_Model):
    overrides: list[Override] = Field(default_factory=list)


def load_overrides(path: Path) -> Overrides:
    return load_yaml_model(path, Overrides, error=OverridesInvalid)


# --- deciding one document -----------------------------------------------------------------------------------

_POST_DEATH = FastPattern(
    r"murder investigation|homicide investigation|major (crime|investigation) team|\bMIT\b|\bSIO\b|senior investigating"
    r"|family liaison|\bFLOs?\b|(after|following|since|subsequent to) (her|his|their|the|[A-Z][a-z]+'s) "
    r"(death|murder|homicide|killing|suicide)|(arrested|charged|convicted|interviewed|remanded)[^.]{0,40}"
    r"\b(murder|manslaughter|homicide)|post[- ]mortem|found (her|his) body|the body|\bIOPC\b|\bIPCC\b|the inquest"
    r"|professional standards|found (her|him|[A-Z][a-z]+) (in|on|at|lying|collapsed|unconscious|unresponsive|with "
    r"(severe|fatal|serious|multiple|catastrophic))|\bthe scene\b|paramedics|\bCPR\b"
)
_POLICE_EMPLOYMENT = FastPattern(
    r"serving (police )?officer|police officer by|joined (the )?(police|force|constabulary)|worked (as|for)[^.]{0,40}"
    r"(police|constabulary)|employed (by|as)[^.]{0,40}(police|constabulary|officer)|\bcolleagues\b|\bvetting\b"
    r"|retired (police |detective )?(officer|superintendent|inspector|sergeant|chief)|former(ly)? (a )?(police|detective)"
    r"|served (with|in|for)[^.]{0,40}(police|constabulary)|police (career|service) of|years'? (police )?service"
    r"|\bvetted\b|\bre-vetted\b|\bemployer\b|\bemployment\b|police (systems|databases?|computers?)|misconduct|"
    r"his (force|police colleagues|line manager|sergeant|inspector)|on duty|off duty"
)
_NO_CONTACT = FastPattern(
    r"(not|never been) known to[^.]{0,30}(police|constabulary)|no (previous |prior |recorded |known )?"
    r"(contact|involvement|dealings|record)[^.]{0,40}(police|constabulary)|(police|constabulary)[^.]{0,60}"
    r"(had|held) no (record|contact|involvement|information|intelligence)|never (reported|disclosed)[^.]{0,60}"
    r"(police|constabulary)|no (police|reports? to (the )?police) (involvement|contact|record)|"
    r"(did not|didn't) (report|disclose)[^.]{0,60}(to|with) (the )?(police|constabulary)|"
    r"(none|no part|nothing) of (this|these|it)[^.]{0,30}(amounts?|amounted|constitutes?) to[^.]{0,20}contact|"
    r"there (was|had been|is) no (previous |prior )?(police )?(contact|involvement)"
)
_CONTACT_ACTION = FastPattern(
    r"\battend(ed|ing)?\b|\bwere called\b|\bwas called\b|\b(called|rang|phoned|dialled|contacted|telephoned) "
    r"(the )?(police|999|101)|\b(999|101) (call|calls)\b|\breport(ed|ing)?\b|\bvisit(ed)?\b|\barrest(ed)?\b|"
    r"\bspoke (to|with)\b|\binterview(ed)?\b|\bcaution(ed)?\b|\bissued\b|\bDASH\b|\brisk assess|\brecorded\b|"
    r"\brespond(ed)?\b|\breceived (a|an|the)\b|\bwelfare check\b|\bdomestic (incident|abuse incident|call)|"
    r"\bPINs?\b|\bharassment warning\b|\bbail(ed)?\b|\bCAD\b|\bstopped\b|\bdetained\b|\badvised\b|\breferred\b|"
    r"\bgraded\b|\bcontact with\b|\bcame to the attention\b|\bknown to\b|\bmissing person\b|\bcomplain",
)
_LEARNING = FastPattern(
    r"missed opportunit|should have|should not have|could have|would have|failed to|failure|did not|was not|were not"
    r"|wasn't|weren't|no (DASH|risk assessment|referral|record|action)|inadequa|insufficien|\bpoor(ly)?\b|\black of\b"
    r"|\bdelay|good practice|\bappropriate(ly)?\b|in line with|commend|\blearning\b|\blessons?\b|opportunit|shortcoming"
    r"|\bgaps?\b|weakness|not in accordance|below the (expected )?standard|mis(identif|record|grad|understood)|downgrad"
    r"|incorrect|wrong(ly)?|\bbetter\b|\bimprove|\bconcern|\bquality\b|\bpractice\b|\beffective(ly)?\b|\bdeficien"
)
_NO_LEARNING = FastPattern(
    r"no (specific |particular |new |further |significant |additional |areas? of )?(learning|lessons|issues|concerns|"
    r"recommendations?|criticism)[^.]{0,80}\b(police|constabulary|force)\b|\b(police|constabulary|force)\b[^.]{0,80}"
    r"(no (specific |particular |new |further |significant |additional )?(learning|lessons|recommendations?|"
    r"issues of concern|criticism)|nothing (further |more )?(could|should) (reasonably )?have been done)"
)
# A report or call that was only feared, imagined or planned is not contact.
_UNREAL_CONTACT = FastPattern(
    r"\bcould\b|\bworr(y|ied|ying)\b|\bafraid (that|of)\b|\bfear(ed)? that\b|\bwould\b"
)
_BEFORE_DEATH = FastPattern(
    r"\b(before|prior to|preceding|leading up to|in the (days|weeks|months|year) before) (her|his|their|the|[A-Z][a-z]+'s) "
    r"(death|murder|homicide|killing|suicide)"
)
_CRITICAL = FastPattern(
    r"missed opportunit|should have|failed to|failure to|did not (complete|refer|record|recognise|identify|consider|"
    r"follow|attend|arrest|check|share|make|ask|take|pursue|investigate)|(was|were) not (completed|recorded|recognised|"
    r"identified|followed|shared|referred|made|asked|considered|investigated)|\bno (DASH|risk assessment|referral) was"
    r"|inadequa|insufficien|\bpoor(ly)?\b|shortcoming|below the (expected )?standard|mis(identif|record|grad)|downgrad"
    r"|incorrect(ly)?|wrong(ly)?"
)
_LEARNING_SECTIONS = frozenset(
    {"analysis", "conclusions", "lessons", "introduction", "background", "chronology"}
)


@dataclass
class _Context:
    document: DocumentText
    sentences: list[Sentence]
    lexicon: CompiledLexicon
    pseudonym: str | None


def screen_document(
    source: str, document: DocumentText, criteria: Criteria, lexicon: CompiledLexicon
) -> ScreenedDocument:
    """Decide every criterion for one readable document, and the decision they lead to."""
    sentences = segment(document, lexicon)
    context = _Context(document, sentences, lexicon, find_pseudonym(document))
    death, death_evidence = find_incident_date(context)
    results = []
    for criterion in criteria.criteria:
        if criterion.kind == "incident_date":
            results.append(_judge_date(criterion, death, death_evidence))
        elif criterion.kind == "police_contact":
            results.append(_judge_police_contact(criterion, context, death))
        else:
            results.append(_judge_police_learning(criterion, context))
    decision, reasons, exclusion = _decide(results, criteria)
    return ScreenedDocument(
        source=source,
        sha256=document.sha256,
        title=document.title,
        format=document.format,
        page_unit=document.page_unit,
        page_count=len(document.pages),
        incident_date=death.iso() if death else None,
        incident_date_evidence=death_evidence,
        decision=decision,
        criteria=results,
        reasons=reasons,
        exclusion_reason=exclusion,
    )


def unreadable_document(
    source: str, sha256: str, problem: Problem, detail: str, criteria: Criteria, fmt: str
) -> ScreenedDocument:
    """A document that could not be read goes to an analyst, with the problem named."""
    return ScreenedDocument(
        source=source,
        sha256=sha256,
        title=Path(source).stem,
        format=fmt,
        page_unit="page",
        page_count=0,
        incident_date=None,
        decision=Decision.review,
        criteria=[
            CriterionResult(id=c.id, result=Outcome.unknown, note="The document could not be read.")
            for c in criteria.criteria
        ],
        reasons=[f"Could not be read: {detail}"],
        problem=problem,
        problem_detail=detail,
    )


def _decide(results: list[CriterionResult], criteria: Criteria) -> tuple[Decision, list[str], str | None]:
    by_id = {criterion.id: criterion for criterion in criteria.criteria}
    failed = [r for r in results if r.result is Outcome.not_met]
    unknown = [r for r in results if r.result is Outcome.unknown]
    if failed:
        reasons = [f"{by_id[r.id].exclude_text} {r.note}" for r in failed]
        return Decision.exclude, reasons, by_id[failed[0].id].exclude_id
    if unknown:
        return Decision.review, [f"Not decided: {by_id[r.id].text} {r.note}" for r in unknown], None
    return Decision.include, [f"Met: {by_id[r.id].text}" for r in results], None


# --- date of death -------------------------------------------------------------------------------------------

_KIN = FastPattern(
    r"\b(father|mother|dad|mum|brother|sister|grand(mother|father|parent)|uncle|aunt|cousin|friend|son|daughter|"
    r"baby|previous partner|ex-wife|first wife|husband's|another)\b"
)
_RELATIVE_TO_DEATH = re.compile(
    r"\b(before|prior to|preceding|after|following|since|until|till|ahead of|leading up to|in the (days|weeks|months)"
    r"|weeks|months|years|days)\b",
    re.IGNORECASE,
)
_THREAT = FastPattern(
    r"\bthreat|\bthreaten|\b(would|will|going to|wanted to|tried to|try to|attempt(ed)? to) (kill|murder)|nearly (died|killed)"
    r"|\bsaid (he|she) (would|will)|\bif (she|he) (left|leaves|went)"
)
_FACT_DATE_SECTIONS = frozenset(
    {"front", "introduction", "background", "chronology", "analysis", "conclusions"}
)


def find_incident_date(context: _Context) -> tuple[PartialDate | None, list[Evidence]]:
    """The date of death: the date that sentences about the death agree on, weighted by how plainly they say it."""
    lexicon = context.lexicon
    scores: dict[PartialDate, float] = {}
    support: dict[PartialDate, list[Sentence]] = {}
    rows_seen: set[int] = set()
    for sentence in context.sentences:
        if sentence.kind in lexicon.non_fact_sections or sentence.kind == "parallel":
            continue
        if sentence.cells:
            if sentence.paragraph in rows_seen:
                continue  # a table row is judged once, not once per sentence in it
            rows_seen.add(sentence.paragraph)
        text = sentence.whole
        death_words = [m.start() for m in lexicon.death.finditer(text)]
        if not death_words:
            continue
        event_words = [m.start() for m in lexicon.after_death_events.finditer(text)]
        strong = bool(lexicon.death_strong.search(text)) or "date of death" in text.lower()
        if strong and event_words and min(event_words) < death_words[0]:
            strong = (
                False  # "the police notified the partnership of her death on 6 November" is about process
            )
        for mention in find_dates(text):
            centre = (mention.start + mention.end) // 2
            nearest = min(death_words, key=lambda w: abs(centre - w))
            to_death = abs(centre - nearest)
            to_event = min((abs(centre - w) for w in event_words), default=10**6)
            if to_death > 120 or to_event < to_death:
                continue
            between = text[min(mention.end, nearest) : max(mention.start, nearest)]
            if _RELATIVE_TO_DEATH.search(between):
                continue  # "on 1 February 2019, 22 days before her death"
            if not strong and _THREAT.test(text):
                continue  # "he said he would kill her" on a date long before the death
            score = 1.0 + (4.0 if strong else 0.0) + (1.0 if sentence.kind in _FACT_DATE_SECTIONS else 0.0)
            if context.pseudonym and context.pseudonym.split()[-1] in text:
                score += 1.0
            if _KIN.test(text) and not strong:
                score -= 1.5
            score -= to_death / 100
            if score <= 0:
                continue
            scores[mention.value] = scores.get(mention.value, 0.0) + score
            support.setdefault(mention.value, []).append(sentence)
    if not scores:
        return None, []
    # A month ("April 2016") and a day in that month ("14 April 2016") are the same death.
    merged: dict[PartialDate, float] = {}
    for value, score in scores.items():
        merged[value] = merged.get(value, 0.0) + score
        for other in scores:
            if other != value and other.day is None and other.contains(value):
                merged[value] += scores[other]
    best = max(sorted(merged, key=PartialDate.sort_key), key=lambda value: merged[value])
    evidence_sentences = support[best] + [
        s
        for value in support
        if value != best and value.day is None and value.contains(best)
        for s in support[value]
    ]
    evidence = list(dict.fromkeys(evidence_of(s) for s in sorted(evidence_sentences, key=lambda s: s.index)))
    return best, evidence[:MAX_EVIDENCE]


def _judge_date(criterion: Criterion, death: PartialDate | None, evidence: list[Evidence]) -> CriterionResult:
    assert criterion.on_or_after is not None
    cutoff = criterion.on_or_after
    if death is None:
        return CriterionResult(
            id=criterion.id, result=Outcome.unknown, note="No date of death was found in the review."
        )
    if death.first_day() >= cutoff:
        result, relation = Outcome.met, "on or after"
    elif death.last_day() < cutoff:
        result, relation = Outcome.not_met, "before"
    else:
        return CriterionResult(
            id=criterion.id,
            result=Outcome.unknown,
            note=f"The death is dated only to {death.iso()}, which straddles {cutoff.isoformat()}.",
            evidence=evidence,
        )
    return CriterionResult(
        id=criterion.id,
        result=result,
        note=f"The death ({death.iso()}) was {relation} {cutoff.isoformat()}.",
        evidence=evidence,
    )


# --- police contact before the death -------------------------------------------------------------------------


def police_passages(
    sentences: list[Sentence], lexicon: CompiledLexicon, death: PartialDate | None
) -> tuple[list[tuple[Sentence, PartialDate | None]], list[Sentence]]:
    """The passages that record police contact before the death, each with its narrative date; and those
    that say there was none. Screening decides on them; coding takes the forces and first contact from them."""
    contact: list[tuple[Sentence, PartialDate | None]] = []
    denial: list[Sentence] = []
    for sentence, narrative_date in sentences_with_narrative_dates(sentences):
        if sentence.kind in lexicon.non_fact_sections or sentence.kind in ("parallel", "family"):
            continue
        text = sentence.whole
        if not lexicon.mentions_police(text):
            continue
        if _NO_CONTACT.test(text):
            denial.append(sentence)
            continue
        if (
            death is not None
            and narrative_date is not None
            and narrative_date.last_day() >= death.first_day()
        ):
            continue  # an undated sentence that continues the story of the day of the death, or after it
        if is_pre_death_police_contact(sentence, text, lexicon, death):
            contact.append((sentence, narrative_date))
    return contact, denial


def _judge_police_contact(
    criterion: Criterion, context: _Context, death: PartialDate | None
) -> CriterionResult:
    lexicon = context.lexicon
    passages, denial = police_passages(context.sentences, lexicon, death)
    contact = [sentence for sentence, _ in passages]
    if contact and denial and len(contact) <= 2:
        return CriterionResult(
            id=criterion.id,
            result=Outcome.unknown,
            note="The review says the police had no contact before the death, yet a passage suggests some.",
            evidence=[evidence_of(s) for s in (denial[:1] + contact[:2])],
        )
    if contact:
        forces = sorted({force for s in contact for force in lexicon.forces.find(s.whole)})
        named = f" ({', '.join(forces)})" if forces else ""
        return CriterionResult(
            id=criterion.id,
            result=Outcome.met,
            note=f"{len(contact)} passages record police contact{named} before the death.",
            evidence=[evidence_of(s) for s in _spread(contact)],
        )
    if denial:
        return CriterionResult(
            id=criterion.id,
            result=Outcome.not_met,
            note="The review states that the police had no contact before the death.",
            evidence=[evidence_of(s) for s in denial[:MAX_EVIDENCE]],
        )
    return CriterionResult(
        id=criterion.id,
        result=Outcome.not_met,
        note="No police contact before the death is recorded; the police appear only after it, if at all.",
    )


def sentences_with_narrative_dates(sentences: list[Sentence]) -> list[tuple[Sentence, PartialDate | None]]:
    """Each sentence with the date of the story it tells, when it has no date of its own: the last date given
    earlier in its paragraph ("On 3 May officers attended. They arrested him the following morning.")."""
    out: list[tuple[Sentence, PartialDate | None]] = []
    last: PartialDate | None = None
    previous: Sentence | None = None
    for sentence in sentences:
        if previous is None or previous.paragraph != sentence.paragraph:
            last = None
        dates = find_dates(sentence.whole)
        if dates:
            last = dates[-1].value
            out.append((sentence, None))
        else:
            out.append((sentence, last))
        previous = sentence
    return out


def is_pre_death_police_contact(
    sentence: Sentence, text: str, lexicon: CompiledLexicon, death: PartialDate | None
) -> bool:
    """Does this sentence (which mentions the police) record contact with the victim or perpetrator before the death?"""
    if _POST_DEATH.test(text) or _POLICE_EMPLOYMENT.test(text):
        return False
    if lexicon.other_subject.test(text) or lexicon.hypothetical.test(sentence.text):
        return False
    if _UNREAL_CONTACT.test(sentence.text):
        return False
    if lexicon.death.test(text) and not _BEFORE_DEATH.test(text):
        return False  # the call that reported the death, the response to it
    dates = [mention.value for mention in find_dates(text)]
    if death is not None and dates and all(value.last_day() >= death.first_day() for value in dates):
        return False
    police_row = (
        bool(sentence.cells) and len(sentence.cells) >= 2 and lexicon.mentions_police(sentence.cells[1])
    )
    if police_row and (sentence.kind == "chronology" or dates):
        return True
    action = _CONTACT_ACTION.search(text)
    if action is None:
        return False
    return not _negated_before(text, action.start(), lexicon)


def _negated_before(text: str, position: int, lexicon: CompiledLexicon) -> bool:
    """A negation cue in the same clause, before `position`."""
    if not lexicon.negation_before.test(text):
        return False
    clause_start = 0
    for match in lexicon.clause_break.finditer(text, 0, position):
        clause_start = match.end()
    return bool(lexicon.negation_before.search(text, clause_start, position))


def _spread(sentences: list[Sentence]) -> list[Sentence]:
    """Up to MAX_EVIDENCE sentences from different pages, chronology rows first: the clearest evidence."""
    ordered = sorted(sentences, key=lambda s: (not s.cells, s.index))
    chosen: list[Sentence] = []
    pages: set[int] = set()
    for sentence in ordered:
        if sentence.page not in pages:
            chosen.append(sentence)
            pages.add(sentence.page)
        if len(chosen) == MAX_EVIDENCE:
            break
    return sorted(chosen, key=lambda s: s.index)


# --- learning about police practice --------------------------------------------------------------------------


def _judge_police_learning(criterion: Criterion, context: _Context) -> CriterionResult:
    lexicon = context.lexicon
    learning: list[Sentence] = []
    recommendations: list[Sentence] = []
    denial: list[Sentence] = []
    for sentence in context.sentences:
        text = sentence.text
        if not lexicon.mentions_police(text):
            continue
        if _NO_LEARNING.test(text):
            denial.append(sentence)
            continue
        if sentence.kind in ("recommendations", "action_plan"):
            recommendations.append(sentence)
        elif (
            sentence.kind in _LEARNING_SECTIONS
            and not sentence.cells
            and _LEARNING.test(text)
            and not lexicon.other_subject.test(text)
            and not _POLICE_EMPLOYMENT.test(text)
        ):
            learning.append(sentence)
    analysed = [s for s in learning if s.kind in ("analysis", "conclusions", "lessons")]
    # The reviewer's own statement that there is no police learning decides, unless the review goes on to
    # criticise police practice (then an analyst should read it).
    critical = [
        s for s in analysed if _CRITICAL.test(s.text) and not re.search(r"\bwhether\b|\bif\b", s.text, re.I)
    ]
    if denial and len(critical) < 2:
        return CriterionResult(
            id=criterion.id,
            result=Outcome.not_met,
            note="The review states that no learning was identified for the police.",
            evidence=[evidence_of(s) for s in denial[:MAX_EVIDENCE]],
        )
    if denial:
        return CriterionResult(
            id=criterion.id,
            result=Outcome.unknown,
            note="The review says there is no learning for the police, yet criticises police practice.",
            evidence=[evidence_of(s) for s in (denial[:1] + critical[:2])],
        )
    if analysed or (learning and recommendations):
        return CriterionResult(
            id=criterion.id,
            result=Outcome.met,
            note=f"{len(analysed) or len(learning)} passages analyse police practice"
            + (
                f"; {len(recommendations)} recommendation passages concern the police."
                if recommendations
                else "."
            ),
            evidence=[evidence_of(s) for s in _spread(analysed or learning)],
        )
    if recommendations:
        return CriterionResult(
            id=criterion.id,
            result=Outcome.unknown,
            note="Only the recommendations concern the police; no analysis of police practice was found.",
            evidence=[evidence_of(s) for s in recommendations[:MAX_EVIDENCE]],
        )
    return CriterionResult(
        id=criterion.id, result=Outcome.not_met, note="No passage analyses police practice."
    )


# --- the corpus ----------------------------------------------------------------------------------------------


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


def count(documents: list[ScreenedDocument]) -> ScreeningCounts:
    """The PRISMA-style flow of the screened documents."""
    unreadable = sum(1 for d in documents if d.problem is not None)
    excluded = [d for d in documents if d.decision is Decision.exclude]
    by_reason = Counter(d.exclusion_reason or "other" for d in excluded)
    return ScreeningCounts(
        identified=len(documents),
        unreadable=unreadable,
        screened=len(documents) - unreadable,
        excluded=len(excluded),
        excluded_by_reason=dict(sorted(by_reason.items())),
        included=sum(1 for d in documents if d.decision is Decision.include),
        review=sum(1 for d in documents if d.decision is Decision.review),
        overridden=sum(1 for d in documents if d.override is not None),
    )
