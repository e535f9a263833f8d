"""Coding one included review: its case features, codes and themes, and its police recommendations."""

from __future__ import annotations

from briefgen.coding.facts import extract_facts
from briefgen.coding.features import (
    Case,
    case_type,
    cohabiting,
    days_between,
    death_type,
    find_perpetrator,
    first_police_contact,
    perpetrator_gender,
    police_contacts,
    police_forces,
    relationship,
    victim_age,
    victim_gender,
)
from briefgen.coding.match import CompiledCodebook, code_sentences
from briefgen.coding.offsets import with_offsets
from briefgen.coding.recommendations import police_recommendations
from briefgen.lexicon import CompiledLexicon
from briefgen.models import CaseFeatures, CodedCase, DocumentText, Feature, ScreenedDocument
from briefgen.people import find_people
from briefgen.text import PartialDate, segment


def code_document(
    screened: ScreenedDocument, document: DocumentText, codebook: CompiledCodebook, lexicon: CompiledLexicon
) -> CodedCase:
    """Code one included review: features, codes and themes, each with its evidence."""
    sentences = segment(document, lexicon)
    people = find_people(document, lexicon)
    victim = people.victim.name
    facts = [s for s in sentences if s.kind in lexicon.roles.facts]
    perpetrator = people.perpetrator.name or find_perpetrator(facts, victim, lexicon)
    death = PartialDate.parse_iso(screened.incident_date) if screened.incident_date else None
    case = Case(sentences, facts, lexicon, codebook, victim, perpetrator, death, people)

    names = tuple(name for name in (victim, perpetrator) if name)
    codes = code_sentences(sentences, codebook, lexicon, names)
    present = {cid for cid, result in codes.items() if result.present}
    gender = victim_gender(case)
    relation = relationship(case, str(gender.value))
    contacts = police_contacts(case)
    first, first_date = first_police_contact(case, contacts)
    days = days_between(first_date, death)
    features = CaseFeatures(
        incident_date=Feature(value=screened.incident_date, evidence=screened.incident_date_evidence),
        victim_gender=gender,
        perpetrator_gender=perpetrator_gender(case, str(gender.value)),
        victim_age=victim_age(case),
        relationship=relation,
        cohabiting=cohabiting(case, str(relation.value)),
        death_type=death_type(case, str(gender.value)),
        police_forces=police_forces(case, contacts),
        first_police_contact=first,
        days_first_contact_to_death=Feature(
            value=days,
            evidence=[*first.evidence, *screened.incident_date_evidence[:1]] if days is not None else [],
        ),
        case_type=case.feature(case_type(codebook.source, days, present)),
    )
    themes: dict[str, list[str]] = {theme.id: [] for theme in codebook.source.themes}
    for compiled in codebook.codes:
        if compiled.code.id in present:
            themes[compiled.code.theme].append(compiled.code.id)
    coded = CodedCase(
        source=screened.source,
        sha256=screened.sha256,
        title=screened.title,
        pseudonym=victim,
        page_unit=document.page_unit,
        features=features,
        codes=codes,
        themes={theme: ids for theme, ids in themes.items() if ids},
        police_recommendations=police_recommendations(sentences, lexicon),
        facts=extract_facts(facts, codebook.facts),
    )
    return with_offsets(coded, document)
