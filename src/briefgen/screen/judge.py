"""Screening one document: each criterion judged on the review's sentences, with page-cited evidence, and the
decision they lead to.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from briefgen.lexicon import CompiledLexicon
from briefgen.models import (
    CriterionResult,
    Decision,
    DocumentText,
    Evidence,
    Outcome,
    Problem,
    ScreenedDocument,
)
from briefgen.people import CasePeople, find_people
from briefgen.police import police_passages
from briefgen.screen.criteria import MAX_EVIDENCE, Criteria, Criterion
from briefgen.screen.dates import find_incident_date
from briefgen.screen.doctype import Recognition, recognise
from briefgen.text import PartialDate, Sentence, clip, evidence_of, segment


@dataclass
class _Context:
    document: DocumentText
    sentences: list[Sentence]
    lexicon: CompiledLexicon
    people: CasePeople
    partial: bool  # a summary or partial text that leaves the detail to the full report: what it lacks is not absent


def screen_document(
    source: str, document: DocumentText, criteria: Criteria, lexicon: CompiledLexicon
) -> ScreenedDocument:
    """Decide every criterion for one readable document, and the decision they lead to."""
    sentences = segment(document, lexicon)
    recognition = recognise(document, lexicon)
    # A summary, a text that sends the reader to the full report, or an extract with none of a review's
    # substance (no chronology, analysis or findings: a few scanned pages, say) is partial.
    partial = (
        recognition.form == "summary"
        or any(lexicon.cues.deferral.test(s.text) for s in sentences)
        or not any(s.kind in lexicon.roles.substance for s in sentences)
    )
    context = _Context(document, sentences, lexicon, find_people(document, lexicon), partial)
    death, death_evidence = find_incident_date(sentences, lexicon, context.people)
    results = []
    for criterion in criteria.criteria:
        if criterion.kind == "document_type":
            results.append(_judge_document_type(criterion, recognition, lexicon))
        elif criterion.kind == "incident_date":
            results.append(_judge_date(criterion, death, death_evidence))
        elif criterion.kind == "police_contact":
            results.append(_judge_police_contact(criterion, context, death))
        else:
            results.append(_judge_police_learning(criterion, context))
    decision, reasons, exclusion = _decide(results, criteria)
    read_by_ocr = any(page.ocr for page in document.pages) or None
    if read_by_ocr:
        # OCR misreads names, dates and negations: the machine's decision on such text is an analyst's to confirm.
        would = (
            f"the machine would {decision.value} it" if decision is not Decision.review else "it needs review"
        )
        reasons = [f"Read by OCR from a scan: {would}; confirm against the scan.", *reasons]
        decision, exclusion = Decision.review, None
    return ScreenedDocument(
        source=source,
        sha256=document.sha256,
        title=document.title,
        format=document.format,
        page_unit=document.page_unit,
        page_count=len(document.pages),
        incident_date=death.iso() if death else None,
        incident_date_evidence=death_evidence,
        document_type=recognition.type,
        document_form=recognition.form,
        pseudonym=context.people.victim.name,
        decision=decision,
        criteria=results,
        reasons=reasons,
        exclusion_reason=exclusion,
        ocr=read_by_ocr,
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


def _judge_document_type(
    criterion: Criterion, recognition: Recognition, lexicon: CompiledLexicon
) -> CriterionResult:
    labels = {name: label for name, (label, _) in lexicon.document_types.items()}
    evidence = [Evidence(page=recognition.page, quote=clip(recognition.quote))] if recognition.quote else []
    if recognition.form in ("letter", "action_plan", "derivative"):
        what = {
            "letter": "a letter",
            "action_plan": "an action plan alone",
            "derivative": "a briefing, bulletin, press release or other document about a review or the death",
        }[recognition.form]
        return CriterionResult(
            id=criterion.id,
            result=Outcome.not_met,
            note=f"The document is {what}, not the report of a review.",
            evidence=evidence,
        )
    kind = recognition.type
    if kind is None:
        return CriterionResult(
            id=criterion.id,
            result=Outcome.met,
            note="No other kind of document is named on its cover or first pages.",
        )
    label = labels.get(kind, kind)
    if recognition.joint:
        named = ", ".join(labels.get(k, k) for k in sorted(recognition.scores))
        return CriterionResult(
            id=criterion.id,
            result=Outcome.unknown,
            note=f"The cover names more than one kind of review ({named}): perhaps a joint review.",
            evidence=evidence,
        )
    if kind in criterion.accepts:
        return CriterionResult(
            id=criterion.id, result=Outcome.met, note=f"The document is a {label}.", evidence=evidence
        )
    return CriterionResult(
        id=criterion.id,
        result=Outcome.not_met,
        note=f"The document is a {label}, a kind this screening does not accept.",
        evidence=evidence,
    )


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
    if context.partial:
        return _left_to_full_report(criterion, "the agencies' contact")
    return CriterionResult(
        id=criterion.id,
        result=Outcome.not_met,
        note="No police contact before the death is recorded; the police appear only after it, if at all.",
    )


def _left_to_full_report(criterion: Criterion, what: str) -> CriterionResult:
    """Unknown, not unmet: a summary or partial text that does not show `what` leaves it to the full report."""
    return CriterionResult(
        id=criterion.id,
        result=Outcome.unknown,
        note=f"This is a summary or partial text that leaves {what} to the full report.",
    )


def _denial_of_one_force(denial: Sentence, judged: list[Sentence], lexicon: CompiledLexicon) -> bool:
    """The denial names a force, and the review's analysis of the police names another."""
    denied = set(lexicon.forces.find(denial.text))
    if not denied:
        return False
    return any(set(lexicon.forces.find(s.text)) - denied for s in judged)


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


def _judge_police_learning(criterion: Criterion, context: _Context) -> CriterionResult:
    lexicon = context.lexicon
    learning: list[Sentence] = []
    recommendations: list[Sentence] = []
    denial: list[Sentence] = []
    judged: list[Sentence] = []  # the analysis's sentences about the police
    for sentence in context.sentences:
        text = sentence.text
        if not (lexicon.mentions_police(text) or lexicon.cues.police_practice.test(text)):
            continue  # police practice is named by its tools too: 'the DASH was not completed'
        if sentence.kind in lexicon.roles.judgement:
            judged.append(sentence)
        if lexicon.cues.no_learning.test(text):
            denial.append(sentence)
            continue
        if sentence.kind in lexicon.roles.duties:
            recommendations.append(sentence)
        elif (
            sentence.kind in lexicon.roles.learning
            and not sentence.cells
            and (lexicon.cues.learning.test(text) or lexicon.cues.praise.test(text))
            and not lexicon.other_subject.test(text)
            and not lexicon.cues.police_employment.test(text)
        ):
            learning.append(sentence)
    analysed = [s for s in learning if s.kind in lexicon.roles.judgement]
    # The reviewer's own statement that there is no police learning decides, unless the review goes on to
    # criticise police practice (then an analyst should read it).
    critical = [
        s
        for s in analysed
        if lexicon.cues.criticism.test(s.text) and not lexicon.cues.conditional.test(s.text)
    ]
    if denial and len(critical) < 2:
        return CriterionResult(
            id=criterion.id,
            result=Outcome.not_met,
            note="The review states that no learning was identified for the police.",
            evidence=[evidence_of(s) for s in denial[:MAX_EVIDENCE]],
        )
    # 'No criticism of Cheshire Constabulary' speaks for that force only: where the review's analysis also
    # concerns another force, the omissions it records are that force's, and the denial does not answer them.
    if any(not _denial_of_one_force(s, judged, lexicon) for s in denial):
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
    if context.partial:
        return _left_to_full_report(criterion, "the analysis of practice")
    return CriterionResult(
        id=criterion.id, result=Outcome.not_met, note="No passage analyses police practice."
    )
